// Fails when scenarios/schema.json is not what the zod schema generates (run after tsc; part of `npm test`).
import { existsSync, readFileSync } from 'node:fs';
import { URL } from 'node:url';
import { renderScenarioJsonSchema, SCHEMA_FILE } from '../dist/src/config/json-schema.js';

const target = new URL(`../${SCHEMA_FILE}`, import.meta.url);
const expected = renderScenarioJsonSchema();
const actual = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
if (actual !== expected) {
  const why = actual === undefined ? 'is missing' : 'differs from what src/config/schema.ts generates';
  console.error(`check-schema: ${SCHEMA_FILE} ${why}. Run \`npm run schema\` and commit the result.`);
  process.exit(1);
}
console.log(`check-schema: ${SCHEMA_FILE} is up to date`);

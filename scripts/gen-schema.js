// Writes scenarios/schema.json from the zod schema (run after tsc: `npm run schema`).
import { writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { renderScenarioJsonSchema, SCHEMA_FILE } from '../dist/src/config/json-schema.js';

const target = new URL(`../${SCHEMA_FILE}`, import.meta.url);
writeFileSync(target, renderScenarioJsonSchema());
console.log(`wrote ${SCHEMA_FILE}`);

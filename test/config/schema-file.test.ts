import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderScenarioJsonSchema, SCHEMA_FILE, SCHEMA_MODELINE } from '../../src/config/json-schema.js';
import { checkScenarioFile } from '../../src/config/loader.js';
import { formatProblem } from '../../src/config/problems.js';

// dist/test/config/ -> repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));

test('scenarios/schema.json is what the zod schema generates (run `npm run schema`)', () => {
  const path = `${root}${SCHEMA_FILE}`;
  assert.ok(existsSync(path), `${SCHEMA_FILE} is missing`);
  assert.equal(readFileSync(path, 'utf8'), renderScenarioJsonSchema());
});

test('the generated schema describes the scenario keys', () => {
  const schema = JSON.parse(renderScenarioJsonSchema()) as { properties: Record<string, unknown> };
  for (const key of ['name', 'duration', 'lab', 'target', 'client', 'expect', 'sampler']) assert.ok(schema.properties[key], key);
});

test('every bundled scenario names the schema on line 1 and validates without errors', () => {
  const dir = `${root}scenarios/`;
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'schema.json');
  for (const file of files) {
    const text = readFileSync(`${dir}${file}`, 'utf8');
    if (!file.endsWith('.json')) assert.equal(text.split('\n')[0], SCHEMA_MODELINE, `${file}: first line`);
    const errors = checkScenarioFile(`${dir}${file}`).problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors.map(formatProblem), [], file);
  }
});

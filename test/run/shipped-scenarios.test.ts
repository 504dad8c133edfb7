/**
 * Every scenario shipped in scenarios/ runs in the userns lab and its own `expect:` gates hold: the
 * scenarios are the claims portlab makes about the kernel, so each is checked against the kernel.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runJson } from '../helpers/cli.js';
import { assertAccounting } from '../helpers/invariants.js';

const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

test('scenarios/ ships the scenarios the docs promise', () => {
  for (const name of ['no-pooling', 'keep-alive-pool', 'server-closes-first', 'reset-close', 'multi-destination', 'multi-source-address', 'tw-reuse', 'tw-buckets-cap', 'fin-timeout-myth', 'ramp-to-failure']) {
    assert.ok(files.includes(`${name}.yaml`), `scenarios/${name}.yaml is missing`);
  }
});

// The nat lab's scenarios run in their own lab: their addresses exist only there.
const labOf = (file: string): string => (/^\s*kind:\s*nat\s*$/m.test(readFileSync(join(ROOT, 'scenarios', file), 'utf8')) ? 'nat' : 'userns');

for (const file of files) {
  const lab = labOf(file);
  test(`scenario ${file} meets its expectations in the ${lab} lab`, { timeout: 60_000 }, async () => {
    const { code, summary, stderr } = await runJson([join('scenarios', file), '--lab', lab]);
    const failed = summary.expectations.filter((e) => !e.pass).map((e) => `${e.name}: ${e.detail}`);
    assert.deepEqual(failed, [], `${file}: ${summary.diagnosis}\n${stderr}`);
    assert.ok(summary.expectations.length > 0, `${file} has no expectations: a shipped scenario must claim something`);
    assert.equal(code, 0);
    assert.equal(summary.lab.kind, lab);
    assert.equal(summary.interrupted, false);
    assertAccounting(summary);
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineChecks } from '../../src/compare/baseline.js';
import type { CompareCell } from '../../src/metrics/compare.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { loadFixture } from '../report/fixture.js';

function cell(summary: RunSummary, patch: { clientTimeWait?: number; errors?: Record<string, number>; breakingRatePerSec?: number }): CompareCell {
  const copy = structuredClone(summary);
  if (patch.clientTimeWait !== undefined) copy.peak.clientTimeWait = patch.clientTimeWait;
  if (patch.errors) copy.totals.errors = patch.errors;
  return { name: 'c', overrides: {}, variant: null, dir: 'cells/01-c', summary: copy, pass: true, ...(patch.breakingRatePerSec !== undefined ? { breakingRatePerSec: patch.breakingRatePerSec } : {}) };
}

test('within the tolerance passes; beyond it fails, in the direction that is worse', async () => {
  const s = await loadFixture('no-pooling');
  const base = cell(s, { clientTimeWait: 200, errors: { EADDRNOTAVAIL: 300 }, breakingRatePerSec: 40 });
  const same = baselineChecks(cell(s, { clientTimeWait: 210, errors: { EADDRNOTAVAIL: 320 }, breakingRatePerSec: 37 }), base, 10);
  assert.deepEqual(same.map((c) => [c.name, c.pass]), [['breaking rate', true], ['peak client TIME_WAIT', true], ['errors', true]]);
  const worse = baselineChecks(cell(s, { clientTimeWait: 221, errors: { EADDRNOTAVAIL: 331 }, breakingRatePerSec: 35 }), base, 10);
  assert.deepEqual(worse.map((c) => [c.name, c.pass]), [['breaking rate', false], ['peak client TIME_WAIT', false], ['errors', false]]);
  assert.equal(worse[0]!.detail, '40 -> 35 (-12.5%; a fall over 10% fails)');
  // Better is never a failure, however large.
  const better = baselineChecks(cell(s, { clientTimeWait: 0, errors: {}, breakingRatePerSec: 400 }), base, 10);
  assert.ok(better.every((c) => c.pass));
});

test('from zero, any rise fails; zero to zero passes', async () => {
  const s = await loadFixture('keep-alive-pool');
  const base = cell(s, { errors: {}, clientTimeWait: 0 });
  const checks = baselineChecks(cell(s, { errors: { ECONNRESET: 1 }, clientTimeWait: 0 }), base, 10);
  assert.deepEqual(checks.map((c) => [c.name, c.pass, c.detail]), [
    ['peak client TIME_WAIT', true, '0 -> 0 (+0.0%; a rise over 10% fails)'],
    ['errors', false, '0 -> 1 (from 0 to 1; a rise over 10% fails)'],
  ]);
});

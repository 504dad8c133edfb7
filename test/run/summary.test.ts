/** buildSummary when the driver died before its totals: the intervals it sent still make a summary. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenarioFile } from '../../src/config/loader.js';
import { buildSummary } from '../../src/run/summary.js';
import { ROOT } from '../helpers/cli.js';
import { loadFixture } from '../report/fixture.js';

test('a driver that died early leaves a partial summary built from its intervals', async () => {
  const captured = await loadFixture('no-pooling');
  const { scenario } = loadScenarioFile(join(ROOT, 'scenarios', 'no-pooling.yaml'));
  const intervals = captured.intervals.slice(0, 12);
  const summary = buildSummary(scenario, {
    runId: 'partial',
    startedAt: captured.startedAt,
    labKind: 'userns',
    ready: { type: 'ready', sysctls: captured.lab.sysctls, portRange: captured.lab.portRange },
    intervals,
    onset: null,
    done: null,
    interruption: null,
    version: captured.version,
  });
  const sum = (pick: (i: (typeof intervals)[number]) => number): number => intervals.reduce((a, i) => a + pick(i), 0);
  assert.equal(summary.totals.attempts, sum((i) => i.attempts));
  assert.equal(summary.totals.connected, sum((i) => i.connected));
  assert.equal(summary.totals.errors['EADDRNOTAVAIL'], sum((i) => i.errors['EADDRNOTAVAIL'] ?? 0));
  assert.ok(summary.totals.errors['EADDRNOTAVAIL']! > 0, 'the fixture slice reaches past the onset');
  assert.equal(summary.interrupted, true);
  assert.ok(summary.lab.notes.some((n) => /partial results/.test(n)));
  assert.equal(summary.durationMs, intervals.at(-1)!.tMs + scenario.sampler.reportIntervalMs);
});

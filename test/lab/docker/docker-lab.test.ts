/**
 * The docker lab end to end: the 200-port no-pooling scenario exhausts at the same time as in the userns
 * lab, with the whole range in client TIME_WAIT, and no container is left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInLab } from '../../../src/run/orchestrate.js';
import { listLabContainers } from '../../../src/lab/docker/index.js';
import { probeUserns } from '../../../src/lab/probe.js';
import { buildSummary } from '../../../src/run/summary.js';
import type { RunSummary } from '../../../src/metrics/types.js';
import { engineOrSkip, noPooling } from './engine.js';

async function run(kind: string): Promise<{ summary: RunSummary; labId: string }> {
  const scenario = noPooling(kind);
  let labId = '';
  const data = await runInLab(scenario, { hooks: { onReady: (_ready, lab) => (labId = lab.id) } });
  return { summary: buildSummary(scenario, data), labId };
}

let dockerOnsetMs: number | undefined;

test('docker lab: 200 ports at 100/s run out at ~2 s with the range in client TIME_WAIT; nothing left', async (t) => {
  const engine = await engineOrSkip(t);
  if (!engine) return;
  const { summary, labId } = await run('docker');
  assert.equal(summary.lab.kind, 'docker');
  assert.deepEqual(summary.lab.portRange, { low: 40000, high: 40199, size: 200 });
  assert.equal(summary.lab.sysctls['net.ipv4.tcp_tw_reuse'], '0');
  assert.ok(summary.onset, 'exhaustion must happen');
  assert.equal(summary.onset.code, 'EADDRNOTAVAIL');
  assert.ok(summary.onset.atMs >= 1500 && summary.onset.atMs <= 3000, `onset at ${summary.onset.atMs} ms`);
  assert.ok(summary.onset.clientTimeWait >= 180, `client TIME_WAIT at onset ${summary.onset.clientTimeWait}`);
  assert.ok((summary.totals.errors.EADDRNOTAVAIL ?? 0) > 0);
  assert.equal(summary.totals.attempts, summary.totals.connected + Object.values(summary.totals.errors).reduce((a, b) => a + b, 0));
  assert.ok(summary.totals.connected >= 180 && summary.totals.connected <= 210, `connected ${summary.totals.connected}`);
  assert.notEqual(labId, '');
  assert.deepEqual(await listLabContainers(engine.docker, labId), [], 'the run removed its containers');
  dockerOnsetMs = summary.onset.atMs;
  t.diagnostic(`docker onset ${summary.onset.atMs.toFixed(1)} ms, client TIME_WAIT ${summary.onset.clientTimeWait}`);
});

test('docker and userns labs date the onset alike', async (t) => {
  if (dockerOnsetMs === undefined) return t.skip('the docker run did not run');
  const userns = probeUserns();
  if (!userns.ok) return t.skip(`no userns lab here: ${userns.reason}`);
  const { summary } = await run('userns');
  assert.ok(summary.onset);
  const deltaMs = Math.abs(summary.onset.atMs - dockerOnsetMs);
  t.diagnostic(`userns onset ${summary.onset.atMs.toFixed(1)} ms, docker ${dockerOnsetMs.toFixed(1)} ms, difference ${deltaMs.toFixed(1)} ms`);
  // Both follow the same plan (200 ports / 100 per s); a few scheduling intervals of slack.
  assert.ok(deltaMs <= 500, `difference ${deltaMs} ms`);
});

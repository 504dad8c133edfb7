/**
 * The shipped HTTP scenarios, run for real in the userns lab (skipped where user namespaces are not
 * allowed): at the same request rate and port range, no keep-alive exhausts near the predicted time and
 * keep-alive holds on a handful of ports; the summary says which side held TIME_WAIT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/config/loader.js';
import { runInLab } from '../../src/run/orchestrate.js';
import { probeUserns } from '../../src/lab/probe.js';
import { buildSummary } from '../../src/run/summary.js';
import type { RunSummary } from '../../src/metrics/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const userns = probeUserns();
const skip = userns.ok ? false : `userns lab unavailable: ${userns.reason}`;

async function runScenario(name: string): Promise<RunSummary> {
  const { scenario } = loadScenarioFile(`${root}scenarios/${name}.yaml`);
  scenario.lab.kind = 'userns';
  return buildSummary(scenario, await runInLab(scenario));
}

function assertExhaustedNearPrediction(summary: RunSummary): void {
  const { onset } = summary;
  assert.ok(onset, `${summary.scenario.name}: no exhaustion (${JSON.stringify(summary.totals.errors)})`);
  assert.equal(onset.code, 'EADDRNOTAVAIL');
  assert.ok(onset.predictedAtMs !== null);
  const offMs = Math.abs(onset.atMs - onset.predictedAtMs);
  assert.ok(offMs <= Math.max(0.5 * onset.predictedAtMs, 1000), `onset ${onset.atMs} ms, predicted ${onset.predictedAtMs} ms`);
  // The client closed first: its TIME_WAIT is what used the range up, and the diagnosis says so.
  assert.ok(summary.peak.clientTimeWait >= 0.9 * summary.lab.portRange.size, `client TIME_WAIT ${summary.peak.clientTimeWait}`);
  assert.ok(summary.peak.clientTimeWait > summary.peak.serverTimeWait);
  assert.match(summary.diagnosis, /TIME_WAIT sat on the client side/);
  assert.equal(summary.totals.attempts, summary.totals.connected + Object.values(summary.totals.errors).reduce((a, b) => a + b, 0));
}

function assertHeld(summary: RunSummary, handful: number): void {
  assert.equal(summary.onset, null);
  assert.deepEqual(summary.totals.errors, {});
  assert.ok(summary.totals.connected <= handful, `${summary.totals.connected} connections opened`);
  assert.ok(summary.peak.portsInUse <= handful, `${summary.peak.portsInUse} ports in use`);
  const plannedRequests = (summary.scenario.ratePerSec * summary.plannedDurationMs) / 1000;
  assert.ok(summary.totals.requests >= 0.85 * plannedRequests, `${summary.totals.requests} of ${plannedRequests} requests`);
}

function assertSameLoad(a: RunSummary, b: RunSummary): void {
  assert.equal(a.scenario.ratePerSec, b.scenario.ratePerSec);
  assert.deepEqual(a.lab.portRange, b.lab.portRange);
  assert.equal(a.lab.sysctls['net.ipv4.tcp_tw_reuse'], '0');
}

/** A no-keep-alive scenario and its keep-alive twin: same load, the first exhausts, the second holds. */
async function comparePair(noKeepAlive: string, keepAlive: string): Promise<{ without: RunSummary; withKeepAlive: RunSummary }> {
  const without = await runScenario(noKeepAlive);
  const withKeepAlive = await runScenario(keepAlive);
  assertSameLoad(without, withKeepAlive);
  assertExhaustedNearPrediction(without);
  assertHeld(withKeepAlive, 10);
  assert.equal(without.pass, true, JSON.stringify(without.expectations));
  assert.equal(withKeepAlive.pass, true, JSON.stringify(withKeepAlive.expectations));
  return { without, withKeepAlive };
}

test('node-agent: keepAlive false exhausts near the prediction, keepAlive true holds on a handful of ports', { skip }, async () => {
  await comparePair('node-agent-no-keepalive', 'node-agent-keepalive');
});

test('autocannon: a connection per request exhausts near the prediction, keep-alive holds on its connections', { skip }, async () => {
  const { withKeepAlive } = await comparePair('http-no-keepalive', 'http-keepalive');
  // autocannon's responses reach the report's request latency.
  assert.ok(withKeepAlive.latency.requestUs && withKeepAlive.latency.requestUs.count >= withKeepAlive.totals.requests);
});

test('http-server-close: TIME_WAIT moves to the server side and the client does not exhaust', { skip }, async () => {
  const summary = await runScenario('http-server-close');
  assert.equal(summary.onset, null);
  assert.ok(summary.peak.serverTimeWait >= 20, `server TIME_WAIT ${summary.peak.serverTimeWait}`);
  assert.ok(summary.peak.clientTimeWait < summary.lab.portRange.size);
  assert.match(summary.diagnosis, /TIME_WAIT sat on (the server side|both sides)/);
  assert.equal(summary.pass, true, JSON.stringify(summary.expectations));
});

/**
 * The proxy lab against the real kernel (issue 15): clients on 10 keep-alive connections at 100 requests/s
 * through a proxy that opens a backend connection per request exhaust the proxy's 200 ports near 2 s (its
 * own connects fail with EADDRNOTAVAIL, the clients see 502s and no EADDRNOTAVAIL), while a pooled upstream
 * holds on a handful of ports; the lab leaves no process behind. Tolerances on the mechanism, nothing timed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/config/loader.js';
import { probeUserns } from '../../src/lab/probe.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { runInLab } from '../../src/run/orchestrate.js';
import { buildSummary } from '../../src/run/summary.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const userns = probeUserns();
const skip = userns.ok ? false : `userns lab unavailable: ${userns.reason}`;

/** Child processes of this test process (the lab's unshare and driver while they live). */
function children(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function runScenario(name: string): Promise<RunSummary> {
  const { scenario } = loadScenarioFile(`${root}scenarios/${name}.yaml`);
  scenario.lab.kind = 'userns';
  const summary = buildSummary(scenario, await runInLab(scenario));
  assert.deepEqual(children(), [], `${name}: the lab left processes behind`);
  return summary;
}

test('a per-request proxy runs out of its backend-side ports near ports / rate; the clients only see 502s', { skip }, async () => {
  const summary = await runScenario('proxy-per-request');
  const { proxy, onset } = summary;
  assert.ok(proxy, 'summary.proxy');
  assert.equal(proxy.exhaustedHop, 'proxy-backend', summary.diagnosis);
  assert.ok(onset, 'no onset');
  assert.equal(onset.code, 'EADDRNOTAVAIL');
  // 200 ports at 100 new backend connections/s: 2 s. Not earlier than the range allows; later only as far as a
  // loaded 2-core machine delays the load (the count below is the mechanism, this is the sanity bound).
  assert.ok(onset.atMs >= 1400 && onset.atMs <= 3200, `onset at ${onset.atMs} ms`);
  const width = summary.intervals[1]!.tMs - summary.intervals[0]!.tMs;
  const servedBefore = summary.intervals.filter((i) => i.tMs + width <= onset.atMs).reduce((sum, i) => sum + i.requests, 0);
  assert.ok(servedBefore >= 150 && servedBefore <= 200, `${servedBefore} requests served before the onset`);
  assert.equal(proxy.firstUpstreamErrorAtMs, onset.atMs);
  // Before the onset every backend connection got a port: about the range, 200.
  assert.ok(proxy.upstreamConnected >= 180 && proxy.upstreamConnected <= 210, `${proxy.upstreamConnected} backend connections`);
  assert.ok((proxy.upstreamErrors['EADDRNOTAVAIL'] ?? 0) > 0);
  assert.ok(proxy.peak.backendHop.timeWait >= 180, `backend-hop TIME_WAIT ${proxy.peak.backendHop.timeWait}`);
  // The client hop: a handful of keep-alive connections (10, and a few more if one was reopened), no shortage.
  assert.ok(proxy.peak.clientHop.portsInUse <= 20, `client hop ${JSON.stringify(proxy.peak.clientHop)}`);
  assert.equal(summary.totals.errors['EADDRNOTAVAIL'] ?? 0, 0);
  assert.ok((summary.totals.requestErrors['HTTP_502'] ?? 0) > 0, JSON.stringify(summary.totals.requestErrors));
  assert.equal(proxy.clientAnswers['502'], summary.totals.requestErrors['HTTP_502']);
  assert.match(summary.diagnosis, /backend hop/);
  assert.ok(summary.pass, JSON.stringify(summary.expectations));
});

test('a pooled proxy holds the same load on its pool, with no TIME_WAIT and no errors', { skip }, async () => {
  const summary = await runScenario('proxy-pooled');
  const { proxy } = summary;
  assert.ok(proxy);
  assert.equal(summary.onset, null);
  assert.equal(proxy.exhaustedHop, null);
  assert.deepEqual(proxy.upstreamErrors, {});
  assert.ok(proxy.upstreamOpened <= 10, `${proxy.upstreamOpened} backend connections`);
  assert.equal(proxy.peak.backendHop.timeWait, 0);
  assert.deepEqual(summary.totals.requestErrors, {});
  const planned = (summary.scenario.ratePerSec * summary.plannedDurationMs) / 1000;
  assert.ok(summary.totals.requests >= 0.85 * planned, `${summary.totals.requests} of ${planned} requests`);
  assert.match(summary.diagnosis, /Neither hop ran out/);
});

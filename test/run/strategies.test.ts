/**
 * scenarios/strategies/, run for real in the userns lab (skipped where user namespaces are not allowed): each
 * pooling strategy shows what its file claims, its own expectations hold, its diagnosis names the right cause,
 * and the compare file puts them in one table and one HTML page. Tolerances, never exact timings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { overridesForFlag } from '../../src/config/flags.js';
import { loadScenarioFile } from '../../src/config/loader.js';
import { probeUserns } from '../../src/lab/probe.js';
import type { CompareResult } from '../../src/metrics/compare.js';
import { sumErrors } from '../../src/metrics/counters.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { runInLab } from '../../src/run/orchestrate.js';
import { buildSummary } from '../../src/run/summary.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { assertAccounting } from '../helpers/invariants.js';

const userns = probeUserns();
const skip = userns.ok ? false : `userns lab unavailable: ${userns.reason}`;
const TIMEOUT = { timeout: 60_000 };

/** Runs scenarios/strategies/NAME.yaml (with flag overrides) in the userns lab; its expectations must hold. */
async function runStrategy(name: string, flags: Record<string, string> = {}): Promise<RunSummary> {
  const overrides = Object.entries(flags).flatMap(([flag, text]) => overridesForFlag(flag, text));
  const { scenario } = loadScenarioFile(join(ROOT, 'scenarios', 'strategies', `${name}.yaml`), overrides);
  scenario.lab.kind = 'userns';
  const summary = buildSummary(scenario, await runInLab(scenario));
  const failed = summary.expectations.filter((e) => !e.pass).map((e) => `${e.name}: ${e.detail}`);
  assert.deepEqual(failed, [], `${name}: ${summary.diagnosis}`);
  assert.ok(summary.expectations.length > 0, `${name} claims nothing`);
  assert.equal(summary.interrupted, false);
  assertAccounting(summary);
  return summary;
}

/** The onset came, with this code, within `toleranceMs` of the model's prediction. */
function assertOnsetNearPrediction(summary: RunSummary, code: string, toleranceMs: number): NonNullable<RunSummary['onset']> {
  const { onset } = summary;
  assert.ok(onset, `${summary.scenario.name}: no exhaustion (${JSON.stringify(summary.totals.errors)})`);
  assert.equal(onset.code, code);
  assert.ok(onset.predictedAtMs !== null, 'the model predicts it');
  assert.ok(Math.abs(onset.atMs - onset.predictedAtMs) <= toleranceMs, `onset ${onset.atMs} ms, predicted ${onset.predictedAtMs} ms`);
  return onset;
}

const resets = (summary: RunSummary): number => sumErrors(summary.totals.requestErrors);

test('no keep-alive: every request a connection the client closes; 200 ports gone near 2 s', { skip, ...TIMEOUT }, async () => {
  const summary = await runStrategy('no-keepalive');
  assertOnsetNearPrediction(summary, 'EADDRNOTAVAIL', 1000);
  assert.ok(summary.peak.clientTimeWait >= 0.9 * summary.lab.portRange.size, `client TIME_WAIT ${summary.peak.clientTimeWait}`);
  assert.equal(resets(summary), 0);
});

for (const engine of ['node-agent', 'undici'] as const) {
  test(`keep-alive race with ${engine}: resets on reused connections, named with their fix; retries run clean`, { skip, timeout: 90_000 }, async () => {
    const flags: Record<string, string> = engine === 'undici' ? { engine } : {};
    const race = await runStrategy('keepalive-race', flags);
    assert.equal(race.onset, null);
    assert.ok(resets(race) >= 1, `no reset: ${JSON.stringify(race.totals.requestErrors)}`);
    const codes = Object.keys(race.totals.requestErrors);
    assert.ok(codes.every((c) => ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(c)), codes.join(', '));
    // Dated: the intervals carry them.
    assert.ok(race.intervals.some((iv) => sumErrors(iv.requestErrors ?? {}) > 0), 'reset dated in the intervals');
    assert.match(race.diagnosis, /the keep-alive reset race/);
    assert.match(race.diagnosis, /below 10ms\), or retry idempotent requests/);
    // The server closed first: TIME_WAIT on its side, the client's ports untouched.
    assert.ok(race.peak.serverTimeWait > race.peak.clientTimeWait, `server ${race.peak.serverTimeWait}, client ${race.peak.clientTimeWait}`);
    const fixed = await runStrategy('keepalive-fixed', flags);
    assert.equal(resets(fixed), 0, JSON.stringify(fixed.totals.requestErrors));
    assert.ok(fixed.totals.requests >= 0.85 * fixed.totals.connected, 'requests went through');
    assert.match(fixed.diagnosis, /sent again \(up to 3 times\)/);
  });
}

test('recycled pool: 20 every 500 ms churn 40/s into client TIME_WAIT; 200 ports gone near the model\'s 5 s', { skip, ...TIMEOUT }, async () => {
  const summary = await runStrategy('recycled-pool');
  assertOnsetNearPrediction(summary, 'EADDRNOTAVAIL', 700);
  // Up to the onset it opened 20 + 20 per 500 ms: about 200 connections, not 20.
  assert.ok(summary.totals.connected >= 180, `${summary.totals.connected} connections opened`);
  assert.equal(summary.prediction.recycleRatePerSec, 40);
  assert.match(summary.diagnosis, /recycles its connections \(maxLifetime 500ms\)/);
});

test('leak: 200 ports at 100/s exhaust near 2 s with client TIME_WAIT near 0 at the onset', { skip, ...TIMEOUT }, async () => {
  const summary = await runStrategy('leak');
  const onset = assertOnsetNearPrediction(summary, 'EADDRNOTAVAIL', 500);
  assert.ok(onset.clientTimeWait <= 5, `client TIME_WAIT at the onset ${onset.clientTimeWait}`);
  assert.ok(onset.portsInUse >= 0.9 * summary.lab.portRange.size, `ports in use at the onset ${onset.portsInUse}`);
  // The sampler saw the leaked connections ESTABLISHED.
  assert.ok(Math.max(...summary.intervals.map((iv) => iv.established)) >= 0.9 * summary.lab.portRange.size);
  assert.match(summary.diagnosis, /TIME_WAIT is not the cause here/);
});

test('bind vs no-port: 2 sources x 2 destinations on 100 ports, EADDRINUSE near 2 s, EADDRNOTAVAIL near 4 s', { skip, timeout: 90_000 }, async () => {
  const bind = await runStrategy('bind');
  assertOnsetNearPrediction(bind, 'EADDRINUSE', 500);
  assert.ok(Math.abs(bind.totals.connected - 200) <= 10, `bind connected ${bind.totals.connected}`);
  const noPort = await runStrategy('no-port');
  assertOnsetNearPrediction(noPort, 'EADDRNOTAVAIL', 800);
  assert.ok(Math.abs(noPort.totals.connected - 400) <= 20, `no-port connected ${noPort.totals.connected}`);
  assert.match(noPort.diagnosis, /2 sources x 2 destinations x 100 ports = 400/);
});

test('no-port with a per-socket port range (IP_LOCAL_PORT_RANGE): 10 of the 100 ports per 4-tuple, 40 connections, then EADDRNOTAVAIL', { skip, timeout: 90_000 }, async () => {
  // The model's onset: 40 ports' worth at 100/s, 0.4 s.
  const narrow = await runStrategy('no-port', { 'socket-port-range': '40000-40009', duration: '2s', 'expect-onset-within': '200ms,1500ms' });
  // 2 sources x 2 destinations x 10 ports, against 400 without the range (the no-port test above).
  const { connected } = narrow.totals;
  assert.ok(connected >= 38 && connected <= 42, `connected ${connected}, expected about 40`);
  assert.ok((narrow.totals.errors['EADDRNOTAVAIL'] ?? 0) > 0);
  assert.equal(narrow.prediction.capacity, 40, 'the model counts the narrowed range');
});

test('http.globalAgent vs new http.Agent() against Node\'s default server: a handful of ports vs exhaustion', { skip, timeout: 90_000 }, async () => {
  const global = await runStrategy('global-agent');
  assert.equal(global.onset, null);
  assert.ok(global.totals.connected <= 20, `${global.totals.connected} connections`);
  assert.match(global.diagnosis, /No reset race: the client closes idle connections after 4s, before the server's 5s/);
  const fresh = await runStrategy('new-agent');
  assert.ok(fresh.onset, 'new http.Agent() exhausts');
  // Both ends race to close after "Connection: close": never sooner than the model, which counts every close as the client's.
  assert.ok(fresh.onset.atMs >= fresh.onset.predictedAtMs! - 300, `onset ${fresh.onset.atMs}, predicted ${fresh.onset.predictedAtMs}`);
});

test('compare.yaml: every strategy in one table and one HTML page', { skip, timeout: 420_000 }, async () => {
  const out = tempDir();
  const result = await runCli(['compare', 'scenarios/strategies/compare.yaml', '--parallel', '1', '--lab', 'userns', '--out', out], { timeoutMs: 410_000 });
  const dirs = readdirSync(out).filter((d) => d.includes('-compare-'));
  assert.equal(dirs.length, 1, dirs.join(', '));
  const dir = join(out, dirs[0]!);
  const compare = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult;
  assert.deepEqual(
    compare.cells.map((c) => c.name),
    ['no-keepalive', 'keepalive-race', 'keepalive-fixed', 'undici-race', 'undici-fixed', 'recycled-pool', 'leak', 'bind', 'no-port', 'global-agent', 'new-agent'],
  );
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  const html = readFileSync(join(dir, 'compare.html'), 'utf8');
  assert.equal(html.match(/<table/g)?.length, 1, 'one table');
  for (const row of ['ports in use (peak)', 'request errors', 'request p99', 'peak client TIME_WAIT', 'exhaustion at']) assert.ok(html.includes(row), row);
});

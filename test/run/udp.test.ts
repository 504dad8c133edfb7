/**
 * target.protocol: udp in the userns lab (skipped where user namespaces are not allowed): connected UDP
 * sockets take ephemeral ports from the same range as TCP, but a closed one leaves no TIME_WAIT, so
 * sequential sockets never run out of a tiny range while held ones do, with the code Node reports when
 * dgram's bind to port 0 finds no free port (EADDRINUSE, measured on Linux 6.18).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenarioText } from '../../src/config/loader.js';
import { probeUserns } from '../../src/lab/probe.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { runInLab } from '../../src/run/orchestrate.js';
import { buildSummary } from '../../src/run/summary.js';
import { assertAccounting } from '../helpers/invariants.js';

const userns = probeUserns();
const skip = userns.ok ? false : `userns lab unavailable: ${userns.reason}`;
const TIMEOUT = { timeout: 60_000 };

/** 20 ports, the UDP echo target on 9000, the given duration and client. */
async function runUdp(duration: string, client: string): Promise<RunSummary> {
  const text = [
    'name: udp',
    `duration: ${duration}`,
    'lab: { kind: userns, sysctls: { net.ipv4.ip_local_port_range: 40000 40019 } }',
    'target: { protocol: udp, ports: [9000] }',
    `client: ${client}`,
  ].join('\n');
  const { scenario } = loadScenarioText(text, 'udp.yaml');
  const summary = buildSummary(scenario, await runInLab(scenario));
  assertAccounting(summary);
  assert.equal(summary.interrupted, false);
  return summary;
}

test('udp churn: 200 sequential connected sockets at 50/s through 20 ports, all connect, no TIME_WAIT', { skip, ...TIMEOUT }, async () => {
  // One worker; each socket lives well under the 20 ms between starts, so they come one after another.
  const summary = await runUdp('4s', '{ pattern: churn, rate: 50/s, workers: 1 }');
  const { totals, peak } = summary;
  assert.equal(totals.attempts, 200);
  assert.equal(totals.connected, 200, JSON.stringify(totals.errors));
  assert.deepEqual(totals.errors, {});
  assert.equal(totals.requests, 200, `every datagram echoed (request errors ${JSON.stringify(totals.requestErrors)})`);
  assert.equal(summary.onset, null);
  // Ten times more sockets than ports, and nothing waits: no TIME_WAIT of any kind.
  assert.equal(peak.timeWait, 0);
  assert.equal(peak.clientTimeWait, 0);
  assert.ok(peak.portsInUse < 20, `ports in use peak ${peak.portsInUse}: closed sockets hold none`);
  assert.match(summary.diagnosis, /UDP has no TIME_WAIT/);
});

test('udp pool: 30 held sockets on the same 20 ports: 20 connect, the rest fail with EADDRINUSE', { skip, ...TIMEOUT }, async () => {
  const summary = await runUdp('2s', '{ pattern: pool, pool: { size: 30 }, rate: 50/s, workers: 1 }');
  const { totals, peak, onset } = summary;
  assert.equal(totals.connected, 20);
  assert.deepEqual(Object.keys(totals.errors), ['EADDRINUSE']);
  // The 10 slots that found no port were each tried again (every 100 ms), and failed every time.
  assert.ok(totals.errors['EADDRINUSE']! >= 10, JSON.stringify(totals.errors));
  assert.equal(onset?.code, 'EADDRINUSE');
  assert.equal(peak.portsInUse, 20, 'the sampler saw 20 connected UDP sockets in /proc/net/udp');
  assert.equal(peak.timeWait, 0);
  assert.ok(totals.requests > 0, 'the 20 held sockets carried the requests');
  assert.match(summary.diagnosis, /held open/);
});

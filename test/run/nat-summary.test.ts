/** The nat lab's summary and diagnosis from driver events (fast: no lab). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioText } from '../../src/config/loader.js';
import type { Scenario } from '../../src/config/types.js';
import type { DriverDone, DriverOnset } from '../../src/driver/protocol.js';
import type { NatDriverTotals } from '../../src/metrics/nat.js';
import { buildSummary } from '../../src/run/summary.js';
import { runSummarySchema } from '../../src/metrics/schemas.js';

const EXHAUSTION = `
name: nat-test
duration: 5s
lab: { kind: nat, nat: { portRange: 40000-40099 } }
client: { pattern: pool, pool: { size: 150 }, rate: 50/s, connectTimeout: 1s }
expect: { natDrops: true }
`;
const CHURN = `
name: nat-churn-test
duration: 10s
lab: { kind: nat, nat: { portRange: 40000-40019, randomFully: true } }
client: { pattern: churn, rate: 100/s, connectTimeout: 1s }
expect: { natDrops: false }
`;
const DEST = '198.18.1.2:9000';

function gateway(extra: Partial<NatDriverTotals>): NatDriverTotals {
  return { conntrackTimeWaitSec: 120, tableReadable: true, drops: { insert_failed: 0, drop: 0, early_drop: 0 }, peak: { entries: 0, held: 0, timeWait: 0, byDestination: {} }, ...extra };
}

function done(connected: number, errors: Record<string, number>, nat: NatDriverTotals): DriverDone {
  const failed = Object.values(errors).reduce((a, b) => a + b, 0);
  const row = { attempts: connected + failed, connected, errors };
  return {
    type: 'done',
    interrupted: false,
    durationMs: 5000,
    totals: { attempts: connected + failed, connected, errors, skipped: 0, requests: 0, requestErrors: {}, bySource: { '127.0.0.1': row }, byDestination: { [DEST]: row } },
    connectHist: null,
    requestHist: null,
    lagHist: null,
    netstat: {},
    nat,
  };
}

function summarize(text: string, onset: DriverOnset | null, driverDone: DriverDone): ReturnType<typeof buildSummary> {
  const { scenario } = loadScenarioText(text, 'nat.yaml');
  return buildWith(scenario, onset, driverDone);
}

function buildWith(scenario: Scenario, onset: DriverOnset | null, driverDone: DriverDone): ReturnType<typeof buildSummary> {
  return buildSummary(scenario, {
    runId: 'nat',
    startedAt: '2026-12-01T00:00:00.000Z',
    labKind: scenario.lab.kind,
    ready: { type: 'ready', sysctls: { 'net.ipv4.tcp_tw_reuse': '0' }, portRange: { low: 32768, high: 60999, size: 28232 } },
    intervals: [],
    onset,
    done: driverDone,
    interruption: null,
    version: 'test',
  });
}

const onsetAt = (atMs: number, held: number): DriverOnset => ({
  type: 'onset',
  atMs,
  code: 'ETIMEDOUT',
  clientTimeWait: 0,
  portsInUse: 150,
  timeWait: 0,
  nat: { entries: held, held, timeWait: 0, byDestination: { [DEST]: { entries: held, held, timeWait: 0 } }, insertFailed: 59, drop: 59 },
});

test('a pool beyond the NAT ports: the NAT ran out of ports for the destination, timeouts and drops, no EADDRNOTAVAIL', () => {
  const nat = gateway({ drops: { insert_failed: 268, drop: 268, early_drop: 0 }, peak: { entries: 100, held: 100, timeWait: 0, byDestination: { [DEST]: { entries: 100, held: 100, timeWait: 0 } } } });
  const summary = summarize(EXHAUSTION, onsetAt(1100, 100), done(100, { ETIMEDOUT: 200 }, nat));
  assert.equal(summary.nat?.verdict, 'exhausted');
  assert.equal(summary.nat?.capacityPerDestination, 100);
  assert.deepEqual(summary.nat?.byDestination[DEST], { connected: 100, failed: 200, peakHeld: 100, peakTimeWait: 0 });
  assert.equal(summary.onset?.predictedAtMs, 1000, 'a pool drops its first SYN at once, seen after the 1 s timeout');
  assert.match(summary.diagnosis, /The NAT ran out of ports for 198\.18\.1\.2:9000/);
  assert.match(summary.diagnosis, /no EADDRNOTAVAIL/);
  assert.match(summary.diagnosis, /insert_failed 268, drop 268/);
  assert.match(summary.diagnosis, /without --random-fully/);
  assert.deepEqual(summary.expectations.map((e) => [e.name, e.pass]), [['natDrops: the NAT drops new connections', true]]);
  assert.ok(summary.lab.notes.some((note) => /198\.18\.1\.101:40000-40099/.test(note)));
});

test('churn through 20 ports: 1000 connections, no drops: the NAT reused its TIME_WAIT entries (random-fully named)', () => {
  const nat = gateway({ peak: { entries: 22, held: 3, timeWait: 20, byDestination: { [DEST]: { entries: 22, held: 3, timeWait: 20 } } } });
  const summary = summarize(CHURN, null, done(1000, {}, nat));
  assert.equal(summary.nat?.verdict, 'reused-time-wait');
  assert.match(summary.diagnosis, /1,000 connections to 198\.18\.1\.2:9000 went through its 20 NAT tuples/);
  assert.match(summary.diagnosis, /reused its TIME_WAIT entries/);
  assert.match(summary.diagnosis, /--random-fully/);
  assert.equal(summary.expectations[0]?.pass, true);
  assert.equal(summary.onset, null);
});

test('a few drops that retransmits got through: still no exhaustion, and the diagnosis says what they were', () => {
  const nat = gateway({ drops: { insert_failed: 2, drop: 2, early_drop: 0 }, peak: { entries: 22, held: 8, timeWait: 20, byDestination: { [DEST]: { entries: 22, held: 8, timeWait: 20 } } } });
  const summary = summarize(CHURN, null, done(1000, {}, nat));
  assert.equal(summary.nat?.verdict, 'reused-time-wait');
  assert.match(summary.diagnosis, /dropped a few SYNs \(insert_failed 2, drop 2\) and each retransmit got through/);
  assert.equal(summary.pass, false, 'expect.natDrops: false still fails: the gateway did drop');
});

test('timeouts with no gateway drops are not the NAT\'s doing', () => {
  const nat = gateway({ peak: { entries: 5, held: 5, timeWait: 0, byDestination: { [DEST]: { entries: 5, held: 5, timeWait: 0 } } } });
  const summary = summarize(CHURN, onsetAt(1000, 5), done(10, { ETIMEDOUT: 3 }, nat));
  assert.equal(summary.nat?.verdict, 'timeouts-not-nat');
  assert.match(summary.diagnosis, /dropped no SYN/);
});

test('few connections, no drops: within capacity; expect.natDrops: true fails', () => {
  const nat = gateway({ peak: { entries: 10, held: 10, timeWait: 0, byDestination: { [DEST]: { entries: 10, held: 10, timeWait: 0 } } } });
  const summary = summarize(EXHAUSTION.replace('size: 150', 'size: 10'), null, done(10, {}, nat));
  assert.equal(summary.nat?.verdict, 'within-capacity');
  assert.match(summary.diagnosis, /No NAT exhaustion: at most 10 connections/);
  assert.equal(summary.pass, false);
});

test('other labs have no "nat" and natDrops fails there rather than passing vacuously', () => {
  const { scenario } = loadScenarioText('duration: 1s\nlab: { kind: userns }\nclient: { rate: 10/s }\nexpect: { natDrops: false }\n', 'x.yaml');
  const plain = done(10, {}, gateway({}));
  delete plain.nat;
  const summary = buildWith(scenario, null, plain);
  assert.equal(summary.nat, undefined);
  assert.equal(summary.expectations[0]?.pass, false);
});

test('summary.nat is read back by the RunSummary schema as it was written (portlab report, compare)', () => {
  const nat = gateway({ drops: { insert_failed: 268, drop: 268, early_drop: 0 }, peak: { entries: 100, held: 100, timeWait: 0, byDestination: { [DEST]: { entries: 100, held: 100, timeWait: 0 } } } });
  const summary = summarize(EXHAUSTION, onsetAt(1100, 100), done(100, { ETIMEDOUT: 200 }, nat));
  const written = JSON.stringify(summary);
  const parsed = runSummarySchema.safeParse(JSON.parse(written));
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues));
  assert.equal(JSON.stringify(parsed.data), written, 'byte for byte');
  assert.deepEqual(parsed.data.nat?.atOnset?.byDestination, { [DEST]: { entries: 100, held: 100, timeWait: 0 } });

  const wrongVerdict = JSON.parse(written) as { nat: { verdict: string } };
  wrongVerdict.nat.verdict = 'fine';
  const refused = runSummarySchema.safeParse(wrongVerdict);
  assert.equal(refused.success, false);
  assert.deepEqual(refused.error?.issues.map((i) => i.path.join('.')), ['nat.verdict']);
});

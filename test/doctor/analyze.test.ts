import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdMsFor, levelOfPct } from '../../src/doctor/analyze.js';
import { exitCodeOfLevel } from '../../src/doctor/run-doctor.js';
import type { DoctorReport, FindingId } from '../../src/doctor/types.js';
import { churnReading, reportOf, stillReading } from './readings.js';

const finding = (report: DoctorReport, id: FindingId) => report.findings.find((f) => f.id === id)!;
const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} +- ${tolerance}`);

test('doctor-churn: range, usable ports less the listener inside it, sockets by side', () => {
  const { reading, previous } = churnReading();
  const report = reportOf(reading, previous);
  assert.deepEqual(report.portRange, { low: 40000, high: 40199, size: 200, usable: 199 });
  assert.deepEqual(report.listenersInRange, [{ address: '0.0.0.0', port: 40150 }]);
  assert.deepEqual(report.sockets.byState, { ESTABLISHED: 12, FIN_WAIT2: 2, TIME_WAIT: 150, CLOSE_WAIT: 2, LISTEN: 5 });
  assert.deepEqual(report.sockets.serverByState, { ESTABLISHED: 6, FIN_WAIT2: 2 });
  assert.deepEqual(report.timeWait, {
    total: 150,
    client: 150,
    server: 0,
    sockstat: 150,
    byDestination: [
      { destination: '127.0.0.1:9000', timeWait: 120 },
      { destination: '[::1]:9000', timeWait: 30 },
    ],
  });
  assert.equal(report.tupleCount, 4);
});

test('doctor-churn: the busiest tuple, its utilization, and the rates of the 999-ms window', () => {
  const { reading, previous } = churnReading();
  const report = reportOf(reading, previous);
  const [busiest] = report.tuples;
  assert.equal(busiest!.destination, '127.0.0.1:9000');
  assert.equal(busiest!.portsInUse, 121);
  near(busiest!.utilizationPct, (121 / 199) * 100, 1e-9, 'utilization');
  assert.equal(busiest!.level, 'ok');
  // ActiveOpens 107 -> 158 over 999 ms; 40/s and 10/s went into client TIME_WAIT.
  near(report.rates.newConnectionsPerSec, 51 / 0.999, 1e-9, 'ActiveOpens rate');
  near(busiest!.newPerSec, 40, 2, 'client closes to 127.0.0.1:9000');
  near(report.tuples[1]!.newPerSec, 10, 1, 'client closes to [::1]:9000');
  assert.deepEqual(report.observed.pattern, 'churn');
  assert.deepEqual(report.observed.close, 'client');
  // 199 ports, 121 held (TIME_WAIT 57-60 s left: none comes back in time), ~40/s: (199 - 121) / 40 s.
  near(busiest!.exhaustsInMs!, 1950, 60, 'time to exhaustion');
  // tcp_tw_reuse=0: 198 free ports / 60 s.
  near(busiest!.maxSustainableRatePerSec!, 3.3, 1e-9, 'max sustainable rate');
});

test('doctor-churn: levels — the listener in the range warns, the rate is critical, exit 11', () => {
  const { reading, previous } = churnReading();
  const report = reportOf(reading, previous);
  assert.equal(finding(report, 'listeners-in-range').level, 'warning');
  assert.equal(finding(report, 'new-connections').level, 'critical');
  assert.equal(finding(report, 'busiest-tuple').level, 'ok');
  assert.equal(report.level, 'critical');
  assert.equal(exitCodeOfLevel(report.level), 11);
  assert.deepEqual(
    report.findings.map((f) => f.id),
    ['port-range', 'sockets', 'time-wait', 'busiest-tuple', 'tw-settings', 'listeners-in-range', 'new-connections'],
  );
  for (const f of report.findings) assert.ok(f.recommendation.length > 0, `${f.id} has a recommendation`);
});

test('without a previous reading there are no rates and the rate finding says so', () => {
  const { reading } = churnReading();
  const report = reportOf(reading, null);
  assert.equal(report.windowMs, 0);
  assert.equal(report.rates.newConnectionsPerSec, 0);
  assert.equal(report.tuples[0]!.newPerSec, 0);
  assert.equal(finding(report, 'new-connections').level, 'ok');
});

for (const [range, usable, level, code] of [
  ['40000 40019', 20, 'critical', 11],
  ['40000 40025', 26, 'warning', 10],
  ['40000 40039', 40, 'ok', 0],
] as const) {
  test(`exhausted-v4, 20 TIME_WAIT held, range ${range}: ${level}, exit ${code}`, () => {
    const report = reportOf(stillReading('exhausted-v4', { 'net.ipv4.ip_local_port_range': range, 'net.ipv4.tcp_tw_reuse': '0' }));
    assert.equal(report.portRange.usable, usable);
    assert.equal(report.tuples[0]!.portsInUse, 20);
    assert.equal(report.tuples[0]!.level, level);
    assert.equal(finding(report, 'busiest-tuple').level, level);
    assert.equal(report.level, level);
    assert.equal(exitCodeOfLevel(report.level), code);
  });
}

test('an odd-sized range loses a port, reserved ports and listeners in the range lose theirs', () => {
  // mixed-v4v6 listens on 7000, 9000-9003; reserve 9000-9001 and 20 ports of the range's end.
  const report = reportOf(
    stillReading('mixed-v4v6', { 'net.ipv4.ip_local_port_range': '7000 40200', 'net.ipv4.ip_local_reserved_ports': '9000-9001,40181-40200,50000' }),
  );
  // 33,201 ports, odd: 33,200; less 22 reserved in range; less the unreserved listeners 7000, 9002, 9003.
  assert.deepEqual(report.portRange, { low: 7000, high: 40200, size: 33_201, usable: 33_200 - 22 - 3 });
  assert.equal(report.reservedPorts.inRange, 22);
  assert.deepEqual([...new Set(report.listenersInRange.map((l) => l.port))].sort(), [7000, 9002, 9003]);
  assert.equal(finding(report, 'listeners-in-range').level, 'warning');
  assert.match(finding(report, 'listeners-in-range').recommendation, /ip_local_reserved_ports=7000,9002,9003/);
});

test('levels from utilization: under 70 ok, from 70 warning, from 90 critical', () => {
  assert.deepEqual([69.99, 70, 89.99, 90, 250].map(levelOfPct), ['ok', 'warning', 'warning', 'critical', 'critical']);
});

test('hold time per destination follows tcp_tw_reuse, its loopback-only mode, timestamps and the delay', () => {
  const s = (reuse: string, extra: Record<string, string> = {}) => ({ 'net.ipv4.tcp_tw_reuse': reuse, ...extra });
  assert.equal(holdMsFor('10.0.0.5:5432', s('0')), 60_000);
  assert.equal(holdMsFor('10.0.0.5:5432', s('1')), 1000);
  assert.equal(holdMsFor('10.0.0.5:5432', s('2')), 60_000);
  assert.equal(holdMsFor('127.0.0.1:9000', s('2')), 1000);
  assert.equal(holdMsFor('[::1]:9000', s('2', { 'net.ipv4.tcp_tw_reuse_delay': '250' })), 250);
  assert.equal(holdMsFor('10.0.0.5:5432', s('1', { 'net.ipv4.tcp_timestamps': '0' })), 60_000);
});

/** The host's collector: how the driver's events, in the order it sends them, become the run's data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriverEvent } from '../../src/driver/protocol.js';
import { collectEvents, runDataOf } from '../../src/run/collect.js';
import { driverEvents, exhaustingTicks, labScenario } from '../helpers/driver-events.js';

const SCENARIO = labScenario('collect', '{ rate: 20/s }', { duration: '1s', sysctls: { 'net.ipv4.ip_local_port_range': '40000 40009' } });

test('the driver sends ready, started, the onset before its interval, then done', () => {
  const events = driverEvents({
    scenario: SCENARIO,
    ticks: exhaustingTicks(4, 5, 10),
    onset: { atMs: 510, code: 'EADDRNOTAVAIL', clientTimeWait: 10, portsInUse: 10, timeWait: 10 },
  });
  assert.deepEqual(
    events.map((e) => (e.type === 'interval' ? `interval@${e.interval.tMs}` : e.type)),
    ['ready', 'started', 'interval@0', 'interval@250', 'onset', 'interval@500', 'interval@750', 'done'],
  );
  const ready = events[0]!;
  assert.deepEqual(ready.type === 'ready' && ready.portRange, { low: 40000, high: 40009, size: 10 });
  const started = events[1]!;
  assert.deepEqual(started, { type: 'started', plannedStarts: 20 });
});

test('the collector keeps ready, every interval in order, the onset and the totals', () => {
  const events = driverEvents({
    scenario: SCENARIO,
    ticks: exhaustingTicks(4, 5, 10),
    onset: { atMs: 510, code: 'EADDRNOTAVAIL', clientTimeWait: 10, portsInUse: 10, timeWait: 10 },
  });
  const collected = collectEvents(events);
  assert.equal(collected.ready?.portRange.size, 10);
  assert.deepEqual(collected.intervals.map((i) => [i.tMs, i.connected, i.errors['EADDRNOTAVAIL'] ?? 0]), [
    [0, 5, 0],
    [250, 5, 0],
    [500, 0, 5],
    [750, 0, 5],
  ]);
  assert.deepEqual(collected.onset, { type: 'onset', atMs: 510, code: 'EADDRNOTAVAIL', clientTimeWait: 10, portsInUse: 10, timeWait: 10 });
  assert.deepEqual({ attempts: collected.done?.totals.attempts, connected: collected.done?.totals.connected }, { attempts: 20, connected: 10 });
  assert.equal(collected.failure, null);
});

test('logs and intervals reach the hooks as they are folded in; an error event is kept as the failure', () => {
  const seen: string[] = [];
  const events: DriverEvent[] = [
    ...driverEvents({ scenario: SCENARIO, ticks: exhaustingTicks(2, 5, 10), end: 'none' }),
    { type: 'log', level: 'warn', message: 'sampler: slow read' },
    { type: 'error', code: 'DRIVER_FAILED', message: 'worker 1 exited', hint: 'see stderr' },
  ];
  const collected = collectEvents(events, {
    onReady: (ready) => seen.push(`ready ${ready.portRange.low}`),
    onInterval: (interval) => seen.push(`interval ${interval.tMs}`),
    onOnset: () => seen.push('onset'),
    onLog: (level, message) => seen.push(`${level} ${message}`),
  });
  assert.deepEqual(seen, ['ready 40000', 'interval 0', 'interval 250', 'warn sampler: slow read']);
  assert.deepEqual(collected.failure, { type: 'error', code: 'DRIVER_FAILED', message: 'worker 1 exited', hint: 'see stderr' });
  assert.equal(collected.done, null);
});

test('a driver that failed before ready leaves nothing to summarise', () => {
  const collected = collectEvents([{ type: 'error', code: 'SYSCTL_REFUSED', message: 'the lab refused net.ipv4.tcp_tw_reuse = 7' }]);
  assert.equal(collected.ready, null);
  assert.equal(collected.failure?.code, 'SYSCTL_REFUSED');
});

test('runDataOf joins the host\'s header with what was collected', () => {
  const collected = collectEvents(driverEvents({ scenario: SCENARIO, ticks: exhaustingTicks(1, 5, 10), end: 'none' }));
  const data = runDataOf({ runId: 'r1', startedAt: '2026-12-01T10:00:00.000Z', labKind: 'netns', version: '9.9.9' }, { ...collected, ready: collected.ready! }, { reason: 'SIGTERM', detail: 'stopped by SIGTERM' });
  assert.deepEqual(
    { runId: data.runId, labKind: data.labKind, version: data.version, interruption: data.interruption?.reason, intervals: data.intervals.length, done: data.done },
    { runId: 'r1', labKind: 'netns', version: '9.9.9', interruption: 'SIGTERM', intervals: 1, done: null },
  );
});

/** Why a run was cut short, from what the host saw; and what its summary then says first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureInterruption, isInterruption } from '../../src/run/interruption.js';
import { buildSummary, interruptionOf } from '../../src/run/summary.js';
import { driverEvents, exhaustingTicks, labScenario, runDataFrom } from '../helpers/driver-events.js';

const SCENARIO = labScenario('cut', '{ rate: 20/s }', { duration: '1s', sysctls: { 'net.ipv4.ip_local_port_range': '40000 40009' } });

test('the driver\'s error event names the part that failed, in one line', () => {
  assert.deepEqual(failureInterruption({ code: 'TARGET_FAILED', message: 'the target could not listen: EADDRINUSE' }), {
    reason: 'target-failure',
    detail: 'the target could not listen: EADDRINUSE',
  });
  assert.equal(failureInterruption({ code: 'LAB_FAILED', message: 'x' }).reason, 'lab-failure');
  const crash = failureInterruption({ code: 'DRIVER_FAILED', message: 'Error: boom\n    at f (file.js:1:1)' });
  assert.deepEqual(crash, { reason: 'driver-crash', detail: 'Error: boom' }, 'no stack in the summary');
});

test('an abort reason is portlab\'s only when it has a known reason and a detail', () => {
  assert.equal(isInterruption({ reason: 'SIGTERM', detail: 'stopped by SIGTERM' }), true);
  assert.equal(isInterruption({ reason: 'SIGHUP', detail: '' }), false);
  assert.equal(isInterruption(new DOMException('aborted', 'AbortError')), false);
  assert.equal(isInterruption(undefined), false);
});

test('interruptionOf: the host\'s reason first; a driver that never said done crashed; none otherwise', () => {
  const done = runDataFrom(driverEvents({ scenario: SCENARIO, ticks: exhaustingTicks(1, 5, 10) }));
  assert.equal(interruptionOf(done), null);
  assert.equal(interruptionOf({ ...done, interruption: { reason: 'SIGTERM', detail: 'x' } })?.reason, 'SIGTERM');
  assert.equal(interruptionOf({ ...done, done: null })?.reason, 'driver-crash');
});

test('a summary cut short says why before anything else, and carries the reason', () => {
  const data = runDataFrom(driverEvents({ scenario: SCENARIO, ticks: exhaustingTicks(1, 5, 10), end: 'none' }));
  const summary = buildSummary(SCENARIO, { ...data, interruption: { reason: 'target-failure', detail: 'the target container exited (code 137)' } });
  assert.equal(summary.interrupted, true);
  assert.deepEqual(summary.interruption, { reason: 'target-failure', detail: 'the target container exited (code 137)' });
  assert.match(summary.diagnosis, /^The target failed: the target container exited \(code 137\)\. Partial results: /);
});

/** EMFILE/ENFILE in a run are counted like any connect error and explained as a file limit, not ports. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labScenario, steadyTicks, summaryOf } from '../helpers/driver-events.js';

test('EMFILE connect errors: counted per interval and explained as the open-file limit', () => {
  const summary = summaryOf({
    scenario: labScenario('files', '{ rate: 100/s, close: reset }', { duration: '2s' }),
    ticks: steadyTicks(8, { connected: 20, errors: { EMFILE: 5 } }),
  });
  assert.equal(summary.totals.errors['EMFILE'], 40);
  assert.ok(summary.intervals.every((i) => i.errors['EMFILE'] === 5));
  assert.match(summary.diagnosis, /EMFILE 40: a process ran out of file descriptors .* not of ports/);
  assert.equal(summary.onset, null, 'EMFILE is not port exhaustion');
});

test('no EMFILE, no sentence about files', () => {
  const summary = summaryOf({ scenario: labScenario('files', '{ rate: 100/s, close: reset }', { duration: '2s' }), ticks: steadyTicks(8, { connected: 25 }) });
  assert.doesNotMatch(summary.diagnosis, /file descriptors/);
});

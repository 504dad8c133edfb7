/**
 * Every `expect:` key, passing and failing, judged on a summary built from synthetic driver events. The
 * verdicts (name, pass, detail) are written out, so a changed rule or wording fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exhaustingTicks, labScenario, steadyTicks, summaryOf, type DriverStory } from '../helpers/driver-events.js';

/** The no-pooling load: 200 connections, then 300 EADDRNOTAVAIL from 2.1 s; client TIME_WAIT peaks at 200. */
function exhausting(expect: string): DriverStory {
  return {
    scenario: labScenario('exhausting', '{ rate: 100/s }', { more: `expect: ${expect}` }),
    ticks: exhaustingTicks(20, 25, 200),
    onset: { atMs: 2104.2, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  };
}

/** The server closes first: 500 connections, no error, server TIME_WAIT peaks at 150, client at 2. */
function holding(expect: string): DriverStory {
  return {
    scenario: labScenario('holding', '{ close: server, rate: 100/s }', { more: `expect: ${expect}` }),
    ticks: steadyTicks(20, { connected: 25, serverTimeWait: 150, clientTimeWait: 2 }),
  };
}

test('an exhausting run passes the gates that ask for exhaustion', () => {
  const summary = summaryOf(
    exhausting(`{ eaddrnotavail: true, exhaustion: true, onsetWithin: [1500ms, 2600ms], minClientTimeWait: 180, maxClientTimeWait: 200,
      errors: { EADDRNOTAVAIL: true, EADDRINUSE: false }, minConnected: 200, maxErrors: 300 }`),
  );
  assert.deepEqual(summary.expectations, [
    { name: 'eaddrnotavail: exhaustion happens', pass: true, detail: 'EADDRNOTAVAIL 300 of 500 attempts' },
    { name: 'exhaustion happens', pass: true, detail: 'first EADDRNOTAVAIL at 2.1s' },
    { name: 'onset within 1.5s..2.6s', pass: true, detail: 'onset at 2.1s' },
    { name: 'maxErrors', pass: true, detail: 'EADDRNOTAVAIL 300 (expected at most 300)' },
    { name: 'minConnected', pass: true, detail: 'connected 200 (expected >= 200)' },
    { name: 'maxClientTimeWait', pass: true, detail: 'peak client TIME_WAIT 200 (expected <= 200)' },
    { name: 'minClientTimeWait', pass: true, detail: 'peak client TIME_WAIT 200 (expected >= 180)' },
    { name: 'EADDRNOTAVAIL appears', pass: true, detail: 'EADDRNOTAVAIL 300' },
    { name: 'EADDRINUSE does not appear', pass: true, detail: 'EADDRINUSE 0' },
  ]);
  assert.equal(summary.pass, true);
});

test('an exhausting run fails the gates that forbid exhaustion, each with the measured value (onsetWithin: next test)', () => {
  const summary = summaryOf(
    exhausting(`{ eaddrnotavail: false, exhaustion: false, maxErrors: 299, minConnected: 201,
      maxClientTimeWait: 199, minClientTimeWait: 201, errors: { EADDRNOTAVAIL: false, EADDRINUSE: true } }`),
  );
  assert.deepEqual(summary.expectations, [
    { name: 'eaddrnotavail: no exhaustion', pass: false, detail: 'EADDRNOTAVAIL 300 of 500 attempts' },
    { name: 'no exhaustion', pass: false, detail: 'first EADDRNOTAVAIL at 2.1s' },
    { name: 'maxErrors', pass: false, detail: 'EADDRNOTAVAIL 300 (expected at most 299)' },
    { name: 'minConnected', pass: false, detail: 'connected 200 (expected >= 201)' },
    { name: 'maxClientTimeWait', pass: false, detail: 'peak client TIME_WAIT 200 (expected <= 199)' },
    { name: 'minClientTimeWait', pass: false, detail: 'peak client TIME_WAIT 200 (expected >= 201)' },
    { name: 'EADDRNOTAVAIL does not appear', pass: false, detail: 'EADDRNOTAVAIL 300' },
    { name: 'EADDRINUSE appears', pass: false, detail: 'EADDRINUSE 0' },
  ]);
  assert.equal(summary.pass, false);
});

test('an onset before the window fails it as surely as one after', () => {
  const early = summaryOf(exhausting('{ onsetWithin: [2200ms, 3s] }'));
  assert.deepEqual(early.expectations, [{ name: 'onset within 2.2s..3s', pass: false, detail: 'onset at 2.1s' }]);
  const late = summaryOf(exhausting('{ onsetWithin: [1s, 2100ms] }'));
  assert.deepEqual(late.expectations, [{ name: 'onset within 1s..2.1s', pass: false, detail: 'onset at 2.1s' }]);
  const inside = summaryOf(exhausting('{ onsetWithin: [2104ms, 2105ms] }'));
  assert.deepEqual(inside.expectations, [{ name: 'onset within 2.1s..2.1s', pass: true, detail: 'onset at 2.1s' }]);
});

test('both bounds of onsetWithin are inclusive', () => {
  const at = (atMs: number, window: string): boolean => {
    const story = exhausting(`{ onsetWithin: ${window} }`);
    return summaryOf({ ...story, onset: { ...story.onset!, atMs } }).expectations[0]!.pass;
  };
  assert.equal(at(2000, '[2s, 3s]'), true, 'onset at the low bound');
  assert.equal(at(3000, '[2s, 3s]'), true, 'onset at the high bound');
  assert.equal(at(1999, '[2s, 3s]'), false, 'a millisecond early');
  assert.equal(at(3001, '[2s, 3s]'), false, 'a millisecond late');
});

test('maxConnectionsOpened counts connections made, not attempts that failed', () => {
  // 500 attempts, 200 connected, 300 EADDRNOTAVAIL.
  assert.deepEqual(summaryOf(exhausting('{ maxConnectionsOpened: 200 }')).expectations, [
    { name: 'maxConnectionsOpened', pass: true, detail: 'connections opened 200 (expected <= 200)' },
  ]);
  assert.deepEqual(summaryOf(exhausting('{ maxConnectionsOpened: 199 }')).expectations, [
    { name: 'maxConnectionsOpened', pass: false, detail: 'connections opened 200 (expected <= 199)' },
  ]);
});

test('a holding run passes the gates that forbid exhaustion', () => {
  const summary = summaryOf(
    holding(`{ eaddrnotavail: false, exhaustion: false, maxErrors: 0, minConnected: 500, maxServerTimeWait: 150,
      minServerTimeWait: 150, maxClientTimeWait: 2, errors: { ECONNREFUSED: false } }`),
  );
  assert.deepEqual(summary.expectations, [
    { name: 'eaddrnotavail: no exhaustion', pass: true, detail: 'EADDRNOTAVAIL 0 of 500 attempts' },
    { name: 'no exhaustion', pass: true, detail: 'no exhaustion error (no errors)' },
    { name: 'maxErrors', pass: true, detail: 'no errors (expected at most 0)' },
    { name: 'minConnected', pass: true, detail: 'connected 500 (expected >= 500)' },
    { name: 'maxClientTimeWait', pass: true, detail: 'peak client TIME_WAIT 2 (expected <= 2)' },
    { name: 'maxServerTimeWait', pass: true, detail: 'peak server TIME_WAIT 150 (expected <= 150)' },
    { name: 'minServerTimeWait', pass: true, detail: 'peak server TIME_WAIT 150 (expected >= 150)' },
    { name: 'ECONNREFUSED does not appear', pass: true, detail: 'ECONNREFUSED 0' },
  ]);
  assert.equal(summary.pass, true);
});

test('a holding run fails the gates that ask for exhaustion or server TIME_WAIT it did not have', () => {
  const summary = summaryOf(
    holding(`{ eaddrnotavail: true, exhaustion: true, onsetWithin: [1s, 3s], maxServerTimeWait: 149, minServerTimeWait: 151,
      maxConnectionsOpened: 499 }`),
  );
  assert.deepEqual(summary.expectations, [
    { name: 'eaddrnotavail: exhaustion happens', pass: false, detail: 'EADDRNOTAVAIL 0 of 500 attempts' },
    { name: 'exhaustion happens', pass: false, detail: 'no exhaustion error (no errors)' },
    { name: 'onset within 1s..3s', pass: false, detail: 'no onset' },
    { name: 'maxConnectionsOpened', pass: false, detail: 'connections opened 500 (expected <= 499)' },
    { name: 'maxServerTimeWait', pass: false, detail: 'peak server TIME_WAIT 150 (expected <= 149)' },
    { name: 'minServerTimeWait', pass: false, detail: 'peak server TIME_WAIT 150 (expected >= 151)' },
  ]);
  assert.equal(summary.pass, false);
});

test('a pool that opened only its 10 connections passes maxConnectionsOpened: 10', () => {
  const story: DriverStory = {
    scenario: labScenario('pool', '{ pattern: pool, rate: 100/s, pool: { size: 10 } }', { more: 'expect: { maxConnectionsOpened: 10 }' }),
    ticks: [{ connected: 10, requests: 25, portsInUse: 10 }, ...steadyTicks(19, { connected: 0, requests: 25, portsInUse: 10 })],
  };
  assert.deepEqual(summaryOf(story).expectations, [{ name: 'maxConnectionsOpened', pass: true, detail: 'connections opened 10 (expected <= 10)' }]);
});

test('EADDRINUSE from bound sources is exhaustion, but not EADDRNOTAVAIL', () => {
  const summary = summaryOf({
    scenario: labScenario('bound', '{ rate: 100/s, sourceAddresses: [127.0.0.1, 127.0.0.2] }', { more: 'expect: { exhaustion: true, eaddrnotavail: true }' }),
    ticks: exhaustingTicks(20, 25, 400, 'EADDRINUSE'),
    onset: { atMs: 4010, code: 'EADDRINUSE', clientTimeWait: 400, portsInUse: 400, timeWait: 400 },
  });
  assert.deepEqual(summary.expectations, [
    { name: 'eaddrnotavail: exhaustion happens', pass: false, detail: 'EADDRNOTAVAIL 0 of 500 attempts' },
    { name: 'exhaustion happens', pass: true, detail: 'first EADDRINUSE at 4s' },
  ]);
});

test('no expect: no verdicts, and the run passes', () => {
  const summary = summaryOf({ scenario: labScenario('none', '{ rate: 100/s }'), ticks: exhaustingTicks(20, 25, 200) });
  assert.deepEqual(summary.expectations, []);
  assert.equal(summary.pass, true);
});

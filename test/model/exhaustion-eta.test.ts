import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portsHeldNow, timeToExhaustionMs, type LiveHold } from '../../src/model/exhaustion-eta.js';

const buckets = (entries: Record<number, number>): number[] => {
  const out = new Array<number>(61).fill(0);
  for (const [k, v] of Object.entries(entries)) out[Number(k)] = v;
  return out;
};

const hold = (extra: Partial<LiveHold>): LiveHold => ({
  usablePorts: 200,
  steadyPorts: 0,
  timeWaitBySecondsLeft: buckets({}),
  timeWaitMs: 60_000,
  holdMs: 60_000,
  ratePerSec: 100,
  ...extra,
});

test('an empty tuple runs out at usable / rate, as predict() says from an empty start', () => {
  assert.equal(timeToExhaustionMs(hold({})), 2000);
});

test('a tuple already full has run out now, whatever the rate', () => {
  assert.equal(timeToExhaustionMs(hold({ steadyPorts: 150, timeWaitBySecondsLeft: buckets({ 40: 50 }), ratePerSec: 0 })), 0);
});

test('a rate whose 60-s demand fits never runs out; no rate never does either', () => {
  // 3/s x 60 s = 180 < 200.
  assert.equal(timeToExhaustionMs(hold({ ratePerSec: 3 })), null);
  assert.equal(timeToExhaustionMs(hold({ ratePerSec: 0, steadyPorts: 10 })), null);
});

test('demand exactly at the ports does not run out (the model wants more than capacity)', () => {
  // 200 ports / 60 s.
  assert.equal(timeToExhaustionMs(hold({ ratePerSec: 200 / 60 })), null);
});

test('held TIME_WAIT counts until its timer ends: crossing before the release', () => {
  // 40 open + 50 TIME_WAIT releasing at 10.5 s, 1/s more: 90 + t reaches 100 at t = 10 s.
  assert.equal(timeToExhaustionMs(hold({ usablePorts: 100, steadyPorts: 40, timeWaitBySecondsLeft: buckets({ 10: 50 }), ratePerSec: 1 })), 10_000);
});

test('a release before the crossing pushes it out, here past the plateau: never', () => {
  // Released at 5.5 s (90 + 5.5 < 100), then 40 + t would need 60 s: the hold time, so never.
  assert.equal(timeToExhaustionMs(hold({ usablePorts: 100, steadyPorts: 40, timeWaitBySecondsLeft: buckets({ 5: 50 }), ratePerSec: 1 })), null);
  // At 2/s: 90 + 2t < 100 until 5 s, so it crosses at 5 s, just before the release.
  assert.equal(timeToExhaustionMs(hold({ usablePorts: 100, steadyPorts: 40, timeWaitBySecondsLeft: buckets({ 5: 50 }), ratePerSec: 2 })), 5000);
  // At 1.5/s: 90 + 1.5 x 5.5 = 98.25 at the release; then 40 + 1.5t reaches 100 at 40 s.
  assert.equal(timeToExhaustionMs(hold({ usablePorts: 100, steadyPorts: 40, timeWaitBySecondsLeft: buckets({ 5: 50 }), ratePerSec: 1.5 })), 40_000);
});

test('with reuse, TIME_WAIT older than the delay holds nothing, and new ports come back after it', () => {
  // hold 1 s: a socket with 30 s left is 30 s old, long reusable; 150/s x 1 s > 100 ports: 100 / 150 s.
  const reuse = hold({ usablePorts: 100, timeWaitBySecondsLeft: buckets({ 30: 100 }), holdMs: 1000, ratePerSec: 150 });
  assert.equal(portsHeldNow(reuse), 0);
  assert.ok(Math.abs(timeToExhaustionMs(reuse)! - 666.667) < 0.01);
  assert.equal(timeToExhaustionMs({ ...reuse, ratePerSec: 90 }), null);
});

test('ports held now: steady plus unreleased TIME_WAIT', () => {
  assert.equal(portsHeldNow(hold({ steadyPorts: 7, timeWaitBySecondsLeft: buckets({ 0: 3, 59: 20 }) })), 30);
});

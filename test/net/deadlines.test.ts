import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineQueue, type Timers } from '../../src/net/deadlines.js';

/** A fake clock with timers that fire when the test advances time. */
function fakeTime(): { now: () => number; timers: Timers; advance(ms: number): void; armed(): number } {
  let nowMs = 0;
  const pending = new Map<number, { atMs: number; fn: () => void }>();
  let nextId = 1;
  return {
    now: () => nowMs,
    timers: {
      setTimeout(fn, delayMs) {
        const id = nextId++;
        pending.set(id, { atMs: nowMs + delayMs, fn });
        return id;
      },
      clearTimeout(handle) {
        pending.delete(handle as number);
      },
    },
    advance(ms) {
      const endMs = nowMs + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.atMs <= endMs).sort((a, b) => a[1].atMs - b[1].atMs)[0];
        if (!due) break;
        pending.delete(due[0]);
        nowMs = Math.max(nowMs, due[1].atMs);
        due[1].fn();
      }
      nowMs = endMs;
    },
    armed: () => pending.size,
  };
}

test('a deadline fires after its timeout unless cancelled first', () => {
  const time = fakeTime();
  const queue = new DeadlineQueue(100, time.now, time.timers);
  const fired: string[] = [];
  queue.add(() => fired.push('a'));
  time.advance(50);
  const b = queue.add(() => fired.push('b'));
  queue.add(() => fired.push('c'));
  b.cancel();
  time.advance(49);
  assert.deepEqual(fired, []);
  time.advance(1);
  assert.deepEqual(fired, ['a'], 'a at 100 ms');
  time.advance(50);
  assert.deepEqual(fired, ['a', 'c'], 'b was cancelled; c at 150 ms');
  assert.equal(queue.size(), 0);
  assert.equal(time.armed(), 0, 'no timer left once the queue is empty');
});

test('one timer serves many deadlines, and settled ones leave the queue as they reach its head', () => {
  const time = fakeTime();
  const queue = new DeadlineQueue(2000, time.now, time.timers);
  let expired = 0;
  for (let i = 0; i < 5000; i++) {
    const d = queue.add(() => expired++);
    if (i % 100 !== 0) d.cancel();
    time.advance(0.1);
    assert.ok(time.armed() <= 1, 'never more than one timer');
  }
  // Everything but every hundredth was cancelled: the queue compacts instead of holding them all.
  assert.equal(queue.pending(), 50);
  assert.ok(queue.size() < 2100, `queue holds ${queue.size()} entries`);
  time.advance(2000);
  assert.equal(expired, 50);
  assert.equal(queue.size(), 0);
});

test('an expiry callback may add a new deadline', () => {
  const time = fakeTime();
  const queue = new DeadlineQueue(10, time.now, time.timers);
  const fired: number[] = [];
  queue.add(() => {
    fired.push(time.now());
    queue.add(() => fired.push(time.now()));
  });
  time.advance(100);
  assert.deepEqual(fired, [10, 20]);
});

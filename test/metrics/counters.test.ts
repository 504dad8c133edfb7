import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createCounters,
  mergeAllCounters,
  mergeCounters,
  mergeErrorCounts,
  recordConnect,
  recordRequest,
  recordSkipped,
  sumErrors,
  type IntervalCounters,
} from '../../src/metrics/counters.js';

function workerA(): IntervalCounters {
  const c = createCounters();
  recordConnect(c, '127.0.0.1', '127.0.0.1:9000');
  recordConnect(c, '127.0.0.1', '127.0.0.1:9000', 'EADDRNOTAVAIL');
  recordConnect(c, '127.0.0.2', '127.0.0.1:9001');
  recordSkipped(c, 2);
  recordRequest(c);
  return c;
}

function workerB(): IntervalCounters {
  const c = createCounters();
  recordConnect(c, '127.0.0.1', '127.0.0.1:9000', 'EADDRNOTAVAIL');
  recordConnect(c, '127.0.0.2', '127.0.0.1:9000', 'ECONNREFUSED');
  recordRequest(c, 'ECONNRESET');
  recordRequest(c);
  recordSkipped(c);
  return c;
}

test('recordConnect keeps attempts = connected + sum(errors) overall and per row', () => {
  const c = workerA();
  assert.equal(c.attempts, 3);
  assert.equal(c.connected, 2);
  assert.deepEqual(c.errors, { EADDRNOTAVAIL: 1 });
  assert.deepEqual(c.bySource['127.0.0.1'], { attempts: 2, connected: 1, errors: { EADDRNOTAVAIL: 1 } });
  assert.deepEqual(c.byDestination['127.0.0.1:9001'], { attempts: 1, connected: 1, errors: {} });
  for (const row of [c, ...Object.values(c.bySource), ...Object.values(c.byDestination)]) {
    assert.equal(row.attempts, row.connected + sumErrors(row.errors));
  }
});

test('merge adds every field, including breakdown rows present on one side only', () => {
  const merged = mergeCounters(workerA(), workerB());
  assert.equal(merged.attempts, 5);
  assert.equal(merged.connected, 2);
  assert.deepEqual(merged.errors, { EADDRNOTAVAIL: 2, ECONNREFUSED: 1 });
  assert.equal(merged.skipped, 3);
  assert.equal(merged.requests, 2);
  assert.deepEqual(merged.requestErrors, { ECONNRESET: 1 });
  assert.deepEqual(merged.bySource['127.0.0.2'], { attempts: 2, connected: 1, errors: { ECONNREFUSED: 1 } });
  assert.deepEqual(merged.byDestination['127.0.0.1:9000'], {
    attempts: 4,
    connected: 1,
    errors: { EADDRNOTAVAIL: 2, ECONNREFUSED: 1 },
  });
  assert.deepEqual(merged.byDestination['127.0.0.1:9001'], { attempts: 1, connected: 1, errors: {} });
});

test('merge is pure, commutative, associative, with createCounters() as zero', () => {
  const a = workerA();
  const b = workerB();
  const aCopy = structuredClone(a);
  const ab = mergeCounters(a, b);
  assert.deepEqual(a, aCopy, 'inputs untouched');
  ab.errors.EADDRNOTAVAIL = 99;
  assert.deepEqual(a, aCopy, 'result shares no objects with inputs');
  assert.deepEqual(mergeCounters(b, a), mergeCounters(a, b));
  const c = workerA();
  assert.deepEqual(mergeCounters(mergeCounters(a, b), c), mergeCounters(a, mergeCounters(b, c)));
  assert.deepEqual(mergeCounters(a, createCounters()), a);
  assert.deepEqual(mergeAllCounters([a, b, c]), mergeCounters(mergeCounters(a, b), c));
  assert.deepEqual(mergeAllCounters([]), createCounters());
});

test('counters are plain JSON (NDJSON events); error maps merge per code', () => {
  const a = workerA();
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
  assert.deepEqual(mergeErrorCounts({ A: 1 }, { A: 2, B: 3 }), { A: 3, B: 3 });
  assert.equal(sumErrors({}), 0);
});

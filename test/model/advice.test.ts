/** The words of a prediction (model/advice.ts): each branch of the advice and each note, written out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adviseOn,
  bindsBeforeConnect,
  exhaustionCode,
  finTimeoutNote,
  fixesSentence,
  formatAboutMs,
  formatRatePerSec,
  formatSpanMs,
  notesFor,
} from '../../src/model/advice.js';
import type { Figures, PredictInput } from '../../src/model/types.js';

const RANGE = { low: 40000, high: 40199, size: 200 };

function input(extra: Partial<PredictInput> = {}): PredictInput {
  return { ratePerSec: 100, portRange: RANGE, timeWaitMs: 60_000, destinations: 1, sourceAddresses: 1, ...extra };
}

/** The figures of 100/s churn on 200 ports without reuse: exhausts at 2 s. */
const EXHAUSTS: Figures = {
  pattern: 'churn',
  usablePortsPerTuple: 200,
  tuples: 1,
  capacity: 200,
  steadyStateTimeWait: 6000,
  steadyStateClientTimeWait: 6000,
  steadyStateServerTimeWait: 0,
  portsNeeded: 6000,
  utilizationPct: 3000,
  exhausts: true,
  timeToFirstFailureMs: 2000,
  maxSustainableRatePerSec: 200 / 60,
};

const HOLDS: Figures = {
  ...EXHAUSTS,
  capacity: 28_232,
  usablePortsPerTuple: 28_232,
  portsNeeded: 6000,
  utilizationPct: 21.25,
  exhausts: false,
  timeToFirstFailureMs: null,
  maxSustainableRatePerSec: 470.53,
};

test('formatRatePerSec keeps two decimals below 10/s, one above', () => {
  assert.equal(formatRatePerSec(200 / 60), '3.33/s');
  assert.equal(formatRatePerSec(10 / 60), '0.17/s');
  assert.equal(formatRatePerSec(9.999), '10/s');
  assert.equal(formatRatePerSec(470.5333), '470.5/s');
  assert.equal(formatRatePerSec(12_345), '12,345/s');
});

test('formatSpanMs: ms below a second, seconds from one', () => {
  assert.equal(formatSpanMs(60_000), '60 s');
  assert.equal(formatSpanMs(240_000), '240 s');
  assert.equal(formatSpanMs(1000), '1 s');
  assert.equal(formatSpanMs(999), '999 ms');
  assert.equal(formatSpanMs(1500), '1.5 s');
});

test('formatAboutMs: ms, one decimal below 10 s, whole seconds, minutes from 2 minutes', () => {
  assert.equal(formatAboutMs(420), '420 ms');
  assert.equal(formatAboutMs(2000), '2 s');
  assert.equal(formatAboutMs(4250), '4.3 s');
  assert.equal(formatAboutMs(56_464), '56 s');
  assert.equal(formatAboutMs(119_999), '120 s');
  assert.equal(formatAboutMs(120_000), '2 min');
  assert.equal(formatAboutMs(150_000), '2.5 min');
});

test('bound sources run out with EADDRINUSE, plain connect() with EADDRNOTAVAIL', () => {
  assert.equal(exhaustionCode(true), 'EADDRINUSE');
  assert.equal(exhaustionCode(false), 'EADDRNOTAVAIL');
  assert.equal(bindsBeforeConnect({ sourceAddresses: 1 }), false);
  assert.equal(bindsBeforeConnect({ sourceAddresses: 2 }), true);
  // One source that is not the default one is bound too: the input says so.
  assert.equal(bindsBeforeConnect({ sourceAddresses: 1, boundSources: true }), true);
  assert.equal(bindsBeforeConnect({ sourceAddresses: 3, boundSources: false }), false);
});

test('the fixes: more destinations only help plain connect()', () => {
  assert.equal(
    fixesSentence(false, 200 / 60),
    'Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay under 3.33/s.',
  );
  assert.equal(fixesSentence(false, null), 'Reuse connections (a keep-alive pool), spread over more destinations or source addresses.');
  assert.equal(fixesSentence(true, 400 / 60), 'Add source addresses or reuse connections (a keep-alive pool), or stay under 6.67/s.');
  assert.equal(fixesSentence(true, null), 'Add source addresses or reuse connections (a keep-alive pool).');
});

test('advice when churn exhausts: plain, with one bound source, with reuse', () => {
  assert.equal(
    adviseOn(input(), EXHAUSTS),
    'At 100/s the client keeps 6,000 sockets in TIME_WAIT but only 200 ports exist: connect() fails with EADDRNOTAVAIL after ' +
      'about 2 s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay under 3.33/s.',
  );
  assert.equal(
    adviseOn(input({ boundSources: true }), EXHAUSTS),
    'At 100/s the client keeps 6,000 sockets in TIME_WAIT but only 200 ports exist: connect() fails with EADDRINUSE after ' +
      'about 2 s. Add source addresses or reuse connections (a keep-alive pool), or stay under 3.33/s.',
  );
  const reuse: Figures = { ...EXHAUSTS, portsNeeded: 300, timeToFirstFailureMs: 666.67, maxSustainableRatePerSec: 200 };
  assert.equal(
    adviseOn(input({ ratePerSec: 300, twReuse: true }), reuse),
    'At 300/s, even with tcp_tw_reuse (a TIME_WAIT port comes back after 1 s) the client needs 300 ports but only 200 exist: ' +
      'connect() fails with EADDRNOTAVAIL after about 667 ms. Reuse connections (a keep-alive pool), spread over more ' +
      'destinations or source addresses, or stay under 200/s.',
  );
});

test('advice when churn holds: plain, with reuse, under a TIME_WAIT cap', () => {
  assert.equal(
    adviseOn(input(), HOLDS),
    'At 100/s the client keeps about 6,000 sockets in TIME_WAIT, 21.3% of the 28,232 ports: no exhaustion; it would start above 470.5/s.',
  );
  const reuse: Figures = { ...EXHAUSTS, capacity: 40, portsNeeded: 30, exhausts: false, timeToFirstFailureMs: null, maxSustainableRatePerSec: 40 };
  assert.equal(
    adviseOn(input({ ratePerSec: 30, twReuse: true, twReuseDelayMs: 500 }), reuse),
    'At 30/s the client would need 1,800 ports for TIME_WAIT but only 40 exist; tcp_tw_reuse takes a TIME_WAIT port back after ' +
      '500 ms, so it gets by with 30 and runs out only above 40/s.',
  );
  const capped: Figures = { ...EXHAUSTS, portsNeeded: 10, exhausts: false, timeToFirstFailureMs: null, maxSustainableRatePerSec: null };
  assert.equal(
    adviseOn(input({ maxTwBuckets: 10 }), capped),
    'At 100/s the client would keep 6,000 sockets in TIME_WAIT, but tcp_max_tw_buckets=10 destroys every one above 10 ' +
      "(TCPTimeWaitOverflow), which frees their ports: no exhaustion, at the cost of TIME_WAIT's protection against late " +
      'packets of old connections.',
  );
});

test('advice for a pool that fits, a pool that does not, and bound sources', () => {
  const fits: Figures = { ...HOLDS, pattern: 'pool', capacity: 200, portsNeeded: 10, maxSustainableRatePerSec: null };
  assert.equal(
    adviseOn(input({ poolSize: 10 }), fits),
    'A pool of 10 connections holds 10 of the 200 ports and leaves no TIME_WAIT: ports never run out, at 100/s or any other request rate.',
  );
  const tooBig: Figures = { ...EXHAUSTS, pattern: 'pool', portsNeeded: 300, timeToFirstFailureMs: 0, maxSustainableRatePerSec: 0 };
  assert.equal(
    adviseOn(input({ poolSize: 300 }), tooBig),
    'A pool of 300 connections needs more ports than the 200 that exist: connect() fails with EADDRNOTAVAIL as soon as the ' +
      'pool fills. Use a smaller pool, or spread it over more destinations or source addresses.',
  );
  assert.match(adviseOn(input({ poolSize: 300, sourceAddresses: 1, boundSources: true }), tooBig), /fails with EADDRINUSE as soon/);
});

test('advice when the server closes first or connections are reset', () => {
  const server: Figures = { ...HOLDS, steadyStateServerTimeWait: 200, steadyStateClientTimeWait: 0 };
  assert.equal(
    adviseOn(input({ closer: 'server' }), server),
    'The server closes first, so TIME_WAIT (about 200 sockets) sits on the server, costs the client no ports, and the ' +
      "client's port is free as soon as the connection ends: no exhaustion at any rate.",
  );
  assert.equal(
    adviseOn(input({ closer: 'reset' }), HOLDS),
    'Connections end with a reset (RST), so neither side keeps TIME_WAIT and every port is free at once: no exhaustion at any ' +
      'rate, but a reset discards unsent data and the peer sees an error.',
  );
});

test('notes: fin_timeout, reuse without timestamps, loopback-only reuse, bound sources', () => {
  assert.deepEqual(notesFor(input(), EXHAUSTS), ['Lowering tcp_fin_timeout will not help: it does not shorten TIME_WAIT (60 s).']);
  assert.deepEqual(notesFor(input({ timeWaitMs: 30_000 }), EXHAUSTS), ['Lowering tcp_fin_timeout will not help: it does not shorten TIME_WAIT (30 s).']);
  assert.deepEqual(notesFor(input({ finTimeoutSec: 5 }), HOLDS), [
    'tcp_fin_timeout=5 changes nothing here: it only limits orphaned FIN_WAIT2 sockets, and TIME_WAIT still lasts 60 s (on ' +
      'Linux TCP_TIMEWAIT_LEN, which no sysctl changes).',
  ]);
  assert.equal(finTimeoutNote(5, 240_000), notesFor(input({ finTimeoutSec: 5, timeWaitMs: 240_000 }), HOLDS)[0]);
  assert.deepEqual(notesFor(input({ twReuse: true, tcpTimestamps: false }), HOLDS), [
    'tcp_tw_reuse needs TCP timestamps on both ends; with tcp_timestamps=0 it does nothing.',
  ]);
  assert.deepEqual(notesFor(input({ twReuse: true, twReuseLoopbackOnly: true }), HOLDS), [
    'tcp_tw_reuse=2 (the Linux default) reuses TIME_WAIT ports only toward loopback addresses; toward a remote backend it acts ' +
      'like 0, so predict with --tw-reuse 0 for production.',
  ]);
  const bound =
    'Sources are bound before connect (bind(ip, 0)): ports are allocated per source address and refused to every plain ' +
    'connect(), and running out shows as EADDRINUSE rather than EADDRNOTAVAIL.';
  assert.deepEqual(notesFor(input({ sourceAddresses: 2 }), HOLDS), [bound]);
  assert.deepEqual(notesFor(input({ sourceAddresses: 1, boundSources: true }), HOLDS), [bound]);
  assert.deepEqual(notesFor(input(), HOLDS), []);
});

test('UDP: closed sockets never exhaust (no TIME_WAIT), and a full range fails in bind with EADDRINUSE', () => {
  const udp = { transport: 'udp' as const };
  assert.equal(
    adviseOn(input({ ...udp, closer: 'reset' }), EXHAUSTS),
    'UDP has no TIME_WAIT: each socket frees its port the moment it closes, so sockets that close never run out of the 200 ports at 100/s or any other rate; only sockets held open at once count.',
  );
  const tooBig: Figures = { ...EXHAUSTS, pattern: 'pool', portsNeeded: 300, timeToFirstFailureMs: 0, maxSustainableRatePerSec: 0 };
  assert.match(adviseOn(input({ ...udp, poolSize: 300 }), tooBig), /fails with EADDRINUSE as soon/);
  assert.match(adviseOn(input({ ...udp, closer: 'never' }), EXHAUSTS), /connect\(\) fails with EADDRINUSE\./);
  // TCP with the same inputs keeps EADDRNOTAVAIL.
  assert.match(adviseOn(input({ closer: 'never' }), EXHAUSTS), /connect\(\) fails with EADDRNOTAVAIL\./);
});

/** The model's rules for pooling strategies, against numbers worked out by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepAliveOutcome, type KeepAliveInput } from '../../src/model/keep-alive.js';
import { predict, predictOnsetMs } from '../../src/model/predict.js';
import { predictRecyclingOnsetMs, recycleRatePerSec } from '../../src/model/recycling.js';
import type { PredictInput } from '../../src/model/types.js';

const range = (size: number) => ({ low: 40000, high: 40000 + size - 1, size });
const base = (extra: Partial<PredictInput>): PredictInput => ({ ratePerSec: 100, portRange: range(200), timeWaitMs: 60_000, destinations: 1, sourceAddresses: 1, ...extra });
const constant = (ratePerSec: number, durationMs: number) => [{ durationMs, ratePerSec }];

test('keep-alive: which client keeps idle connections how long against which server', () => {
  const cases: [string, KeepAliveInput, { reuses: boolean; clientIdleMs: number | null; raceProne: boolean; disabledByHint: boolean }][] = [
    // new http.Agent({ keepAlive: true }): no timeout of its own, and without one it ignores the hint.
    ['agent, no timeout, no hint', { client: 'node-agent', keepAlive: true, serverTimeoutMs: 5000, hint: false }, { reuses: true, clientIdleMs: null, raceProne: true, disabledByHint: false }],
    ['agent, no timeout, hint 5', { client: 'node-agent', keepAlive: true, serverTimeoutMs: 5000, hint: true }, { reuses: true, clientIdleMs: null, raceProne: true, disabledByHint: false }],
    // http.globalAgent: timeout 5 s, the hint 5 s - 1 s = 4 s is shorter: under the server's 5 s.
    ['globalAgent, hint 5', { client: 'node-agent', keepAlive: true, clientTimeoutMs: 5000, serverTimeoutMs: 5000, hint: true }, { reuses: true, clientIdleMs: 4000, raceProne: false, disabledByHint: false }],
    ['globalAgent, no hint', { client: 'node-agent', keepAlive: true, clientTimeoutMs: 5000, serverTimeoutMs: 5000, hint: false }, { reuses: true, clientIdleMs: 5000, raceProne: true, disabledByHint: false }],
    ['agent 4 s, no hint', { client: 'node-agent', keepAlive: true, clientTimeoutMs: 4000, serverTimeoutMs: 5000, hint: false }, { reuses: true, clientIdleMs: 4000, raceProne: false, disabledByHint: false }],
    // A hint of timeout=1 (or 0) leaves 1 s - 1 s = 0: the agent drops every socket after its response.
    ['agent, hint 1', { client: 'node-agent', keepAlive: true, serverTimeoutMs: 1500, hint: true }, { reuses: false, clientIdleMs: null, raceProne: false, disabledByHint: true }],
    ['agent keepAlive off', { client: 'node-agent', keepAlive: false, serverTimeoutMs: 5000, hint: true }, { reuses: false, clientIdleMs: null, raceProne: false, disabledByHint: false }],
    // undici: its keepAliveTimeout (4 s) without a hint; with one, the hint - 2 s.
    ['undici, no hint, server 5 s', { client: 'undici', keepAlive: true, clientTimeoutMs: 4000, serverTimeoutMs: 5000, hint: false }, { reuses: true, clientIdleMs: 4000, raceProne: false, disabledByHint: false }],
    ['undici, no hint, server 1 s', { client: 'undici', keepAlive: true, clientTimeoutMs: 4000, serverTimeoutMs: 1000, hint: false }, { reuses: true, clientIdleMs: 4000, raceProne: true, disabledByHint: false }],
    ['undici, hint 5', { client: 'undici', keepAlive: true, clientTimeoutMs: 4000, serverTimeoutMs: 5000, hint: true }, { reuses: true, clientIdleMs: 3000, raceProne: false, disabledByHint: false }],
    ['undici, hint 2', { client: 'undici', keepAlive: true, clientTimeoutMs: 4000, serverTimeoutMs: 2000, hint: true }, { reuses: false, clientIdleMs: null, raceProne: false, disabledByHint: true }],
  ];
  for (const [name, input, expected] of cases) assert.deepEqual(keepAliveOutcome(input), expected, name);
});

test('a leak exhausts at capacity / rate with no TIME_WAIT, at any rate', () => {
  const p = predict(base({ closer: 'never' }));
  assert.deepEqual([p.exhausts, p.timeToFirstFailureMs, p.steadyStateClientTimeWait, p.maxSustainableRatePerSec], [true, 2000, 0, 0]);
  assert.match(p.advice, /never closed/);
  assert.doesNotMatch(p.notes.join(' '), /tcp_fin_timeout/, 'TIME_WAIT advice does not apply');
  // 200 ports, 100/s: the 201st start, at 2 s; even 1/s gets there (after 200 s).
  const near = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-3, `${actual} is not ${expected}`);
  near(predictOnsetMs(constant(100, 5000), 200, 60_000, { closer: 'never' }), 2000);
  near(predictOnsetMs(constant(1, 300_000), 200, 60_000, { closer: 'never' }), 200_000);
  assert.equal(predictOnsetMs(constant(100, 1000), 200, 60_000, { closer: 'never' }), null, 'the run ends first');
});

test('recycling by lifetime: 20 connections every 500 ms churn 40/s, 200 ports run out at the 10th step (5 s)', () => {
  const pool = { poolSize: 20, lifetimeMs: 500 };
  assert.equal(recycleRatePerSec(pool, 100), 40);
  // Held after step k: 20 open + 20 k in TIME_WAIT; 20 + 20 x 9 = 200 fits, 20 + 20 x 10 = 220 does not.
  assert.equal(predictRecyclingOnsetMs(constant(100, 8000), 200, 60_000, pool), 5000);
  assert.equal(predictRecyclingOnsetMs(constant(100, 4000), 200, 60_000, pool), null, 'ends before the 10th step');
  const p = predict(base({ poolSize: 20, poolRecycle: { lifetimeMs: 500 } }));
  // 40/s x 60 s = 2,400 TIME_WAIT + 20 open; (200 - 20) / 40 = 4.5 s without the steps.
  assert.deepEqual([p.pattern, p.recycleRatePerSec, p.steadyStateClientTimeWait, p.portsNeeded, p.exhausts, p.timeToFirstFailureMs, p.maxSustainableRatePerSec], ['pool', 40, 2400, 2420, true, 4500, 0]);
  assert.match(p.advice, /recycles/);
});

test('recycling by requests: rate / M connections per second, sustainable up to M x (capacity - S) / 60 s', () => {
  const pool = { poolSize: 10, requestsPerConnection: 100 };
  assert.equal(recycleRatePerSec(pool, 500), 5);
  const p = predict(base({ ratePerSec: 500, poolSize: 10, poolRecycle: { requestsPerConnection: 100 } }));
  // 5/s x 60 s = 300 TIME_WAIT + 10 open > 200; sustainable: 100 x 190 / 60 = 316.7 requests/s.
  assert.deepEqual([p.steadyStateClientTimeWait, p.exhausts], [300, true]);
  assert.ok(Math.abs(p.maxSustainableRatePerSec! - 316.67) < 0.01, String(p.maxSustainableRatePerSec));
  // One recycle per 100 starts: the 190th (1 + 190 x 100 = 19,001st start) comes at 38 s.
  assert.ok(Math.abs(predictRecyclingOnsetMs(constant(500, 60_000), 200, 60_000, pool)! - 38_000) < 1);
  assert.equal(predict(base({ ratePerSec: 300, poolSize: 10, poolRecycle: { requestsPerConnection: 100 } })).exhausts, false, '3/s x 60 s + 10 = 190 fits');
});

test('bound sources: bind fails with EADDRINUSE, no-port with EADDRNOTAVAIL, and its note says why', () => {
  const bind = predict(base({ sourceAddresses: 2, destinations: 1, bindStrategy: 'bind' }));
  const noPort = predict(base({ sourceAddresses: 2, destinations: 2, bindStrategy: 'no-port' }));
  assert.deepEqual([bind.capacity, noPort.capacity], [400, 800]);
  assert.match(bind.advice, /EADDRINUSE/);
  assert.match(noPort.advice, /EADDRNOTAVAIL/);
  assert.match(noPort.notes.join(' '), /IP_BIND_ADDRESS_NO_PORT/);
});

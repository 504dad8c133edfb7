import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autocannonPlan, STOP_EARLY_MS, urlOf } from '../../../../src/engine/loads/autocannon/options.js';
import { httpWorkerConfig } from '../../../helpers/http.js';

const config = (overrides: Parameters<typeof httpWorkerConfig>[1]) => httpWorkerConfig(9000, { load: 'autocannon', ...overrides });

test('churn: a new connection per request (reconnectRate 1)', () => {
  const plan = autocannonPlan(config({ pattern: 'churn', poolSize: 10, stages: [{ durationMs: 5000, ratePerSec: 100 }], durationMs: 5000 }))!;
  assert.equal(plan.reconnectRate, 1);
  assert.equal(plan.connections, 10);
  assert.equal(plan.overallRate, 100);
  assert.equal(plan.durationSec, (5000 - STOP_EARLY_MS) / 1000);
});

test('pool: keep-alive connections, recycled only after maxRequestsPerConnection', () => {
  assert.equal(autocannonPlan(config({ pattern: 'pool' }))!.reconnectRate, undefined);
  assert.equal(autocannonPlan(config({ pattern: 'pool', maxRequestsPerConnection: 50 }))!.reconnectRate, 50);
});

test('the rate is split over workers in whole requests per second', () => {
  const stages = [{ durationMs: 1000, ratePerSec: 101 }];
  const rates = [0, 1].map((index) => autocannonPlan(config({ stages, workers: 2, index }))!.overallRate);
  assert.deepEqual(rates, [51, 50]);
});

test('connections never exceed the rate, and a worker with no share of the rate runs nothing', () => {
  assert.equal(autocannonPlan(config({ poolSize: 10, stages: [{ durationMs: 1000, ratePerSec: 4 }] }))!.connections, 4);
  assert.equal(autocannonPlan(config({ workers: 2, index: 1, stages: [{ durationMs: 1000, ratePerSec: 1 }] })), null);
});

test('a failed connect is retried after one connection\'s share of a second', () => {
  const plan = autocannonPlan(config({ poolSize: 5, stages: [{ durationMs: 1000, ratePerSec: 50 }] }))!;
  assert.equal(plan.retryAfterMs, 100);
});

test('timeout covers a connect and a delayed response; pipelining passes through', () => {
  const plan = autocannonPlan(config({ connectTimeoutMs: 2000, responseDelayMs: 500, pipelining: 4 }))!;
  assert.equal(plan.timeoutSec, 3.5);
  assert.equal(plan.pipelining, 4);
});

test('urls: one per destination, IPv6 in brackets', () => {
  assert.equal(urlOf({ host: '127.0.0.2', port: 9001 }), 'http://127.0.0.2:9001/');
  assert.equal(urlOf({ host: '::1', port: 9000 }), 'http://[::1]:9000/');
  const plan = autocannonPlan(config({ destinations: [{ host: '127.0.0.1', port: 9000 }, { host: '127.0.0.1', port: 9001 }] }))!;
  assert.equal(plan.urls.length, 2);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictProxy, type ProxyInput } from '../../src/model/proxy.js';

const base: ProxyInput = {
  upstream: 'per-request',
  requestsPerSec: 100,
  clientPoolSize: 10,
  proxyPoolSize: 10,
  backendDestinations: 1,
  portRange: { low: 40000, high: 40199, size: 200 },
  timeWaitMs: 60_000,
};

test('per-request behind keep-alive clients: the backend hop runs out at ports / rate, the client hop never', () => {
  const p = predictProxy(base);
  assert.equal(p.firstHop, 'proxy-backend');
  assert.equal(p.timeToFirstFailureMs, 2000);
  assert.equal(p.backendConnectionsPerSec, 100);
  assert.equal(p.clientHop.exhausts, false);
  assert.equal(p.clientHop.portsNeeded, 10);
  assert.match(p.advice, /backend hop/);
});

test('a pooled upstream holds the same load on its pool', () => {
  const p = predictProxy({ ...base, upstream: 'pooled' });
  assert.equal(p.firstHop, null);
  assert.equal(p.backendHop.portsNeeded, 10);
  assert.equal(p.backendConnectionsPerSec, 0);
});

test('L4 follows the client connections: kept alive they hold, churned both hops churn; backend ports multiply', () => {
  assert.equal(predictProxy({ ...base, upstream: 'per-connection' }).firstHop, null);
  const { clientPoolSize: _none, ...churning } = base;
  const l4 = predictProxy({ ...churning, upstream: 'per-connection' });
  assert.equal(l4.backendHop.timeToFirstFailureMs, 2000);
  assert.equal(l4.clientHop.timeToFirstFailureMs, 2000);
  const two = predictProxy({ ...base, backendDestinations: 2 });
  assert.equal(two.timeToFirstFailureMs, 4000);
});

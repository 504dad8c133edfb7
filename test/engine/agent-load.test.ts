import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentLoad, workerMaxSockets } from '../../src/engine/worker/agent.js';
import { sumErrors } from '../../src/metrics/counters.js';
import { freePort, httpWorkerConfig, recordingRuntime, waitUntil, withHttpTarget } from '../helpers/http.js';

async function runRequests(port: number, agent: { keepAlive: boolean; maxSockets?: number }, requests: number, gapMs: number) {
  const recording = recordingRuntime(httpWorkerConfig(port, { agent }));
  const load = new AgentLoad(recording.runtime);
  for (let k = 0; k < requests; k++) {
    load.start(k);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  await waitUntil(() => recording.runtime.inFlight === 0, 5000);
  load.abort();
  return recording.totals();
}

test('keepAlive false with a finite maxSockets: one new connection per sequential request', async () => {
  await withHttpTarget({}, async (port) => {
    const totals = await runRequests(port, { keepAlive: false, maxSockets: 10 }, 5, 20);
    assert.equal(totals.requests, 5);
    assert.equal(totals.attempts, 5);
    assert.equal(totals.connected, 5);
    assert.deepEqual(totals.requestErrors, {});
  });
});

test('keepAlive true: sequential requests reuse one connection', async () => {
  await withHttpTarget({}, async (port) => {
    const totals = await runRequests(port, { keepAlive: true, maxSockets: 10 }, 5, 20);
    assert.equal(totals.requests, 5);
    assert.equal(totals.attempts, 1);
    assert.equal(totals.connected, 1);
  });
});

test('a refused connect is a connect attempt with its code, not a request error', async () => {
  const port = await freePort();
  const totals = await runRequests(port, { keepAlive: false }, 3, 5);
  assert.equal(totals.attempts, 3);
  assert.equal(totals.connected, 0);
  assert.deepEqual(totals.errors, { ECONNREFUSED: 3 });
  assert.equal(totals.attempts, totals.connected + sumErrors(totals.errors));
  assert.deepEqual(totals.requestErrors, {});
  assert.equal(totals.requests, 0);
});

test('maxInFlight: starts beyond it are skipped, not queued', async () => {
  await withHttpTarget({}, async (port) => {
    const recording = recordingRuntime(httpWorkerConfig(port, { maxInFlight: 2, agent: { keepAlive: true } }));
    const load = new AgentLoad(recording.runtime);
    for (let k = 0; k < 5; k++) load.start(k);
    await waitUntil(() => recording.runtime.inFlight === 0, 5000);
    load.abort();
    const totals = recording.totals();
    assert.equal(totals.skipped, 3);
    assert.equal(totals.requests, 2);
  });
});

test('workerMaxSockets splits a finite maxSockets over workers and keeps unlimited unlimited', () => {
  assert.equal(workerMaxSockets(undefined, 2, 0), Infinity);
  assert.deepEqual([0, 1, 2].map((i) => workerMaxSockets(50, 3, i)), [17, 17, 16]);
  assert.equal(workerMaxSockets(1, 2, 1), 1);
});

test('the node-agent engine refuses a tcp target', () => {
  const recording = recordingRuntime(httpWorkerConfig(9, { protocol: 'tcp' }));
  assert.throws(() => new AgentLoad(recording.runtime), /target\.protocol/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentLoad, workerMaxSockets } from '../../../src/engine/loads/node-agent.js';
import { workerLoadContext } from '../../../src/engine/worker/context.js';
import { sumErrors } from '../../../src/metrics/counters.js';
import { settle } from '../../net/fake-socket.js';
import { fakeLoadSetup } from './fake-context.js';
import { freePort, httpWorkerConfig, recordingRuntime, waitUntil, withHttpTarget } from '../../helpers/http.js';

async function runRequests(port: number, agent: { keepAlive: boolean; maxSockets?: number }, requests: number, gapMs: number) {
  const recording = recordingRuntime(httpWorkerConfig(port, { agent }));
  const load = new AgentLoad(workerLoadContext(recording.runtime));
  for (let k = 0; k < requests; k++) {
    load.start(k);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  await waitUntil(() => recording.runtime.inFlight === 0, 5000);
  load.close();
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
    const load = new AgentLoad(workerLoadContext(recording.runtime));
    for (let k = 0; k < 5; k++) load.start(k);
    await waitUntil(() => recording.runtime.inFlight === 0, 5000);
    load.close();
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

test('over a fake connector: each socket the agent opens is one attempt; keepAlive reuses, refusals are attempts', async () => {
  const http = { load: 'node-agent', protocol: 'http' } as const;
  const reuse = fakeLoadSetup({ ...http, agent: { keepAlive: true, maxSockets: 1 } }, { http: true });
  const load = new AgentLoad(reuse.context);
  for (let k = 0; k < 3; k++) load.start(k);
  await waitUntil(() => reuse.runtime.inFlight === 0, 5000);
  load.close();
  await settle();
  const totals = reuse.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.requestErrors], [1, 1, 3, {}]);
  assert.deepEqual(
    reuse.network.sockets.map((s) => s.closedBy),
    ['client'],
  );

  const refused = fakeLoadSetup({ ...http, agent: { keepAlive: false } }, { http: true, outcome: () => ({ code: 'ECONNREFUSED' }) });
  const failing = new AgentLoad(refused.context);
  for (let k = 0; k < 2; k++) failing.start(k);
  await waitUntil(() => refused.runtime.inFlight === 0, 5000);
  const failed = refused.totals();
  assert.deepEqual([failed.attempts, failed.connected, failed.errors, failed.requestErrors], [2, 0, { ECONNREFUSED: 2 }, {}]);
});

test('a socket destroyed while connecting (the run ended) is still one attempt, EABORTED', async () => {
  const setup = fakeLoadSetup({ load: 'node-agent', protocol: 'http', agent: { keepAlive: false } }, { http: true, outcome: () => 'hang' });
  const load = new AgentLoad(setup.context);
  load.start(0);
  await settle();
  load.close();
  await settle();
  const totals = setup.totals();
  // Counted once, as its connect attempt: a request whose socket never connected is no request error too.
  assert.deepEqual([totals.attempts, totals.connected, totals.errors, totals.requestErrors], [1, 0, { EABORTED: 1 }, {}]);
  await setup.clock.advance(2000);
  assert.equal(setup.totals().attempts, 1, 'the connector timing it out later does not count it twice');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentLoad } from '../../../src/engine/loads/node-agent.js';
import { UndiciLoad, undiciErrorCode, workerConnections } from '../../../src/engine/loads/undici.js';
import type { WorkerConfig } from '../../../src/engine/messages.js';
import { workerLoadContext } from '../../../src/engine/worker/context.js';
import type { LoadContext } from '../../../src/engine/loads/load.js';
import { sumErrors } from '../../../src/metrics/counters.js';
import { freePort, httpWorkerConfig, recordingRuntime, waitUntil, withHttpTarget } from '../../helpers/http.js';
import { withResetServer } from '../../helpers/reset-server.js';

type Create = (context: LoadContext) => UndiciLoad | AgentLoad;
const undici: Create = (context) => new UndiciLoad(context);
const agent: Create = (context) => new AgentLoad(context);

/** Sequential requests, `gapMs` apart, through one load; the recorded totals once all have ended. */
async function runRequests(port: number, create: Create, overrides: Partial<WorkerConfig>, requests: number, gapMs: number) {
  const recording = recordingRuntime(httpWorkerConfig(port, { load: 'undici', ...overrides }));
  const load = create(workerLoadContext(recording.runtime));
  for (let k = 0; k < requests; k++) {
    load.start(k);
    await waitUntil(() => recording.runtime.inFlight === 0, 5000);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  load.close();
  return recording.totals();
}

for (const api of ['request', 'fetch'] as const) {
  test(`undici ${api}: sequential requests reuse one keep-alive connection, one connect attempt`, async () => {
    await withHttpTarget({}, async (port) => {
      const totals = await runRequests(port, undici, { undici: { api, keepAliveTimeoutMs: 4000 } }, 5, 5);
      assert.deepEqual([totals.requests, totals.attempts, totals.connected], [5, 1, 1]);
      assert.deepEqual(totals.requestErrors, {});
    });
  });
}

test('undici: a refused connect is a connect attempt with its code, not a request error (fetch unwraps the cause)', async () => {
  const port = await freePort();
  for (const api of ['request', 'fetch'] as const) {
    const totals = await runRequests(port, undici, { undici: { api, keepAliveTimeoutMs: 4000 } }, 2, 1);
    assert.deepEqual(totals.errors, { ECONNREFUSED: 2 }, api);
    assert.equal(totals.attempts, totals.connected + sumErrors(totals.errors));
    assert.deepEqual(totals.requestErrors, {}, api);
  }
});

test('undici: an idle connection past keepAliveTimeout is closed by the client, and the next request opens another', async () => {
  // No Keep-Alive hint: with one, undici takes the hint minus 2 s instead of its own timeout.
  await withHttpTarget({ keepAliveHint: false }, async (port) => {
    const totals = await runRequests(port, undici, { undici: { api: 'request', keepAliveTimeoutMs: 20 } }, 3, 150);
    assert.deepEqual([totals.requests, totals.connected], [3, 3]);
  });
});

for (const [name, create] of [
  ['undici', undici],
  ['node-agent', agent],
] as const) {
  test(`${name}: a reused connection reset under a request is a request error by its code; with retries it is sent again`, async () => {
    await withResetServer(async (server) => {
      const config = { agent: { defaults: 'new', keepAlive: true }, undici: { api: 'request', keepAliveTimeoutMs: 4000 } } as const;
      const failed = await runRequests(server.port, create, config, 2, 5);
      assert.deepEqual([failed.requests, failed.connected], [1, 1]);
      assert.equal(sumErrors(failed.requestErrors), 1);
      assert.ok(['ECONNRESET', 'UND_ERR_SOCKET'].includes(Object.keys(failed.requestErrors)[0]!), JSON.stringify(failed.requestErrors));
      const retried = await runRequests(server.port, create, { ...config, retries: 1 }, 2, 5);
      assert.deepEqual([retried.requests, retried.connected, retried.requestErrors], [2, 2, {}]);
    });
  });
}

test('undici error codes: its own, a socket\'s, or fetch\'s cause', () => {
  assert.equal(undiciErrorCode(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })), 'UND_ERR_SOCKET');
  assert.equal(undiciErrorCode(new TypeError('fetch failed', { cause: Object.assign(new Error('read'), { code: 'ECONNRESET' }) })), 'ECONNRESET');
  assert.equal(undiciErrorCode(new Error('plain')), 'EUNKNOWN');
});

test('workerConnections splits a limit like maxSockets and keeps unlimited as undici\'s null', () => {
  assert.equal(workerConnections(undefined, 2, 0), null);
  assert.deepEqual([0, 1].map((i) => workerConnections(5, 2, i)), [3, 2]);
});

/** Pool recycling and the churn leak over the fake network, on a manual clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChurnLoad } from '../../../src/engine/loads/churn.js';
import { PoolLoad } from '../../../src/engine/loads/pool.js';
import { settle } from '../../net/fake-socket.js';
import { fakeLoadSetup } from './fake-context.js';

const POOL = { load: 'pool', pattern: 'pool' } as const;

test('maxLifetime recycles every connection of the pool, idle or not: 20 x 500 ms over 8 s opens 20 + 16 x 20', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 20, maxLifetimeMs: 500 });
  const load = new PoolLoad(setup.context);
  await load.open();
  // 100 requests/s for 8 s: under this load most of the pool sits idle (taken last-in-first-out).
  for (let k = 0; k < 800; k++) {
    load.start(k);
    await settle();
    await setup.clock.advance(10);
    await settle();
  }
  assert.equal(load.connectionsOpened(), 20 + 16 * 20);
  const totals = setup.totals();
  assert.equal(totals.requests, 800);
  assert.deepEqual(totals.requestErrors, {});
  assert.equal(setup.network.sockets.filter((s) => s.closedBy === 'client').length, 16 * 20, 'each recycled connection closed by the client');
  load.close();
});

test('a connection busy when its lifetime ends retires right after its response', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1, maxLifetimeMs: 100 }, { responseBytes: 0 });
  const load = new PoolLoad(setup.context);
  await load.open();
  load.start(0);
  await settle();
  await setup.clock.advance(100);
  await settle();
  assert.equal(setup.network.sockets[0]!.closedBy, null, 'busy: kept until its response');
  setup.network.sockets[0]!.peerSend('x'.repeat(16));
  await settle();
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    ['client', null],
  );
  assert.equal(setup.totals().requests, 1);
  load.close();
});

test('close: never keeps every connection open after its request, out of maxInFlight, until the run ends', async () => {
  const setup = fakeLoadSetup({ close: 'never', maxInFlight: 2 });
  const load = new ChurnLoad(setup.context);
  for (let k = 0; k < 3; k++) {
    load.start(k);
    await settle();
  }
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.skipped], [3, 3, 3, 0]);
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    [null, null, null],
  );
  assert.equal(setup.runtime.inFlight, 0);
  assert.equal(load.leakedCount(), 3);
  load.close();
  await settle();
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    ['client', 'client', 'client'],
  );
  assert.deepEqual(setup.totals().requestErrors, {}, 'leaked connections are not failed requests');
});

test('close: never with no request: connect and hold', async () => {
  const setup = fakeLoadSetup({ close: 'never', requestsPerConnection: 0 });
  const load = new ChurnLoad(setup.context);
  load.start(0);
  load.start(1);
  await settle();
  assert.equal(load.leakedCount(), 2);
  assert.deepEqual(
    setup.network.sockets.map((s) => [s.written, s.closedBy]),
    [
      ['', null],
      ['', null],
    ],
  );
  load.close();
});

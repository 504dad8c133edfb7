import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PoolLoad } from '../../../src/engine/loads/pool.js';
import { settle } from '../../net/fake-socket.js';
import { fakeLoadSetup } from './fake-context.js';

const POOL = { load: 'pool', pattern: 'pool' } as const;

test('the pool opens its connections once and spreads the requests over them', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 2 });
  const load = new PoolLoad(setup.context);
  await load.open();
  for (let k = 0; k < 5; k++) load.start(k);
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.errors, totals.requestErrors], [2, 2, 5, {}, {}]);
  assert.equal(load.connectionsOpened(), 2);
  assert.equal(setup.runtime.inFlight, 0);
  load.close();
  await settle();
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    ['client', 'client'],
  );
});

test('run() opens the pool and takes the arrivals', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 2 }, {}, 4);
  const load = new PoolLoad(setup.context);
  await load.run().finished;
  await settle();
  assert.deepEqual(setup.arrived, [0, 1, 2, 3]);
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests], [2, 2, 4]);
});

test('when the arrivals end, connects still under way are dropped: not counted, not reopened, their sockets destroyed', async () => {
  // Slot 0 connects; slot 1's SYN is never answered (a NAT with no free tuple, a full backlog).
  const setup = fakeLoadSetup({ ...POOL, poolSize: 2, connectTimeoutMs: 60_000 }, { outcome: (_target, index) => (index === 0 ? 'connect' : 'hang') }, 2);
  const load = new PoolLoad(setup.context);
  await load.run().finished;
  await settle();
  const hanging = setup.network.sockets[1]!;
  assert.equal(hanging.destroyed, true, 'the connect under way was destroyed when the arrivals ended');
  await setup.clock.advance(60_000);
  await settle();
  const totals = setup.totals();
  // Without the drop, the connect would end as ETIMEDOUT (or connect late, after another worker's close).
  assert.deepEqual([totals.attempts, totals.connected, totals.errors, totals.requests], [1, 1, {}, 2]);
  assert.equal(setup.network.sockets.length, 2, 'nothing reopened after the end');
  assert.equal(load.connectionsOpened(), 2);
});

test('when the arrivals end with no connection open, the queued requests are aborted at once instead of waiting out the drain', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1, connectTimeoutMs: 60_000 }, { outcome: () => 'hang' }, 3);
  const load = new PoolLoad(setup.context);
  await load.run().finished;
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.requests, totals.requestErrors], [0, 0, { EABORTED: 3 }]);
  assert.equal(setup.runtime.inFlight, 0, 'nothing left for the drain to wait for');
});

test('maxRequestsPerConnection recycles a connection (client closes) and opens a new one', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1, maxRequestsPerConnection: 2 });
  const load = new PoolLoad(setup.context);
  await load.open();
  for (let k = 0; k < 5; k++) load.start(k);
  await settle(40);
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests], [3, 3, 5]);
  assert.deepEqual(
    setup.network.sockets.map((s) => [s.written, s.closedBy]),
    [
      ['R\nR\n', 'client'],
      ['R\nR\n', 'client'],
      ['R\n', null],
    ],
  );
  assert.equal(setup.runtime.inFlight, 0);
});

test('maxLifetime recycles a connection after the first response past its lifetime', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1, maxLifetimeMs: 1000 });
  const load = new PoolLoad(setup.context);
  await load.open();
  load.start(0);
  await settle();
  await setup.clock.advance(999);
  load.start(1);
  await settle();
  assert.equal(setup.network.sockets.length, 1, 'younger than its lifetime: kept');
  await setup.clock.advance(1);
  load.start(2);
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests], [2, 2, 3]);
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    ['client', null],
  );
});

test('a connection the server closes is reopened; the request it carried is a request error', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1 }, { responseBytes: 0 });
  const load = new PoolLoad(setup.context);
  await load.open();
  load.start(0);
  await settle();
  setup.network.sockets[0]!.peerEnd();
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.requestErrors], [2, 2, 0, { ECONNRESET: 1 }]);
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    ['server', null],
  );
  assert.equal(setup.runtime.inFlight, 0);
});

test('a slot whose connect failed is reopened after the backoff, on the injected timers', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1 }, { outcome: (_target, index) => (index === 0 ? { code: 'ECONNREFUSED' } : 'connect') });
  const load = new PoolLoad(setup.context);
  await load.open();
  await setup.clock.advance(99);
  assert.equal(setup.network.sockets.length, 1, 'not before the backoff');
  await setup.clock.advance(1);
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.errors], [2, 1, { ECONNREFUSED: 1 }]);
  assert.equal(load.connectionsOpened(), 2);
});

test('close() aborts queued and running requests and opens nothing more', async () => {
  const setup = fakeLoadSetup({ ...POOL, poolSize: 1 }, { responseBytes: 0 });
  const load = new PoolLoad(setup.context);
  await load.open();
  for (let k = 0; k < 3; k++) load.start(k);
  await settle();
  load.close();
  await settle();
  await setup.clock.advance(1000);
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.requestErrors], [1, 1, 0, { EABORTED: 3 }]);
  assert.deepEqual(
    setup.network.sockets.map((s) => s.closedBy),
    ['client'],
  );
  assert.equal(setup.runtime.inFlight, 0);
});

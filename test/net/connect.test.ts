import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConnector, type ConnectResult } from '../../src/net/connect.js';
import { FakeClock } from '../sampler/fake-clock.js';
import { FakeNetwork, settle, type FakeSocket, type PeerOptions } from './fake-socket.js';

/** A connector over a fake network and a manual clock, and every result it reported. */
function setup(peer: PeerOptions = {}) {
  const clock = new FakeClock();
  const network = new FakeNetwork(peer);
  const connect = createConnector({ createSocket: network.createSocket, now: clock.now, timers: clock });
  const results: ConnectResult<FakeSocket>[] = [];
  const open = (port: number, timeoutMs = 1000, extra: { localAddress?: string; noDelay?: boolean } = {}): FakeSocket =>
    connect({ host: '127.0.0.1', port, timeoutMs, ...extra }, (result) => results.push(result));
  return { clock, network, results, open };
}

/** A result without the socket, for deepEqual. */
const outcome = (result: ConnectResult) => (result.ok ? { ok: true, latencyUs: result.latencyUs } : { ok: false, code: result.code, latencyUs: result.latencyUs });

test('a connect that succeeds hands over the socket with its latency on the injected clock', async () => {
  const { clock, network, results, open } = setup({ outcome: () => 'hang' });
  const socket = open(9000, 1000, { localAddress: '127.0.0.2' });
  assert.deepEqual(socket.target, { host: '127.0.0.1', port: 9000, localAddress: '127.0.0.2' });
  assert.equal(socket.noDelay, true, 'TCP_NODELAY by default');
  await clock.advance(3);
  network.sockets[0]!.accept();
  assert.equal(results.length, 1);
  assert.deepEqual(outcome(results[0]!), { ok: true, latencyUs: 3000 });
  assert.equal(results[0]!.ok && results[0]!.socket, socket);
});

test('a failed connect reports its code once and destroys the socket', async () => {
  const { results, open, network } = setup({ outcome: () => ({ code: 'EADDRNOTAVAIL' }) });
  open(9000);
  await settle();
  assert.deepEqual(results.map(outcome), [{ ok: false, code: 'EADDRNOTAVAIL', latencyUs: 0 }]);
  assert.equal(network.sockets[0]!.destroyed, true);
});

test('an error without a code is counted as EUNKNOWN', async () => {
  const { results, open } = setup({ outcome: () => ({ code: undefined }) });
  open(9000);
  await settle();
  assert.deepEqual(results.map(outcome), [{ ok: false, code: 'EUNKNOWN', latencyUs: 0 }]);
});

test('a connect nobody answers times out with ETIMEDOUT at exactly its timeout', async () => {
  const { clock, results, open, network } = setup({ outcome: () => 'hang' });
  open(9000, 2000);
  await clock.advance(1999);
  assert.equal(results.length, 0, 'not before its timeout');
  await clock.advance(1);
  assert.deepEqual(results.map(outcome), [{ ok: false, code: 'ETIMEDOUT', latencyUs: 2_000_000 }]);
  assert.equal(network.sockets[0]!.destroyed, true);
  network.sockets[0]!.emit('connect');
  assert.equal(results.length, 1, 'a late connect after the timeout is not reported again');
});

test('a connect that completed while its deadline came due settles as connected: the timeout waits for I/O already done', async () => {
  const clock = new FakeClock();
  const network = new FakeNetwork({ outcome: () => 'hang' });
  const deferred: (() => void)[] = [];
  const connect = createConnector({ createSocket: network.createSocket, now: clock.now, timers: clock, afterIo: (fn) => deferred.push(fn) });
  const results: ConnectResult<FakeSocket>[] = [];
  for (const port of [9000, 9001, 9002]) connect({ host: '127.0.0.1', port, timeoutMs: 1000 }, (result) => results.push(result));
  // A stall: the worker comes back 1.5 s later, its timer long due.
  await clock.advance(1500);
  assert.equal(results.length, 0, 'the timer only hands the expiry on');
  assert.equal(deferred.length, 1, 'one deferral for the whole queue, not one per connect');
  // The poll phase: the first connect had completed during the stall.
  network.sockets[0]!.accept();
  deferred.shift()!();
  assert.deepEqual(results.map(outcome), [
    { ok: true, latencyUs: 1_500_000 },
    { ok: false, code: 'ETIMEDOUT', latencyUs: 1_500_000 },
    { ok: false, code: 'ETIMEDOUT', latencyUs: 1_500_000 },
  ]);
  assert.deepEqual(network.sockets.map((socket) => socket.destroyed), [false, true, true]);
  assert.equal(clock.pendingCount(), 0, 'nothing left to expire, no timer re-armed');
});

test('a settled connect cancels its deadline, and a later socket error is swallowed, not reported', async () => {
  const { clock, results, open, network } = setup();
  open(9000, 100);
  await settle();
  assert.equal(results.length, 1);
  network.sockets[0]!.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
  await clock.advance(1000);
  assert.deepEqual(results.map(outcome), [{ ok: true, latencyUs: 0 }]);
  assert.equal(clock.pendingCount(), 0, 'no timer left');
});

test('one timer per timeout length, however many connects are pending', async () => {
  const { clock, results, open } = setup({ outcome: () => 'hang' });
  for (let i = 0; i < 50; i++) open(9000, 1000);
  assert.equal(clock.pendingCount(), 1);
  for (let i = 0; i < 50; i++) open(9000, 500);
  assert.equal(clock.pendingCount(), 2);
  await clock.advance(500);
  assert.equal(results.length, 50);
  await clock.advance(500);
  assert.equal(results.length, 100);
  assert.equal(clock.pendingCount(), 0);
});

test('each connector has its own deadline queues', async () => {
  const a = setup({ outcome: () => 'hang' });
  const b = setup({ outcome: () => 'hang' });
  a.open(9000, 1000);
  b.open(9000, 1000);
  await a.clock.advance(1000);
  assert.equal(a.results.length, 1);
  assert.equal(b.results.length, 0, "a's clock does not expire b's connects");
  await b.clock.advance(1000);
  assert.equal(b.results.length, 1);
});

test('noDelay false skips TCP_NODELAY', () => {
  const { open } = setup({ outcome: () => 'hang' });
  assert.equal(open(9000, 1000, { noDelay: false }).noDelay, false);
});

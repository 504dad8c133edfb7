/** IP_BIND_ADDRESS_NO_PORT sockets on this kernel (loopback only), and the connector's prebound path. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { PortlabError } from '../../src/errors/index.js';
import { createConnector, type ConnectResult } from '../../src/net/connect.js';
import { createNoPortBinder } from '../../src/net/no-port.js';
import { canResolve } from '../../src/util/optional-module.js';
import { FakeClock } from '../sampler/fake-clock.js';
import { FakeNetwork, settle, type FakeSocket } from './fake-socket.js';

const skip = canResolve('koffi') ? false : 'koffi is not installed';

test('a no-port socket binds the address, connects, and carries data both ways', { skip }, async () => {
  const server = net.createServer((s) => s.on('data', (d) => s.end(d)));
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    const connect = createConnector({ bindSocket: createNoPortBinder() });
    const result = await new Promise<ConnectResult<net.Socket>>((resolve) => connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2', timeoutMs: 2000 }, resolve));
    assert.ok(result.ok, JSON.stringify(result));
    const socket = result.socket;
    assert.equal(socket.localAddress, '127.0.0.2');
    assert.ok((socket.localPort ?? 0) > 0);
    const echoed = await new Promise<string>((resolve) => {
      let text = '';
      socket.setEncoding('utf8').on('data', (d: string) => (text += d));
      socket.once('end', () => resolve(text));
      socket.write('ping');
    });
    assert.equal(echoed, 'ping');
    socket.destroy();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('no koffi: a clear LAB_UNAVAILABLE with what to do', () => {
  const missing = (): never => {
    throw Object.assign(new Error("Cannot find module 'koffi'"), { code: 'MODULE_NOT_FOUND' });
  };
  assert.throws(
    () => createNoPortBinder(missing),
    (err: unknown) => err instanceof PortlabError && err.code === 'LAB_UNAVAILABLE' && /koffi/.test(err.hint ?? ''),
  );
});

test('the connector takes prebound sockets for bound connects, connects them without binding again, and reports a failed bind as the outcome', async () => {
  const clock = new FakeClock();
  const network = new FakeNetwork();
  let bound = 0;
  const connect = createConnector<FakeSocket>({
    createSocket: network.createSocket,
    now: clock.now,
    timers: clock,
    bindSocket: (address) => {
      if (++bound === 2) throw Object.assign(new Error('socket EMFILE'), { code: 'EMFILE' });
      const socket = network.createSocket();
      socket.localAddressBound = address;
      return socket;
    },
  });
  const results: string[] = [];
  const record = (r: ConnectResult<FakeSocket>): void => void results.push(r.ok ? 'ok' : r.code);
  connect({ host: '127.0.0.1', port: 9000, localAddress: '127.0.0.2', timeoutMs: 1000 }, record);
  connect({ host: '127.0.0.1', port: 9000, localAddress: '127.0.0.2', timeoutMs: 1000 }, record);
  connect({ host: '127.0.0.1', port: 9000, timeoutMs: 1000 }, record);
  await settle();
  assert.deepEqual(results.sort(), ['EMFILE', 'ok', 'ok']);
  const prebound = network.sockets.find((s) => s.localAddressBound === '127.0.0.2')!;
  assert.deepEqual(prebound.target, { host: '127.0.0.1', port: 9000, localAddress: undefined });
  assert.equal(bound, 2);
});

/** The HTTP target's keep-alive: its idle close, its Keep-Alive hint, its request count per socket. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { createIdleCloser, keepAliveHint } from '../../src/target/keep-alive.js';
import { startTarget } from '../../src/target/start.js';
import { freePort } from '../helpers/http.js';

/** A stand-in for the server's socket: it only needs to close and say so. */
class FakeServerSocket extends EventEmitter {
  destroyed = false;
  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
}

test('the idle closer closes a socket once its last response is out and nothing came since, not while a request is pending', async () => {
  const idle = createIdleCloser(5);
  const quiet = new FakeServerSocket();
  const busy = new FakeServerSocket();
  idle.requestStarted(quiet);
  idle.responseFinished(quiet);
  idle.requestStarted(busy);
  idle.responseFinished(busy);
  // A new request before the timer: the socket is not idle any more.
  idle.requestStarted(busy);
  // The closer's timers are unref'd (they must not keep a target alive): hold the loop open while waiting.
  const hold = setTimeout(() => {}, 10_000);
  await new Promise<void>((resolve) => quiet.once('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearTimeout(hold);
  assert.deepEqual([quiet.destroyed, busy.destroyed], [true, false]);
});

test('the hint is whole seconds, rounded down, as node:http writes it', () => {
  assert.deepEqual([keepAliveHint(5000), keepAliveHint(1500), keepAliveHint(20)], ['timeout=5', 'timeout=1', 'timeout=0']);
});

/** Raw requests on one connection; resolves with every response head and whether the server closed. */
function exchange(port: number, requests: number): Promise<{ heads: string[]; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    let sent = 0;
    const send = (): void => {
      sent++;
      socket.write('GET / HTTP/1.1\r\nHost: lab\r\n\r\n');
    };
    socket.once('connect', send);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const answered = text.split('HTTP/1.1 ').length - 1;
      if (answered === sent && text.endsWith('\n') && sent < requests) send();
      // A last response that says "Connection: close" is followed by the server's FIN: wait for it.
      else if (answered === requests && !/connection: close/i.test(heads(text).at(-1)!)) {
        socket.destroy();
        resolve({ heads: heads(text), closedByServer: false });
      }
    });
    socket.on('end', () => resolve({ heads: heads(text), closedByServer: true }));
    socket.on('error', reject);
  });
}

const heads = (text: string): string[] =>
  text
    .split('HTTP/1.1 ')
    .slice(1)
    .map((r) => r.split('\r\n\r\n')[0]!.toLowerCase());

async function withTarget(options: { keepAliveTimeoutMs?: number; keepAliveHint?: boolean; maxRequestsPerSocket?: number }, body: (port: number) => Promise<void>): Promise<void> {
  const port = await freePort();
  const target = await startTarget({ protocol: 'http', listen: [{ host: '127.0.0.1', port }], responseBytes: 16, responseDelayMs: 0, closeAfterResponse: false, ...options });
  try {
    await body(port);
  } finally {
    await target.close();
  }
}

test('keep-alive responses carry "Keep-Alive: timeout=N" unless the hint is off', async () => {
  await withTarget({ keepAliveTimeoutMs: 5000 }, async (port) => {
    const { heads } = await exchange(port, 1);
    assert.match(heads[0]!, /\r\nconnection: keep-alive\r\n/);
    assert.match(heads[0]!, /\r\nkeep-alive: timeout=5\r\n/);
  });
  await withTarget({ keepAliveTimeoutMs: 5000, keepAliveHint: false }, async (port) => {
    const { heads } = await exchange(port, 1);
    assert.match(heads[0]!, /\r\nconnection: keep-alive\r\n/);
    assert.doesNotMatch(heads[0]!, /keep-alive: timeout/);
  });
});

test('maxRequestsPerSocket: the last allowed response says "Connection: close" and the server closes first', async () => {
  await withTarget({ maxRequestsPerSocket: 2 }, async (port) => {
    const { heads, closedByServer } = await exchange(port, 2);
    assert.equal(heads.length, 2);
    assert.match(heads[0]!, /connection: keep-alive/);
    assert.match(heads[1]!, /connection: close/);
    assert.equal(closedByServer, true);
  });
});

test('an idle keep-alive connection is closed by the server after keepAliveTimeout', async () => {
  await withTarget({ keepAliveTimeoutMs: 30 }, async (port) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('GET / HTTP/1.1\r\nHost: lab\r\n\r\n'));
    socket.resume();
    await new Promise<void>((resolve, reject) => {
      socket.once('end', () => resolve());
      socket.once('error', reject);
    });
    socket.destroy();
  });
});

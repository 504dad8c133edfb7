import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startTarget } from '../../src/target/start.js';
import { freePort, withHttpTarget } from '../helpers/http.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  reusedSocket: boolean;
  socket: net.Socket;
  elapsedMs: number;
}

function get(port: number, agent: http.Agent): Promise<Reply> {
  const startedMs = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          reusedSocket: req.reusedSocket,
          socket: req.socket as net.Socket,
          elapsedMs: performance.now() - startedMs,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('keep-alive: three requests through a keep-alive agent share one accepted connection', async () => {
  await withHttpTarget({}, async (port, target) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const replies = [await get(port, agent), await get(port, agent), await get(port, agent)];
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200]);
      assert.deepEqual(replies.map((r) => r.reusedSocket), [false, true, true]);
      assert.equal(replies[0]!.headers.connection, 'keep-alive');
      assert.equal(target.accepted(), 1);
    } finally {
      agent.destroy();
    }
  });
});

/** Sends one raw request and never closes: resolves with what came back once the server ended the connection. */
function rawExchange(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('GET / HTTP/1.1\r\nHost: lab\r\n\r\n'));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      socket.destroy();
      resolve(text);
    });
    socket.on('error', reject);
    // A server that keeps the connection open never sends 'end': fail instead of hanging.
    socket.setTimeout(1000, () => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; got: ${text}`));
    });
  });
}

test('closeAfterResponse: answers "Connection: close" and the server ends the connection first', async () => {
  await withHttpTarget({ closeAfterResponse: true }, async (port, target) => {
    const text = await rawExchange(port);
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.equal(target.accepted(), 1);
  });
});

test('without closeAfterResponse the server keeps the connection open', async () => {
  await withHttpTarget({}, async (port) => {
    await assert.rejects(rawExchange(port), /kept the connection open/);
  });
});

test('the body holds exactly responseBytes bytes, with a matching Content-Length', async () => {
  await withHttpTarget({ responseBytes: 5000 }, async (port) => {
    const agent = new http.Agent({ keepAlive: false });
    const reply = await get(port, agent);
    assert.equal(reply.body.length, 5000);
    assert.equal(reply.headers['content-length'], '5000');
    assert.equal(reply.body[4999], 0x0a);
  });
});

test('responseDelay holds each response back', async () => {
  await withHttpTarget({ responseDelayMs: 150 }, async (port) => {
    const agent = new http.Agent({ keepAlive: false });
    const reply = await get(port, agent);
    assert.equal(reply.status, 200);
    assert.ok(reply.elapsedMs >= 140, `answered after ${reply.elapsedMs} ms`);
  });
});

test('close() ends idle keep-alive connections instead of waiting for their 65 s timeout', async () => {
  const port = await freePort();
  const target = await startTarget({ protocol: 'http', listen: [{ host: '127.0.0.1', port }], responseBytes: 16, responseDelayMs: 0, closeAfterResponse: false });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await get(port, agent);
  const startedMs = performance.now();
  await target.close();
  assert.ok(performance.now() - startedMs < 2000);
  agent.destroy();
});

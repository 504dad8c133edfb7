/**
 * The bundled proxy on loopback, in front of the bundled target: how many backend connections each upstream
 * mode opens, and what it counts and answers when the backend cannot be reached (ECONNREFUSED stands in for
 * a port shortage here; the lab test shows EADDRNOTAVAIL).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { ProxyUpstream } from '../../src/config/proxy.js';
import type { ProxyStats } from '../../src/metrics/proxy.js';
import { startProxy } from '../../src/target/proxy.js';
import { startTarget, type TargetOptions } from '../../src/target/start.js';
import type { RunningTarget } from '../../src/target/tcp-server.js';
import { freePort } from '../helpers/http.js';

/** The bundled target behind the proxy, on free loopback ports; with `unreachable`, the proxy alone before a port nothing listens on. */
async function withProxy(
  upstream: ProxyUpstream,
  protocol: TargetOptions['protocol'],
  body: (port: number, target: RunningTarget & { stats?: () => ProxyStats }) => Promise<void>,
  unreachable = false,
): Promise<void> {
  const [port, backendPort] = [await freePort(), await freePort()];
  const listen = [{ host: '127.0.0.1', port }];
  const backend = [{ host: '127.0.0.1', port: backendPort }];
  const target = unreachable
    ? await startProxy({ upstream, poolSize: 1, protocol, listen, backends: backend, connectTimeoutMs: 2000 })
    : await startTarget({ protocol, listen, responseBytes: 16, responseDelayMs: 0, closeAfterResponse: false, proxy: { upstream, poolSize: 1, backend, connectTimeoutMs: 2000 } });
  try {
    await body(port, target);
  } finally {
    await target.close();
  }
}

function get(port: number, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function threeRequests(port: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const statuses = [await get(port, agent), await get(port, agent), await get(port, agent)];
  agent.destroy();
  return statuses;
}

test('per-request: three requests on one client connection open three backend connections', async () => {
  await withProxy('per-request', 'http', async (port, target) => {
    assert.deepEqual(await threeRequests(port), [200, 200, 200]);
    assert.equal(target.accepted(), 1);
    const stats = target.stats!();
    assert.equal(stats.upstreamOpened, 3);
    assert.equal(stats.upstreamConnected, 3);
  });
});

test('pooled: the same three requests reuse one backend connection', async () => {
  await withProxy('pooled', 'http', async (port, target) => {
    assert.deepEqual(await threeRequests(port), [200, 200, 200]);
    assert.equal(target.stats!().upstreamOpened, 1);
  });
});

test('per-connection (L4): bytes pass through, one backend connection per client connection', async () => {
  await withProxy('per-connection', 'tcp', async (port, target) => {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('R\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (Buffer.concat(chunks).length >= 16) {
          socket.destroy();
          resolve(Buffer.concat(chunks));
        }
      });
      socket.on('error', reject);
    });
    assert.equal(reply.length, 16);
    assert.equal(target.stats!().upstreamOpened, 1);
  });
});

test('an unreachable backend: the proxy counts its connect error by code and date, answers 502, or resets (L4)', async () => {
  await withProxy(
    'per-request',
    'http',
    async (port, target) => {
      const agent = new http.Agent({ keepAlive: true });
      assert.equal(await get(port, agent), 502);
      agent.destroy();
      const stats = target.stats!();
      assert.deepEqual(stats.upstreamErrors, { ECONNREFUSED: 1 });
      assert.equal(stats.firstErrorCode, 'ECONNREFUSED');
      assert.ok(stats.firstErrorMonoMs !== null);
      assert.deepEqual(stats.clientAnswers, { '502': 1 });
    },
    true,
  );
  await withProxy(
    'per-connection',
    'tcp',
    async (port, target) => {
      const code = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('R\n'));
        socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? ''));
        socket.on('close', () => resolve('closed'));
      });
      assert.equal(code, 'ECONNRESET');
      assert.deepEqual(target.stats!().clientAnswers, { reset: 1 });
    },
    true,
  );
});

/** Shared by the HTTP tests: a free loopback port, a worker config, and a runtime that records what it posts. */
import net from 'node:net';
import type { WorkerConfig, WorkerMessage } from '../../src/engine/messages.js';
import { WorkerRuntime } from '../../src/engine/worker/runtime.js';
import { startTarget } from '../../src/target/start.js';
import type { RunningTarget } from '../../src/target/tcp-server.js';
import { createSink } from '../../src/engine/worker/sink.js';
import { mergeAllCounters, type IntervalCounters } from '../../src/metrics/counters.js';
import { monoMs } from '../../src/util/clock.js';

/** A port nothing listens on right now (the kernel picks it; closed again before use). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One worker's config for a small HTTP load against 127.0.0.1:port. */
export function httpWorkerConfig(port: number, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    index: 0,
    workers: 1,
    t0Ms: monoMs(),
    intervalMs: 250,
    durationMs: 1000,
    stages: [{ durationMs: 1000, ratePerSec: 20 }],
    arrival: 'uniform',
    seed: 1,
    load: 'node-agent',
    protocol: 'http',
    pattern: 'churn',
    close: 'client',
    sourceAddresses: ['127.0.0.1'],
    bindSource: false,
    bindStrategy: 'bind',
    socketPortRange: null,
    destinations: [{ host: '127.0.0.1', port }],
    maxInFlight: 100,
    retries: 0,
    connectTimeoutMs: 2000,
    poolSize: 2,
    poolOffset: 0,
    maxRequestsPerConnection: 0,
    maxLifetimeMs: 0,
    responseBytes: 16,
    responseDelayMs: 0,
    agent: { defaults: 'new', keepAlive: false },
    undici: { api: 'request', keepAliveTimeoutMs: 4000 },
    pipelining: 1,
    exhaustionCodes: ['EADDRNOTAVAIL'],
    ...overrides,
  };
}

export interface RecordingRuntime {
  runtime: WorkerRuntime;
  messages: WorkerMessage[];
  /** Every interval posted so far, merged (flushes the one in progress first). */
  totals(): IntervalCounters;
}

export function recordingRuntime(config: WorkerConfig): RecordingRuntime {
  const messages: WorkerMessage[] = [];
  const runtime = new WorkerRuntime(config, (msg) => messages.push(msg), createSink(), createSink(), createSink());
  return {
    runtime,
    messages,
    totals() {
      runtime.flush();
      return mergeAllCounters(messages.flatMap((m) => (m.type === 'interval' ? [m.counts] : [])));
    },
  };
}

/** Resolves once `check` is true, polling; rejects after timeoutMs. */
export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface HttpTargetSettings {
  responseBytes?: number;
  responseDelayMs?: number;
  closeAfterResponse?: boolean;
  keepAliveHint?: boolean;
}

/** Runs `body` against the bundled HTTP target on a free loopback port, and closes the target after. */
export async function withHttpTarget(settings: HttpTargetSettings, body: (port: number, target: RunningTarget) => Promise<void>): Promise<void> {
  const port = await freePort();
  const target = await startTarget({
    protocol: 'http',
    listen: [{ host: '127.0.0.1', port }],
    responseBytes: settings.responseBytes ?? 16,
    responseDelayMs: settings.responseDelayMs ?? 0,
    closeAfterResponse: settings.closeAfterResponse ?? false,
    keepAliveHint: settings.keepAliveHint ?? true,
  });
  try {
    await body(port, target);
  } finally {
    await target.close();
  }
}

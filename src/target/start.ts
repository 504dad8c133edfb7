/** Starts the target for a protocol: one entry for the driver, the target thread and `portlab target`. */
import net from 'node:net';
import { PortlabError } from '../errors/index.js';
import type { Protocol, Scenario } from '../config/types.js';
import { startHttpTarget } from './http-server.js';
import { listenAddresses } from './listen.js';
import { startTcpTarget, type ListenAddress, type RunningTarget } from './tcp-server.js';
import { startUdpTarget } from './udp-server.js';
import type { ProxyUpstream } from '../config/proxy.js';
import { startProxy, type RunningProxy } from './proxy.js';

export interface TargetOptions {
  protocol: Protocol;
  listen: ListenAddress[];
  responseBytes: number;
  responseDelayMs: number;
  /** Close after each response (tcp), or answer "Connection: close" (http): the server closes first. */
  closeAfterResponse: boolean;
  /** http: close keep-alive connections idle this long (default 65 s, longer than any run's idle gap). */
  keepAliveTimeoutMs?: number;
  /** http: send "Keep-Alive: timeout=N" with keep-alive responses (default true, as Node's server does). */
  keepAliveHint?: boolean;
  /** http: close a connection after this many requests (0, the default: never). */
  maxRequestsPerSocket?: number;
  /** target.proxy: the proxy listens on `listen`, the target (backend) on `backend`. */
  proxy?: { upstream: ProxyUpstream; poolSize: number; backend: ListenAddress[]; connectTimeoutMs: number };
}

function startServer(options: TargetOptions, listen: ListenAddress[]): Promise<RunningTarget> {
  switch (options.protocol) {
    case 'tcp':
      return startTcpTarget({ ...options, listen });
    case 'http':
      return startHttpTarget({ ...options, listen });
    case 'udp':
      return startUdpTarget({ ...options, listen });
  }
}

/** The target, or with a proxy the backend and the proxy in front of it (stats() is the proxy's). */
export async function startTarget(options: TargetOptions): Promise<RunningTarget & Partial<Pick<RunningProxy, 'stats'>>> {
  const { proxy } = options;
  if (!proxy) return startServer(options, options.listen);
  const backend = await startServer(options, proxy.backend);
  const running = await startProxy({ ...proxy, protocol: options.protocol, listen: options.listen, backends: proxy.backend }).catch(async (err: unknown) => {
    await backend.close();
    throw err;
  });
  return {
    accepted: running.accepted,
    stats: running.stats,
    close: async () => {
      await running.close();
      await backend.close();
    },
  };
}

/** The target a scenario asks for. */
export function targetOptionsFor(scenario: Scenario): TargetOptions {
  const { proxy } = scenario.target;
  return {
    protocol: scenario.target.protocol,
    listen: listenAddresses(scenario),
    responseBytes: scenario.target.responseBytes,
    responseDelayMs: scenario.target.responseDelayMs,
    closeAfterResponse: scenario.client.close === 'server' || scenario.target.connectionClose,
    keepAliveTimeoutMs: scenario.target.keepAliveTimeoutMs,
    keepAliveHint: scenario.target.keepAliveHint,
    maxRequestsPerSocket: scenario.target.maxRequestsPerSocket,
    ...(proxy && {
      proxy: {
        upstream: proxy.upstream,
        poolSize: proxy.poolSize,
        backend: proxy.backendPorts.map((port) => ({ host: '127.0.0.1', port })),
        connectTimeoutMs: scenario.client.connectTimeoutMs,
      },
    }),
  };
}

function accepts(address: ListenAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.resetAndDestroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until every address accepts a connection (probes end with RST: no TIME_WAIT is left behind). */
export async function waitForListeners(addresses: ListenAddress[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const address of addresses) {
    while (!(await accepts(address))) {
      if (Date.now() > deadline) {
        throw new PortlabError('TARGET_FAILED', `the target is not listening on ${address.host}:${address.port} after ${timeoutMs} ms`, {
          hint: "the target's own output (below, when there is any) says why",
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

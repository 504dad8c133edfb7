/**
 * target.proxy: the bundled proxy between the clients and the target (the backend). Clients connect to
 * target.ports, where the proxy listens; the proxy connects to the backend on proxy.backendPorts, in the
 * same lab. Kept in its own file (schema piece, resolved piece, checks) so the scenario files only name it.
 */
import { z } from 'zod';
import type { Problem } from './types.js';

export const PROXY_UPSTREAMS = ['per-connection', 'per-request', 'pooled'] as const;
/** per-connection: a backend connection per client connection (L4); per-request: one per request (HTTP, no upstream keep-alive); pooled: a fixed pool. */
export type ProxyUpstream = (typeof PROXY_UPSTREAMS)[number];

/** Where the backend listens when the scenario names no ports. */
export const DEFAULT_BACKEND_PORTS = [9900] as const;

/** target.proxy, resolved. */
export interface ProxySettings {
  upstream: ProxyUpstream;
  /** pooled: upstream connections the proxy keeps (over all backend ports). */
  poolSize: number;
  backendPorts: number[];
}

const port = z.number().int('a port must be a whole number').min(1, 'ports start at 1').max(65535, 'ports end at 65535');

/** The scenario schema's target.proxy. */
export const proxyTargetSchema = z
  .strictObject({
    upstream: z
      .enum(PROXY_UPSTREAMS, { error: `expected one of ${PROXY_UPSTREAMS.join(', ')}` })
      .meta({ description: 'per-connection: one backend connection per client connection (L4); per-request: one per HTTP request; pooled: a fixed pool of poolSize' }),
    poolSize: z.number().int('proxy.poolSize must be a whole number').min(1).max(10_000).default(10).meta({ description: 'pooled: upstream connections' }),
    backendPorts: z.array(port).min(1).max(100).default([...DEFAULT_BACKEND_PORTS]).meta({ description: 'where the backend listens behind the proxy (default 9900)' }),
  })
  .optional()
  .meta({ description: 'put the bundled proxy between the clients (on target.ports) and the target (on backendPorts)' });

/** The resolved scenario schema's target.proxy (driver/protocol.ts checks it). */
export const resolvedProxySchema = z.strictObject({
  upstream: z.enum(PROXY_UPSTREAMS),
  poolSize: z.number().int().min(1),
  backendPorts: z.array(z.number().int().min(1).max(65535)).min(1),
});

/** Proxy labs run the proxy and backend in the driver's own namespace: these lab kinds only. */
const PROXY_LABS: readonly string[] = ['auto', 'userns', 'netns'];

/** Checks target.proxy against the rest of the scenario; returns the resolved settings (or undefined). */
export function resolveProxy(
  input: { lab: { kind: string }; target: { protocol: string; ports: number[]; proxy?: z.output<typeof proxyTargetSchema> } },
  problems: Problem[],
): ProxySettings | undefined {
  const proxy = input.target.proxy;
  if (!proxy) return undefined;
  const path = ['target', 'proxy'];
  if (!PROXY_LABS.includes(input.lab.kind)) {
    problems.push({ severity: 'error', path: ['lab', 'kind'], message: `the proxy runs in userns or netns labs (auto picks one), not ${input.lab.kind}` });
  }
  if (proxy.upstream !== 'per-connection' && input.target.protocol !== 'http') {
    problems.push({ severity: 'error', path: [...path, 'upstream'], message: `upstream ${proxy.upstream} proxies HTTP requests: set target.protocol to http, or use upstream per-connection (L4)` });
  }
  const clash = proxy.backendPorts.filter((p) => input.target.ports.includes(p));
  if (clash.length > 0) {
    problems.push({ severity: 'error', path: [...path, 'backendPorts'], message: `port ${clash.join(', ')} is both a proxy port (target.ports) and a backend port` });
  }
  return { upstream: proxy.upstream, poolSize: proxy.poolSize, backendPorts: proxy.backendPorts };
}

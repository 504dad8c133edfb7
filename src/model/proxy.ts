/**
 * The proxy model (pure): a proxy between clients and a backend draws ports on two hops. The client ->
 * proxy hop costs the clients' host what any client load costs (a port per connection, TIME_WAIT on churn);
 * the proxy -> backend hop costs the proxy's host a port per backend connection, and the proxy closes
 * those first, so each one it closes keeps its port in TIME_WAIT. How many backend connections it opens is
 * the upstream mode's: one per client connection (L4), one per request (HTTP without upstream keep-alive),
 * or a fixed pool. Each hop is the client-port model (predict.ts) with that hop's load.
 */
import { formatAboutMs, formatRatePerSec } from './advice.js';
import { predict } from './predict.js';
import type { PredictInput, Prediction } from './types.js';

export const PROXY_MODES = ['per-connection', 'per-request', 'pooled'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export interface ProxyInput {
  upstream: ProxyMode;
  /** Requests per second the clients send. */
  requestsPerSec: number;
  /** The clients' keep-alive connections; undefined: a new client connection per request. */
  clientPoolSize?: number;
  /** pooled: the proxy's backend connections. */
  proxyPoolSize: number;
  /** Backend (IP, port) destinations the proxy spreads its connections over. */
  backendDestinations: number;
  /** The range, TIME_WAIT and parity of the hosts (both hops' hosts, alike). */
  portRange: PredictInput['portRange'];
  timeWaitMs: number;
  parityLoss?: boolean;
}

/** A hop of the proxy: client -> proxy, or proxy -> backend. */
export type ProxyHopName = 'client-proxy' | 'proxy-backend';

export interface ProxyPrediction {
  clientHop: Prediction;
  backendHop: Prediction;
  /** New backend connections per second (0 for a pool that fits, or L4 behind keep-alive clients). */
  backendConnectionsPerSec: number;
  /** The hop that runs out first; null when neither does. */
  firstHop: ProxyHopName | null;
  /** When that hop's first connect fails, ms from the start; null when neither does. */
  timeToFirstFailureMs: number | null;
  advice: string;
}

/** One hop as the client-port model sees it: persistent connections (a pool) or churn closed by the connecting side. */
function hop(input: ProxyInput, destinations: number, poolSize: number | undefined): Prediction {
  return predict({
    ratePerSec: input.requestsPerSec,
    portRange: input.portRange,
    timeWaitMs: input.timeWaitMs,
    destinations,
    sourceAddresses: 1,
    closer: 'client',
    parityLoss: input.parityLoss ?? true,
    ...(poolSize !== undefined && { poolSize }),
  });
}

/** The backend hop's persistent connections: the proxy's pool, or (L4) one per kept-alive client connection; undefined: churn. */
function backendPool(input: ProxyInput): number | undefined {
  switch (input.upstream) {
    case 'pooled':
      return input.proxyPoolSize;
    case 'per-connection':
      return input.clientPoolSize;
    case 'per-request':
      return undefined;
  }
}

export function predictProxy(input: ProxyInput): ProxyPrediction {
  const clientHop = hop(input, 1, input.clientPoolSize);
  const pool = backendPool(input);
  const backendHop = hop(input, input.backendDestinations, pool);
  const hops: [ProxyHopName, Prediction][] = [
    ['proxy-backend', backendHop],
    ['client-proxy', clientHop],
  ];
  let first: [ProxyHopName, number] | null = null;
  for (const [name, p] of hops) {
    if (p.timeToFirstFailureMs !== null && (first === null || p.timeToFirstFailureMs < first[1])) first = [name, p.timeToFirstFailureMs];
  }
  const backendConnectionsPerSec = pool === undefined ? input.requestsPerSec : 0;
  return {
    clientHop,
    backendHop,
    backendConnectionsPerSec,
    firstHop: first?.[0] ?? null,
    timeToFirstFailureMs: first?.[1] ?? null,
    advice: adviceFor(input, backendHop, first),
  };
}

function adviceFor(input: ProxyInput, backendHop: Prediction, first: [ProxyHopName, number] | null): string {
  if (first === null) return 'Neither hop runs out of ports at this rate.';
  const at = `after ~${formatAboutMs(first[1])}`;
  if (first[0] === 'client-proxy') return `The clients run out of ports on their hop to the proxy ${at}: keep their connections alive.`;
  const sustainable = backendHop.maxSustainableRatePerSec;
  return (
    `The proxy runs out of ports on its backend hop ${at}: ${formatRatePerSec(input.requestsPerSec)} new backend connections, each kept ` +
    `in TIME_WAIT ${formatAboutMs(input.timeWaitMs)} on the proxy's side, against ${backendHop.capacity} ports` +
    `${sustainable === null ? '' : ` (sustainable: ${formatRatePerSec(sustainable)})`}. Clients' keep-alive does not help; ` +
    'keep the backend connections alive (a pooled upstream) or add backend addresses or ports.'
  );
}

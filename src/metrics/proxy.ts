/**
 * The proxy lab's vocabulary: the proxy's own counters (posted by the target thread), each hop's sockets per
 * interval (client -> proxy, proxy -> backend, told apart by remote port), and summary.json's "proxy".
 * Types and their zod schemas together (each proven equal to its type), as they cross the driver boundary.
 */
import { z } from 'zod';
import type { Same } from '../util/same-type.js';

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

/** The bundled proxy's counters, cumulative. */
export interface ProxyStats {
  /** Upstream (proxy -> backend) connections the proxy opened. */
  upstreamOpened: number;
  upstreamConnected: number;
  /** Upstream connects that failed, by Node error code (EADDRNOTAVAIL, ETIMEDOUT ...). */
  upstreamErrors: Record<string, number>;
  /** When the first upstream connect failed, ms on the shared monotonic clock (util/clock.ts); null: none did. */
  firstErrorMonoMs: number | null;
  firstErrorCode: string | null;
  /** What the proxy answered clients it could not serve: "502", "504", "reset". */
  clientAnswers: Record<string, number>;
}

/** Nothing counted yet. */
export function emptyProxyStats(): ProxyStats {
  return { upstreamOpened: 0, upstreamConnected: 0, upstreamErrors: {}, firstErrorMonoMs: null, firstErrorCode: null, clientAnswers: {} };
}

export const proxyStatsSchema = z.object({
  upstreamOpened: count,
  upstreamConnected: count,
  upstreamErrors: counts,
  firstErrorMonoMs: z.number().nullable(),
  firstErrorCode: z.string().nullable(),
  clientAnswers: counts,
});

/** One hop's connecting-side sockets: ports held (any state but LISTEN) and how many of them are in TIME_WAIT. */
export interface HopCounts {
  portsInUse: number;
  timeWait: number;
}

const hopSchema = z.object({ portsInUse: count, timeWait: count });

/** The proxy in one report interval: each hop at the interval's last tcp sample, the proxy's counters' deltas. */
export interface IntervalProxy {
  clientHop: HopCounts;
  backendHop: HopCounts;
  upstreamOpened: number;
  upstreamErrors: Record<string, number>;
  clientAnswers: Record<string, number>;
}

export const intervalProxySchema = z.object({
  clientHop: hopSchema,
  backendHop: hopSchema,
  upstreamOpened: count,
  upstreamErrors: counts,
  clientAnswers: counts,
});

/** What the driver reports about the proxy over the run. */
export interface ProxyDriverTotals {
  stats: ProxyStats;
  /** The first upstream connect error, ms since the load started. */
  firstErrorAtMs: number | null;
  peak: { clientHop: HopCounts; backendHop: HopCounts };
}

const peakSchema = z.object({ clientHop: hopSchema, backendHop: hopSchema });

export const proxyDriverTotalsSchema = z.object({ stats: proxyStatsSchema, firstErrorAtMs: z.number().nullable(), peak: peakSchema });

/** Which hop ran out of ports: the proxy's backend side, the clients' side, or none. */
export type ProxyHop = 'proxy-backend' | 'client-proxy';

/** summary.json "proxy": only in runs with target.proxy. */
export interface ProxyRunSummary {
  upstream: string;
  poolSize: number | null;
  backendPorts: number[];
  upstreamOpened: number;
  upstreamConnected: number;
  upstreamErrors: Record<string, number>;
  firstUpstreamErrorAtMs: number | null;
  firstUpstreamErrorCode: string | null;
  clientAnswers: Record<string, number>;
  peak: { clientHop: HopCounts; backendHop: HopCounts };
  /** The hop whose ports ran out; null: neither did. */
  exhaustedHop: ProxyHop | null;
  /** The proxy model (model/proxy.ts): the hop that runs out first and when; nulls: neither. */
  predicted: { hop: ProxyHop | null; atMs: number | null };
}

export const proxyRunSummarySchema = z.object({
  upstream: z.string(),
  poolSize: count.nullable(),
  backendPorts: z.array(count),
  upstreamOpened: count,
  upstreamConnected: count,
  upstreamErrors: counts,
  firstUpstreamErrorAtMs: z.number().nullable(),
  firstUpstreamErrorCode: z.string().nullable(),
  clientAnswers: counts,
  peak: peakSchema,
  exhaustedHop: z.enum(['proxy-backend', 'client-proxy']).nullable(),
  predicted: z.object({ hop: z.enum(['proxy-backend', 'client-proxy']).nullable(), atMs: z.number().nullable() }),
});

const _statsAgree: Same<z.output<typeof proxyStatsSchema>, ProxyStats> = true;
const _intervalAgrees: Same<z.output<typeof intervalProxySchema>, IntervalProxy> = true;
const _totalsAgree: Same<z.output<typeof proxyDriverTotalsSchema>, ProxyDriverTotals> = true;
const _summaryAgrees: Same<z.output<typeof proxyRunSummarySchema>, ProxyRunSummary> = true;

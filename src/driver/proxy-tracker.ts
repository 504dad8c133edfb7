/**
 * The driver's view of the bundled proxy: the proxy's counters (posted by the target thread) turned into
 * per-interval deltas, and each hop's sockets from the sampler's per-destination breakdown. Both hops start in
 * the lab's namespace and draw from its one ephemeral range; a connecting socket whose remote port is a
 * backend port is the proxy's (proxy -> backend), any other is a client's (client -> proxy).
 */
import { emptyProxyStats, type HopCounts, type IntervalProxy, type ProxyDriverTotals, type ProxyStats } from '../metrics/proxy.js';
import type { EndpointCounts } from '../sampler/classify-tcp.js';
import type { TcpSample } from '../sampler/samples.js';


function delta(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(now)) {
    const d = value - (before[key] ?? 0);
    if (d > 0) out[key] = d;
  }
  return out;
}

/** Splits the client-side sockets by destination into the two hops. */
export function hopsOf(byDestination: Record<string, EndpointCounts>, backendPorts: ReadonlySet<number>): { clientHop: HopCounts; backendHop: HopCounts } {
  const clientHop = { portsInUse: 0, timeWait: 0 };
  const backendHop = { portsInUse: 0, timeWait: 0 };
  for (const [label, counts] of Object.entries(byDestination)) {
    const port = Number(label.slice(label.lastIndexOf(':') + 1));
    const hop = backendPorts.has(port) ? backendHop : clientHop;
    hop.portsInUse += counts.portsInUse;
    hop.timeWait += counts.timeWait;
  }
  return { clientHop, backendHop };
}

const maxHop = (a: HopCounts, b: HopCounts): HopCounts => ({ portsInUse: Math.max(a.portsInUse, b.portsInUse), timeWait: Math.max(a.timeWait, b.timeWait) });

export class ProxyTracker {
  private latest: ProxyStats = emptyProxyStats();
  private taken: ProxyStats = emptyProxyStats();
  private readonly backendPorts: ReadonlySet<number>;
  private peak = { clientHop: { portsInUse: 0, timeWait: 0 }, backendHop: { portsInUse: 0, timeWait: 0 } };

  /** `onFirstError` is told once, when the proxy's first upstream connect error arrives (its monotonic time). */
  constructor(
    backendPorts: readonly number[],
    private readonly onFirstError: (monoMs: number, code: string) => void,
  ) {
    this.backendPorts = new Set(backendPorts);
  }

  observe(stats: ProxyStats): void {
    if (this.latest.firstErrorMonoMs === null && stats.firstErrorMonoMs !== null) this.onFirstError(stats.firstErrorMonoMs, stats.firstErrorCode ?? 'EUNKNOWN');
    this.latest = stats;
  }

  /** Each hop as the latest tcp sample shows it (its peak kept for the run's totals). */
  hops(tcp: TcpSample | null): { clientHop: HopCounts; backendHop: HopCounts } {
    const hops = hopsOf(tcp?.byDestination ?? {}, this.backendPorts);
    this.peak = { clientHop: maxHop(this.peak.clientHop, hops.clientHop), backendHop: maxHop(this.peak.backendHop, hops.backendHop) };
    return hops;
  }

  /** This interval: the hops now, and what the proxy counted since the last take. */
  takeInterval(tcp: TcpSample | null): IntervalProxy {
    const { latest, taken } = this;
    this.taken = latest;
    return {
      ...this.hops(tcp),
      upstreamOpened: latest.upstreamOpened - taken.upstreamOpened,
      upstreamErrors: delta(latest.upstreamErrors, taken.upstreamErrors),
      clientAnswers: delta(latest.clientAnswers, taken.clientAnswers),
    };
  }

  /** Over the run; t0MonoMs dates the first error from the load's start. */
  totals(t0MonoMs: number): ProxyDriverTotals {
    const first = this.latest.firstErrorMonoMs;
    return { stats: this.latest, firstErrorAtMs: first === null ? null : first - t0MonoMs, peak: this.peak };
  }
}

/**
 * The bundled proxy's counters (metrics/proxy.ts): its upstream connects (opened, connected, failed by code,
 * the first failure dated on the shared monotonic clock) and what it answered clients it could not serve.
 */
import { emptyProxyStats, type ProxyStats } from '../metrics/proxy.js';
import { monoMs } from '../util/clock.js';

/** The counters, with the two events that change them besides opened/connected. */
export class ProxyCounters {
  readonly stats: ProxyStats = emptyProxyStats();

  /** An upstream connect failed with `code`. */
  connectFailed(code: string): void {
    const { stats } = this;
    stats.upstreamErrors[code] = (stats.upstreamErrors[code] ?? 0) + 1;
    if (stats.firstErrorMonoMs === null) {
      stats.firstErrorMonoMs = monoMs();
      stats.firstErrorCode = code;
    }
  }

  /** The proxy answered a client with `answer` ("502", "504", "reset") instead of the backend's response. */
  answered(answer: string): void {
    this.stats.clientAnswers[answer] = (this.stats.clientAnswers[answer] ?? 0) + 1;
  }

  /** A copy, safe to post while counting goes on. */
  snapshot(): ProxyStats {
    const { stats } = this;
    return { ...stats, upstreamErrors: { ...stats.upstreamErrors }, clientAnswers: { ...stats.clientAnswers } };
  }
}

/** Joins one merged interval of the workers with the sampler's latest view of the lab. */
import type { Scenario } from '../config/types.js';
import type { FinalState, Interval } from '../metrics/types.js';
import type { SockstatSample, TcpSample } from '../sampler/samples.js';
import type { MergedInterval } from '../engine/coordinator.js';
import { planFor } from '../model/plan.js';

export function buildInterval(
  merged: MergedInterval,
  scenario: Scenario,
  timeWait: number,
  tcp: TcpSample | null,
  netstat: Record<string, number>,
): Interval {
  const widthMs = scenario.sampler.reportIntervalMs;
  const tMs = merged.index * widthMs;
  const plan = planFor(scenario.client.stages);
  // The planned rate averaged over the interval: exact for ramps too.
  const end = Math.min(tMs + widthMs, plan.durationMs);
  const targetRatePerSec = end > tMs ? ((plan.startsBy(end) - plan.startsBy(tMs)) * 1000) / (end - tMs) : 0;
  return {
    tMs,
    attempts: merged.counts.attempts,
    connected: merged.counts.connected,
    errors: merged.counts.errors,
    timeWait,
    clientTimeWait: tcp?.clientTimeWait ?? 0,
    serverTimeWait: tcp?.serverTimeWait ?? 0,
    established: tcp?.clientEstablished ?? 0,
    closeWait: tcp?.clientCloseWait ?? 0,
    portsInUse: tcp?.portsInUse ?? 0,
    targetRatePerSec,
    skipped: merged.counts.skipped,
    requests: merged.counts.requests,
    requestErrors: merged.counts.requestErrors,
    connectLatencyUs: merged.connectLatencyUs,
    requestLatencyUs: merged.requestLatencyUs,
    scheduleLagUs: merged.scheduleLagUs,
    netstat,
  };
}

/**
 * The end state from the reads taken as the load stopped (every start ended, the load's connections still
 * open). The caller passes the latest sample of a kind whose read failed; with no tcp sample there is none.
 */
export function finalStateOf(sockstat: SockstatSample | null, tcp: TcpSample | null): FinalState | undefined {
  if (!tcp) return undefined;
  return {
    tMs: Math.max(tcp.tMs, sockstat?.tMs ?? 0),
    // sockstat's tw is the exact total; the table's count stands in only when sockstat could not be read.
    timeWait: sockstat?.timeWait ?? tcp.timeWait,
    clientTimeWait: tcp.clientTimeWait,
    serverTimeWait: tcp.serverTimeWait,
    established: tcp.clientEstablished,
    portsInUse: tcp.portsInUse,
  };
}

/** Turns the sampler's cumulative TcpExt values into per-interval and whole-run deltas. */
export class NetstatTracker {
  private first: Record<string, number> | null = null;
  private lastTaken: Record<string, number> | null = null;
  private latest: Record<string, number> | null = null;

  observe(values: Record<string, number>): void {
    this.first ??= values;
    this.lastTaken ??= values;
    this.latest = values;
  }

  /** Change since the previous take(). */
  take(): Record<string, number> {
    const delta = diff(this.lastTaken, this.latest);
    this.lastTaken = this.latest;
    return delta;
  }

  /** Change since the first observation. */
  total(): Record<string, number> {
    return diff(this.first, this.latest);
  }
}

function diff(from: Record<string, number> | null, to: Record<string, number> | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!from || !to) return out;
  for (const [key, value] of Object.entries(to)) out[key] = value - (from[key] ?? 0);
  return out;
}

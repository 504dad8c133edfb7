/**
 * Time series drawn from a run's intervals, already downsampled for a chart. x is seconds since the load
 * started. Counts over an interval (attempts, errors, latency) sit at the interval's middle; gauges
 * sampled at its end (TIME_WAIT, ports in use) sit at its end, so an onset line meets them where it should.
 */
import { downsample, MAX_CHART_POINTS, type DownsampleMode, type Point } from './downsample.js';
import { sortedErrorCodes } from './format.js';
import type { Interval, RunSummary } from '../metrics/types.js';

export interface Series {
  /** Stable id (CSS class and data attribute), e.g. "connected" or "error-EADDRNOTAVAIL". */
  id: string;
  label: string;
  points: Point[];
}

/** Fallback width when a run has a single interval and nothing else to go by. */
const DEFAULT_INTERVAL_MS = 250;

/**
 * How long each interval lasted: up to the next one; the last one up to the end of the load, but never
 * longer than the others (the run's duration includes a few ms of draining that belong to no interval).
 */
export function intervalWidthsMs(summary: RunSummary): number[] {
  const list = summary.intervals;
  const deltas = list.slice(1).map((iv, i) => iv.tMs - list[i]!.tMs).filter((d) => d > 0);
  const typical = deltas.length > 0 ? deltas.sort((a, b) => a - b)[Math.floor(deltas.length / 2)]! : DEFAULT_INTERVAL_MS;
  return list.map((iv, i) => {
    const width = i + 1 < list.length ? list[i + 1]!.tMs - iv.tMs : Math.min(typical, summary.durationMs - iv.tMs);
    return width > 0 ? width : typical;
  });
}

type Pick = (iv: Interval, widthMs: number) => number | null;

function build(summary: RunSummary, at: 'middle' | 'end', pick: Pick, mode: DownsampleMode): Point[] {
  const widths = intervalWidthsMs(summary);
  const points: Point[] = [];
  summary.intervals.forEach((iv, i) => {
    const width = widths[i]!;
    const y = pick(iv, width);
    if (y === null || !Number.isFinite(y)) return;
    points.push({ x: (iv.tMs + (at === 'middle' ? width / 2 : width)) / 1000, y });
  });
  return downsample(points, MAX_CHART_POINTS, mode);
}

const perSec = (count: number, widthMs: number): number => (count * 1000) / widthMs;

/** Attempts/s, connected/s, requests/s (pool only), then errors/s for every code that occurred (most frequent first). */
export function rateSeries(summary: RunSummary): Series[] {
  const series: Series[] = [
    { id: 'attempts', label: 'attempts/s', points: build(summary, 'middle', (iv, w) => perSec(iv.attempts, w), 'mean') },
    { id: 'connected', label: 'connected/s', points: build(summary, 'middle', (iv, w) => perSec(iv.connected, w), 'mean') },
  ];
  // Over a pool, connections are few and requests are the load; with churn they are one and the same.
  if (summary.scenario.pattern === 'pool') {
    series.push({ id: 'requests', label: 'requests/s', points: build(summary, 'middle', (iv, w) => perSec(iv.requests, w), 'mean') });
  }
  for (const code of sortedErrorCodes(summary.totals.errors)) {
    const points = build(summary, 'middle', (iv, w) => perSec(iv.errors[code] ?? 0, w), 'max');
    series.push({ id: `error-${code}`, label: `${code}/s`, points });
  }
  return series;
}

/**
 * Client-side and server-side TIME_WAIT, the other client states that hold ports (ESTABLISHED: open
 * connections, a pool or a leak; CLOSE_WAIT: the server closed, the client never did), each only when the
 * run had any, and client ports in use (every state).
 */
export function occupancySeries(summary: RunSummary): Series[] {
  const holding: Series[] = [];
  if (summary.intervals.some((iv) => iv.established > 0)) {
    holding.push({ id: 'client-established', label: 'client ESTABLISHED', points: build(summary, 'end', (iv) => iv.established, 'max') });
  }
  if (summary.intervals.some((iv) => (iv.closeWait ?? 0) > 0)) {
    holding.push({ id: 'client-close-wait', label: 'client CLOSE_WAIT', points: build(summary, 'end', (iv) => iv.closeWait ?? 0, 'max') });
  }
  return [
    // sockstat is read 10 times a second and counts every TIME_WAIT; the client/server split comes from
    // /proc/net/tcp, read once a second, so the total shows the climb at full resolution.
    { id: 'time-wait-total', label: 'all TIME_WAIT (sockstat)', points: build(summary, 'end', (iv) => iv.timeWait, 'max') },
    { id: 'client-time-wait', label: 'client TIME_WAIT', points: build(summary, 'end', (iv) => iv.clientTimeWait, 'max') },
    { id: 'server-time-wait', label: 'server TIME_WAIT', points: build(summary, 'end', (iv) => iv.serverTimeWait, 'max') },
    ...holding,
    { id: 'ports-in-use', label: 'ports in use (every state)', points: build(summary, 'end', (iv) => iv.portsInUse, 'max') },
  ];
}

/**
 * Connect latency p50 and p99 per interval (failures included), in microseconds; and the schedule lag
 * p99 when the run recorded it, so a generator that fell behind (and so under-reports) is visible.
 */
export function latencySeries(summary: RunSummary): Series[] {
  const series = [
    { id: 'latency-p50', label: 'connect p50', points: build(summary, 'middle', (iv) => iv.connectLatencyUs?.p50 ?? null, 'mean') },
    { id: 'latency-p99', label: 'connect p99', points: build(summary, 'middle', (iv) => iv.connectLatencyUs?.p99 ?? null, 'max') },
  ];
  if (summary.intervals.some((iv) => iv.scheduleLagUs)) {
    series.push({ id: 'lag-p99', label: 'schedule lag p99', points: build(summary, 'middle', (iv) => iv.scheduleLagUs?.p99 ?? null, 'max') });
  }
  return series;
}

/** How full the port range is, in percent: ports in use, or client TIME_WAIT if the sampler saw more. */
export function rangeFullSeries(summary: RunSummary): Series {
  const size = summary.lab.portRange.size;
  const pick: Pick = (iv) => (size > 0 ? (Math.max(iv.portsInUse, iv.clientTimeWait) / size) * 100 : null);
  return { id: 'range-full', label: 'port range full (%)', points: build(summary, 'end', pick, 'max') };
}

/**
 * nat lab: the gateway's conntrack entries (holding a NAT tuple, and in TIME_WAIT) at each interval's end,
 * and per second the client connect timeouts beside the gateway's drops (insert_failed + drop). Empty
 * without a gateway.
 */
export function natSeries(summary: RunSummary): { entries: Series[]; perSecond: Series[] } {
  if (!summary.nat) return { entries: [], perSecond: [] };
  return {
    entries: [
      { id: 'nat-held', label: 'gateway entries holding a NAT port', points: build(summary, 'end', (iv) => iv.nat?.held ?? null, 'max') },
      { id: 'nat-time-wait', label: 'gateway entries in TIME_WAIT', points: build(summary, 'end', (iv) => iv.nat?.timeWait ?? null, 'max') },
    ],
    perSecond: [
      { id: 'client-timeouts', label: 'client connect timeouts/s', points: build(summary, 'middle', (iv, w) => perSec(iv.errors['ETIMEDOUT'] ?? 0, w), 'max') },
      { id: 'nat-drops', label: 'gateway drops/s', points: build(summary, 'middle', (iv, w) => (iv.nat ? perSec(iv.nat.insertFailed + iv.nat.drop, w) : null), 'max') },
    ],
  };
}

/** Client TIME_WAIT per interval, not downsampled (the sparkline buckets it to its own width). */
export function clientTimeWaitValues(summary: RunSummary): number[] {
  return summary.intervals.map((iv) => iv.clientTimeWait);
}

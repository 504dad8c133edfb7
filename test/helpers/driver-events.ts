/**
 * Synthetic driver events, shaped exactly as the driver sends them (src/driver/protocol.ts, run-driver.ts):
 * 'ready' with the sysctls read back in a new namespace, 'started', one 'interval' per report interval built by
 * the driver's own buildInterval, the 'onset' snapshot before the interval it fell in, then 'done' with the
 * totals the coordinator sums (or no 'done' when the driver died or was killed). The pipeline tests fold them
 * with the host's collector into RunData and build the summary, so every sentence is checked without a lab.
 */
import type { Scenario } from '../../src/config/types.js';
import { loadScenarioText } from '../../src/config/loader.js';
import { PortlabError } from '../../src/errors/index.js';
import { buildInterval } from '../../src/driver/interval.js';
import type { DriverDone, DriverEvent, DriverOnset } from '../../src/driver/protocol.js';
import { portRangeOf } from '../../src/driver/sysctl.js';
import { plannedStarts } from '../../src/engine/schedule.js';
import { endpointCycle } from '../../src/engine/worker/endpoints.js';
import { createCounters, mergeAllCounters, recordConnect, recordRequest, recordSkipped, type IntervalCounters } from '../../src/metrics/counters.js';
import { planFor } from '../../src/model/plan.js';
import { emptyTcpCounts } from '../../src/sampler/classify-tcp.js';
import { TIME_WAIT_COUNTERS, type TimeWaitCounterName } from '../../src/sampler/parse-netstat.js';
import type { TcpSample } from '../../src/sampler/samples.js';
import { collectEvents, runDataOf } from '../../src/run/collect.js';
import { buildSummary, type RunData } from '../../src/run/summary.js';
import type { FinalState, RunSummary } from '../../src/metrics/types.js';

/** What a new network namespace reads back before anything is written (kernel-facts.md, Linux 6.18). */
export const NAMESPACE_DEFAULTS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_local_port_range': '32768\t60999',
  'net.ipv4.ip_local_reserved_ports': '',
  'net.ipv4.tcp_tw_reuse': '2',
  'net.ipv4.tcp_tw_reuse_delay': '1000',
  'net.ipv4.tcp_max_tw_buckets': '131072',
  'net.ipv4.tcp_fin_timeout': '60',
  'net.ipv4.tcp_timestamps': '1',
  'net.ipv4.ip_autobind_reuse': '0',
  'net.core.somaxconn': '4096',
};

/** A scenario from YAML, through the real loader and resolver (lab defaults such as tcp_tw_reuse=0 applied). */
export function scenarioOf(yaml: string): Scenario {
  try {
    return loadScenarioText(yaml, 'test.yaml').scenario;
  } catch (err) {
    if (err instanceof PortlabError) throw new Error(`${err.message}: ${err.details.join('; ')}`);
    throw err;
  }
}

/** The lab most scenarios model: 200 ports (40000-40199) and no TIME_WAIT reuse (a remote backend). */
export const LAB_200_PORTS: Readonly<Record<string, string | number>> = {
  'net.ipv4.ip_local_port_range': '40000 40199',
  'net.ipv4.tcp_tw_reuse': 0,
};

/**
 * A scenario in the 200-port lab: `client` is its client mapping in YAML flow form, `sysctls` change or add
 * lab sysctls, `more` adds top-level YAML lines (target:, expect:, sampler:).
 */
export function labScenario(
  name: string,
  client: string,
  options: { sysctls?: Record<string, string | number>; duration?: string; more?: string } = {},
): Scenario {
  const sysctls = JSON.stringify({ ...LAB_200_PORTS, ...options.sysctls });
  return scenarioOf(`name: ${name}\nduration: ${options.duration ?? '5s'}\nlab: { sysctls: ${sysctls} }\nclient: ${client}\n${options.more ?? ''}\n`);
}

/** What the workers counted and the sampler saw in one report interval. */
export interface Tick {
  connected: number;
  /** Failed connects by error code. */
  errors?: Record<string, number>;
  /** Completed requests (pool, http). */
  requests?: number;
  skipped?: number;
  clientTimeWait?: number;
  serverTimeWait?: number;
  /** sockstat's tw; default client + server TIME_WAIT. */
  timeWait?: number;
  portsInUse?: number;
  established?: number;
  /** TcpExt deltas in this interval. */
  netstat?: Partial<Record<TimeWaitCounterName, number>>;
}

export interface DriverStory {
  scenario: Scenario;
  /** Values the lab read back on top of the namespace defaults and the scenario's own sysctls. */
  sysctls?: Record<string, string>;
  ticks: Tick[];
  /** The driver's onset snapshot (atMs since the load started). */
  onset?: Omit<DriverOnset, 'type'>;
  /** The sampler's final reads as the load stopped, sent in 'done'. */
  final?: FinalState;
  /** 'none': the driver died or was killed before its totals; 'interrupted': it stopped early on "stop". */
  end?: 'done' | 'interrupted' | 'none';
}

/** The sysctls a lab reads back for this scenario: namespace defaults, then what the scenario wrote. */
export function readBackSysctls(scenario: Scenario, extra: Record<string, string> = {}): Record<string, string> {
  return { ...NAMESPACE_DEFAULTS, ...scenario.lab.sysctls, ...extra };
}

function tcpSample(tick: Tick, tMs: number): TcpSample {
  const netstat = Object.fromEntries(TIME_WAIT_COUNTERS.map((name) => [name, 0])) as Record<TimeWaitCounterName, number>;
  const clientTimeWait = tick.clientTimeWait ?? 0;
  const serverTimeWait = tick.serverTimeWait ?? 0;
  return {
    ...emptyTcpCounts(),
    type: 'tcp',
    tMs,
    costMs: 0,
    final: false,
    netstat,
    timeWait: clientTimeWait + serverTimeWait,
    clientTimeWait,
    serverTimeWait,
    clientEstablished: tick.established ?? 0,
    portsInUse: tick.portsInUse ?? clientTimeWait,
  };
}

/** Counts a tick's attempts as the workers do: round-robin over (source, destination), connects first. */
function countTick(tick: Tick, scenario: Scenario, cycleAt: { k: number }): IntervalCounters {
  const cycle = endpointCycle(scenario.client.sourceAddresses, scenario.client.destinations);
  const counts = createCounters();
  const next = (): { source: string; destination: string } => {
    const endpoint = cycle[cycleAt.k++ % cycle.length]!;
    return { source: endpoint.source, destination: endpoint.destinationLabel };
  };
  for (let i = 0; i < tick.connected; i++) {
    const { source, destination } = next();
    recordConnect(counts, source, destination);
  }
  for (const [code, n] of Object.entries(tick.errors ?? {})) {
    for (let i = 0; i < n; i++) {
      const { source, destination } = next();
      recordConnect(counts, source, destination, code);
    }
  }
  for (let i = 0; i < (tick.requests ?? 0); i++) recordRequest(counts);
  recordSkipped(counts, tick.skipped ?? 0);
  return counts;
}

function sumNetstat(ticks: readonly Tick[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const tick of ticks) for (const [name, n] of Object.entries(tick.netstat ?? {})) total[name] = (total[name] ?? 0) + n;
  return total;
}

/** The events the driver sends for this story, in the order it sends them. */
export function driverEvents(story: DriverStory): DriverEvent[] {
  const { scenario, ticks } = story;
  const sysctls = readBackSysctls(scenario, story.sysctls);
  const events: DriverEvent[] = [
    { type: 'ready', sysctls, portRange: portRangeOf(sysctls) },
    { type: 'started', plannedStarts: plannedStarts(planFor(scenario.client.stages)) },
  ];
  const widthMs = scenario.sampler.reportIntervalMs;
  const cycleAt = { k: 0 };
  const perTick = ticks.map((tick) => countTick(tick, scenario, cycleAt));
  ticks.forEach((tick, index) => {
    const tMs = index * widthMs;
    // The onset snapshot is sent as soon as the first error comes, before its interval closes.
    if (story.onset && story.onset.atMs >= tMs && story.onset.atMs < tMs + widthMs) events.push({ type: 'onset', ...story.onset });
    const merged = { index, counts: perTick[index]!, connectLatencyUs: null, requestLatencyUs: null, scheduleLagUs: null };
    const timeWait = tick.timeWait ?? (tick.clientTimeWait ?? 0) + (tick.serverTimeWait ?? 0);
    events.push({ type: 'interval', interval: buildInterval(merged, scenario, timeWait, tcpSample(tick, tMs), { ...tick.netstat }) });
  });
  const end = story.end ?? 'done';
  if (end !== 'none') {
    const done: DriverDone = {
      type: 'done',
      interrupted: end === 'interrupted',
      durationMs: ticks.length * widthMs,
      totals: mergeAllCounters(perTick),
      connectHist: null,
      requestHist: null,
      lagHist: null,
      netstat: sumNetstat(ticks),
      ...(story.final && { final: story.final }),
    };
    events.push(done);
  }
  return events;
}

/** The host side: fold the events with the real collector into RunData, as orchestrate.ts does. */
export function runDataFrom(events: readonly DriverEvent[], interrupted = false): RunData {
  const collected = collectEvents(events);
  const { ready } = collected;
  if (!ready) throw new Error('the events hold no ready');
  return runDataOf({ runId: 'test-run', startedAt: '2026-12-01T10:00:00.000Z', labKind: 'userns', version: '0.1.0' }, { ...collected, ready }, interrupted ? { reason: 'SIGINT', detail: 'Ctrl-C' } : null);
}

/** Story -> events -> RunData -> RunSummary, through the same functions a run uses. */
export function summaryOf(story: DriverStory, interrupted = false): RunSummary {
  return buildSummary(story.scenario, runDataFrom(driverEvents(story), interrupted));
}

/**
 * Ticks of a churn load whose client closes first on `capacity` ports: each tick starts `perTick`
 * connections; they connect until the ports are used up, and fail with `code` from then on. Client TIME_WAIT
 * is every connection made so far (none ages out within a test run: TIME_WAIT lasts 60 s).
 */
export function exhaustingTicks(count: number, perTick: number, capacity: number, code = 'EADDRNOTAVAIL'): Tick[] {
  const ticks: Tick[] = [];
  let held = 0;
  for (let i = 0; i < count; i++) {
    const connected = Math.min(perTick, capacity - held);
    held += connected;
    const failed = perTick - connected;
    ticks.push({ connected, errors: failed > 0 ? { [code]: failed } : {}, clientTimeWait: held, portsInUse: held });
  }
  return ticks;
}

/** `count` copies of one tick. */
export function steadyTicks(count: number, tick: Tick): Tick[] {
  return Array.from({ length: count }, () => ({ ...tick }));
}

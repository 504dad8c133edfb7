/**
 * One reading of a namespace (its /proc/net texts and sysctls) plus the counters of the reading before it
 * -> the doctor's report. Pure: no I/O, no clock; the rates come from the two readings' counters and from
 * the TIME_WAIT timers in the table (a socket with more than 60 s - window left entered TIME_WAIT inside the
 * window).
 */
import { portRangeOf } from '../driver/sysctl.js';
import { timeToExhaustionMs } from '../model/exhaustion-eta.js';
import { DEFAULT_TW_REUSE_DELAY_MS, predict } from '../model/predict.js';
import { OS_PRESETS } from '../model/presets.js';
import { parseNetstat, pickCounters } from '../sampler/parse-netstat.js';
import { parseSockstat } from '../sampler/parse-sockstat.js';
import { censusOfRows, censusOfSockets, type SocketCensus, type TupleCensus } from '../sampler/socket-census.js';
import type { SocketRows } from '../sampler/socket-rows.js';
import type { TcpStateName } from '../sampler/tcp-state.js';
import { parseHostPort } from '../util/host-port.js';
import type { PortRange } from '../util/units.js';
import { findingsOf, worstLevel } from './findings.js';
import { isReserved, parseReservedPorts, reservedInRange, usablePortsPerTuple } from './ports.js';
import { CRITICAL_PCT, WARNING_PCT, type DoctorReport, type DoctorTarget, type Level, type ObservedPattern, type ReaderInfo, type TupleReport } from './types.js';

/** The raw texts of one reading, as read inside (or through /proc/PID of) the namespace. */
export interface NamespaceReading {
  /** Monotonic ms when the reading began. */
  tMs: number;
  /** Wall-clock ms of the same moment. */
  wallMs: number;
  /** /proc/net/tcp and tcp6 texts; '' when the table came from netlink (rows). */
  tcp: string;
  tcp6: string;
  /** The table of a netlink dump; absent or null: count the texts. */
  rows?: SocketRows | null;
  /** Absent: /proc. */
  reader?: ReaderInfo;
  /** null where the namespace's sockstat could not be read (it is only a cross-check). */
  sockstat: string | null;
  snmp: string;
  netstat: string;
  sysctls: Record<string, string>;
  /** How long reading took. */
  readMs: number;
}

/** The cumulative counters of a reading that the next one takes its rates from. */
export interface WindowCounters {
  tMs: number;
  activeOpens: number;
  outRsts: number;
  twRecycled: number;
  twOverflow: number;
}

export interface AnalyzeContext {
  target: DoctorTarget;
  version: string;
  /** Tuples and destinations to list. */
  topN: number;
}

/** Connections that live longer than TIME_WAIT on average are a pool: they are not what fills it. */
const POOL_MIN_LIFE_MS = OS_PRESETS.linux.timeWaitMs;

export function countersOf(reading: NamespaceReading): WindowCounters {
  const tcp = pickCounters(parseNetstat(reading.snmp), ['ActiveOpens', 'OutRsts'], 'Tcp');
  const ext = pickCounters(parseNetstat(reading.netstat), ['TWRecycled', 'TCPTimeWaitOverflow']);
  return { tMs: reading.tMs, activeOpens: tcp.ActiveOpens, outRsts: tcp.OutRsts, twRecycled: ext.TWRecycled, twOverflow: ext.TCPTimeWaitOverflow };
}

export function levelOfPct(pct: number): Level {
  return pct >= CRITICAL_PCT ? 'critical' : pct >= WARNING_PCT ? 'warning' : 'ok';
}

const num = (text: string | undefined, fallback: number): number => {
  const value = Number(text?.trim());
  return text !== undefined && text.trim() !== '' && Number.isFinite(value) ? value : fallback;
};

function isLoopback(destination: string): boolean {
  const host = parseHostPort(destination)?.host ?? '';
  return host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.');
}

/** How the namespace's reuse settings treat one destination: the hold time of a closed connection's port. */
export function holdMsFor(destination: string, sysctls: Record<string, string>): number {
  const mode = num(sysctls['net.ipv4.tcp_tw_reuse'], 2);
  const timestamps = num(sysctls['net.ipv4.tcp_timestamps'], 1) !== 0;
  const reuse = timestamps && (mode === 1 || (mode === 2 && isLoopback(destination)));
  return reuse ? num(sysctls['net.ipv4.tcp_tw_reuse_delay'], DEFAULT_TW_REUSE_DELAY_MS) : OS_PRESETS.linux.timeWaitMs;
}

function tupleReport(t: TupleCensus, usable: number, windowSec: number, sysctls: Record<string, string>): TupleReport {
  const timeWaitInRange = t.timeWaitExpiry.reduce((a, b) => a + b, 0);
  const steadyPorts = t.portsInUse - timeWaitInRange;
  const newPerSec = windowSec > 0 ? t.recentTimeWait / windowSec : 0;
  const timeWaitMs = OS_PRESETS.linux.timeWaitMs;
  const holdMs = holdMsFor(t.destination, sysctls);
  const utilizationPct = usable > 0 ? (t.portsInUse / usable) * 100 : 100;
  let steadyUtilizationPct: number | null = null;
  let maxSustainableRatePerSec: number | null = null;
  const free = usable - steadyPorts;
  if (newPerSec > 0 && free > 0) {
    // The model sees the ports the open sockets leave free and the closes it has to absorb.
    const prediction = predict({
      ratePerSec: newPerSec,
      portRange: { low: 0, high: free - 1, size: free },
      parityLoss: false,
      timeWaitMs,
      destinations: 1,
      sourceAddresses: 1,
      closer: 'client',
      twReuse: holdMs < timeWaitMs,
      twReuseDelayMs: holdMs < timeWaitMs ? holdMs : undefined,
      maxTwBuckets: sysctls['net.ipv4.tcp_max_tw_buckets'] === undefined ? undefined : num(sysctls['net.ipv4.tcp_max_tw_buckets'], 0),
    });
    steadyUtilizationPct = ((prediction.portsNeeded + steadyPorts) / usable) * 100;
    maxSustainableRatePerSec = prediction.maxSustainableRatePerSec;
  } else if (newPerSec > 0) steadyUtilizationPct = 100;
  const exhaustsInMs = timeToExhaustionMs({ usablePorts: usable, steadyPorts, timeWaitBySecondsLeft: t.timeWaitExpiry, timeWaitMs, holdMs, ratePerSec: newPerSec });
  return {
    source: t.source,
    destination: t.destination,
    portsInUse: t.portsInUse,
    usablePorts: usable,
    utilizationPct,
    level: levelOfPct(utilizationPct),
    timeWait: t.timeWait,
    established: t.established,
    closeWait: t.closeWait,
    sockets: t.sockets,
    newPerSec,
    steadyUtilizationPct,
    exhaustsInMs,
    maxSustainableRatePerSec,
  };
}

function observe(census: SocketCensus, opensPerSec: number, clientClosesPerSec: number, resetsPerSec: number): ObservedPattern {
  const clientSockets = Object.values(census.client).reduce((a, b) => a + b, 0);
  const open = clientSockets - census.client.TIME_WAIT;
  if (!(opensPerSec > 0)) return { pattern: open > 0 ? 'pool' : 'idle', close: null, meanLifeMs: null };
  const meanLifeMs = (open / opensPerSec) * 1000;
  const close = clientClosesPerSec >= opensPerSec / 2 ? 'client' : resetsPerSec >= opensPerSec / 2 ? 'reset' : 'server';
  return { pattern: meanLifeMs >= POOL_MIN_LIFE_MS ? 'pool' : 'churn', close, meanLifeMs };
}

/** Counts of a state table without its zero entries, for a compact report. */
function nonZero(counts: Record<TcpStateName, number>): Partial<Record<TcpStateName, number>> {
  const out: Partial<Record<TcpStateName, number>> = {};
  for (const [state, count] of Object.entries(counts) as [TcpStateName, number][]) if (count > 0) out[state] = count;
  return out;
}

/** The report of `reading`; rates need `previous` (the counters of the reading before), else they are 0. */
export function analyze(reading: NamespaceReading, previous: WindowCounters | null, context: AnalyzeContext): DoctorReport {
  const range: PortRange = portRangeOf(reading.sysctls);
  const windowMs = previous ? Math.max(0, reading.tMs - previous.tMs) : 0;
  const windowSec = windowMs / 1000;
  const censusOptions = { ephemeral: range, recentMs: windowMs };
  const census = reading.rows ? censusOfRows(reading.rows, censusOptions) : censusOfSockets(reading.tcp, reading.tcp6, censusOptions);
  const reservedSetting = (reading.sysctls['net.ipv4.ip_local_reserved_ports'] ?? '').trim();
  const reserved = parseReservedPorts(reservedSetting);
  const reservedCount = reservedInRange(range, reserved);
  const listenersInRange = census.listeners.filter((l) => l.port >= range.low && l.port <= range.high && !isReserved(l.port, reserved));
  const usable = usablePortsPerTuple(range, reservedCount, new Set(listenersInRange.map((l) => l.port)).size);

  const tuples = census.tuples
    .map((t) => tupleReport(t, usable, windowSec, reading.sysctls))
    .sort((a, b) => b.portsInUse - a.portsInUse || b.newPerSec - a.newPerSec || a.destination.localeCompare(b.destination));
  const current = countersOf(reading);
  const perSec = (now: number, before: number | undefined): number => (windowSec > 0 && before !== undefined ? Math.max(0, now - before) / windowSec : 0);
  const rates = {
    newConnectionsPerSec: perSec(current.activeOpens, previous?.activeOpens),
    clientClosesPerSec: tuples.reduce((sum, t) => sum + t.newPerSec, 0),
    resetsPerSec: perSec(current.outRsts, previous?.outRsts),
    twRecycledPerSec: perSec(current.twRecycled, previous?.twRecycled),
    twOverflowPerSec: perSec(current.twOverflow, previous?.twOverflow),
  };
  const byDestination = new Map<string, number>();
  for (const t of census.tuples) if (t.timeWait > 0) byDestination.set(t.destination, (byDestination.get(t.destination) ?? 0) + t.timeWait);

  const facts: Omit<DoctorReport, 'findings' | 'level'> = {
    version: context.version,
    takenAt: new Date(reading.wallMs).toISOString(),
    target: context.target,
    windowMs,
    costMs: { read: reading.readMs, analyze: 0 },
    reader: reading.reader ?? { name: 'proc', note: null },
    portRange: { ...range, usable },
    reservedPorts: { setting: reservedSetting, inRange: reservedCount },
    sysctls: reading.sysctls,
    sockets: {
      total: census.rows,
      byState: nonZero(census.byState),
      clientByState: nonZero(census.client),
      serverByState: nonZero(census.server),
      listeners: census.listeners.length,
    },
    timeWait: {
      total: census.byState.TIME_WAIT,
      client: census.client.TIME_WAIT,
      server: census.server.TIME_WAIT,
      sockstat: reading.sockstat === null ? null : parseSockstat(reading.sockstat).timeWait,
      byDestination: [...byDestination]
        .map(([destination, timeWait]) => ({ destination, timeWait }))
        .sort((a, b) => b.timeWait - a.timeWait || a.destination.localeCompare(b.destination))
        .slice(0, context.topN),
    },
    tuples: tuples.slice(0, context.topN),
    tupleCount: tuples.length,
    listenersInRange: listenersInRange.map(({ address, port }) => ({ address, port })),
    rates,
    observed: observe(census, rates.newConnectionsPerSec, rates.clientClosesPerSec, rates.resetsPerSec),
  };
  const findings = findingsOf(facts, tuples);
  return { ...facts, findings, level: worstLevel(findings.map((f) => f.level)) };
}

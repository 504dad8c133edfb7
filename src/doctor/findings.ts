/**
 * The doctor's findings: one per question the seeds' `ss | awk | sort | uniq -c` pipelines try to answer,
 * each with a level and one plain recommendation. Levels come from port utilization (warning from 70%,
 * critical from 90%) and from listeners a connect() can take the port of; everything else informs.
 */
import { formatAboutMs, formatRatePerSec } from '../model/advice.js';
import { DEFAULT_TW_REUSE_DELAY_MS } from '../model/predict.js';
import { trimNumber } from '../util/units.js';
import { CRITICAL_PCT, WARNING_PCT, type DoctorReport, type Finding, type Level, type TupleReport } from './types.js';

type Facts = Omit<DoctorReport, 'findings' | 'level'>;

const LEVEL_RANK: Record<Level, number> = { ok: 0, warning: 1, critical: 2 };

/** The most severe of `levels` ('ok' for none). */
export function worstLevel(levels: readonly Level[]): Level {
  return levels.reduce<Level>((worst, level) => (LEVEL_RANK[level] > LEVEL_RANK[worst] ? level : worst), 'ok');
}

const count = (n: number): string => trimNumber(n, 0);
const pct = (n: number): string => `${trimNumber(n, n < 10 ? 1 : 0)}%`;
const tupleName = (t: TupleReport): string => `${t.source} -> ${t.destination}`;
/** "85% of its ports", or "12 times its ports" past twice as many as it has. */
const share = (utilizationPct: number): string =>
  utilizationPct >= 200 ? `${trimNumber(utilizationPct / 100)} times its ports` : `${pct(utilizationPct)} of its ports`;

function portRange(f: Facts): Finding {
  const { low, high, size, usable } = f.portRange;
  const listeners = new Set(f.listenersInRange.map((l) => l.port)).size;
  const less = [
    size % 2 === 1 && size > 1 ? 'one to the odd size' : '',
    f.reservedPorts.inRange > 0 ? `${count(f.reservedPorts.inRange)} reserved` : '',
    listeners > 0 ? `${count(listeners)} held by listeners` : '',
  ].filter(Boolean);
  return {
    id: 'port-range',
    level: 'ok',
    summary: `Ephemeral range ${low}-${high}: ${count(size)} ports, ${count(usable)} usable per tuple${less.length ? ` (${less.join(', ')})` : ''}.`,
    recommendation:
      size < 10_000
        ? 'The range is narrow: widen net.ipv4.ip_local_port_range (and reserve the listening ports inside it) to give every destination more ports.'
        : 'Nothing to change: each (source, destination) tuple gets the whole range.',
  };
}

function sockets(f: Facts): Finding {
  const states = Object.entries(f.sockets.byState)
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${count(n)} ${state}`);
  const client = Object.values(f.sockets.clientByState).reduce((a, b) => a + b, 0);
  const server = Object.values(f.sockets.serverByState).reduce((a, b) => a + b, 0);
  const closeWait = f.sockets.byState.CLOSE_WAIT ?? 0;
  return {
    id: 'sockets',
    level: 'ok',
    summary: `${count(f.sockets.total)} TCP sockets${states.length ? `: ${states.join(', ')}` : ''} (client side ${count(client)}, server side ${count(server)}).`,
    recommendation:
      closeWait > 0
        ? `${count(closeWait)} sockets sit in CLOSE_WAIT: the peer closed and this side's application has not; close a socket when its peer ends it, or it keeps its port for good.`
        : 'Nothing to change.',
  };
}

function timeWait(f: Facts): Finding {
  const tw = f.timeWait;
  const top = tw.byDestination[0];
  const sockstat = tw.sockstat !== null && tw.sockstat !== tw.total ? `; sockstat tw ${count(tw.sockstat)}, which also counts orphaned FIN_WAIT2` : '';
  return {
    id: 'time-wait',
    level: 'ok',
    summary:
      `TIME_WAIT: ${count(tw.total)} (${count(tw.client)} client side, ${count(tw.server)} server side${sockstat})` +
      (top ? `; most client TIME_WAIT toward ${top.destination} (${count(top.timeWait)}).` : '.'),
    recommendation:
      tw.client > 0
        ? 'Client-side TIME_WAIT holds this host\'s ports for 60 s each: reuse connections (keep-alive, a pool) toward the destinations above, or let the server close first. Lowering tcp_fin_timeout does not shorten it.'
        : 'Server-side TIME_WAIT costs no ports here; nothing to change (tcp_fin_timeout would not shorten it anyway).',
  };
}

function busiestTuple(f: Facts): Finding {
  const busiest = f.tuples[0];
  if (!busiest || busiest.portsInUse === 0) {
    return { id: 'busiest-tuple', level: 'ok', summary: 'No outgoing connection holds a port of the range.', recommendation: 'Nothing to change.' };
  }
  const level = busiest.level;
  const parts = [`${count(busiest.timeWait)} TIME_WAIT`, `${count(busiest.established)} ESTABLISHED`];
  if (busiest.closeWait > 0) parts.push(`${count(busiest.closeWait)} CLOSE_WAIT`);
  const fixes = 'reuse connections to it (a keep-alive pool), spread over more destination addresses or ports or source addresses, or widen the range';
  return {
    id: 'busiest-tuple',
    level,
    summary: `Busiest tuple ${tupleName(busiest)} holds ${count(busiest.portsInUse)} of ${count(busiest.usablePorts)} usable ports (${pct(busiest.utilizationPct)}): ${parts.join(', ')}.`,
    recommendation:
      level === 'critical'
        ? `connect() to ${busiest.destination} is at or near EADDRNOTAVAIL: ${fixes}.`
        : level === 'warning'
          ? `Above ${WARNING_PCT}% of its ports: ${fixes} before it reaches ${CRITICAL_PCT}%.`
          : `Under ${WARNING_PCT}% of its ports: enough headroom.`,
  };
}

function twSettings(f: Facts): Finding {
  const s = f.sysctls;
  const mode = s['net.ipv4.tcp_tw_reuse']?.trim() ?? '?';
  const timestamps = s['net.ipv4.tcp_timestamps']?.trim() ?? '?';
  const delayMs = Number(s['net.ipv4.tcp_tw_reuse_delay'] ?? DEFAULT_TW_REUSE_DELAY_MS);
  const buckets = s['net.ipv4.tcp_max_tw_buckets']?.trim() ?? '?';
  const reuseText: Record<string, string> = {
    '0': 'connect() never takes over a TIME_WAIT port: each closed connection holds its port 60 s',
    '1': `connect() takes over a TIME_WAIT port once it is ${formatAboutMs(delayMs)} old`,
    '2': `connect() takes over TIME_WAIT ports only toward loopback (after ${formatAboutMs(delayMs)}); toward remote hosts each holds its port 60 s`,
  };
  const implications = [reuseText[mode] ?? `tcp_tw_reuse=${mode} is not a value portlab knows`];
  if (timestamps === '0' && mode !== '0') implications.push('but tcp_timestamps=0 turns reuse off');
  if (f.rates.twOverflowPerSec > 0) implications.push(`tcp_max_tw_buckets destroys ${formatRatePerSec(f.rates.twOverflowPerSec)} TIME_WAIT sockets (TCPTimeWaitOverflow)`);
  const remoteBusy = f.tuples.some((t) => t.level !== 'ok' && !/^(127\.|\[::1\]|\[::ffff:127\.)/.test(t.destination));
  return {
    id: 'tw-settings',
    level: 'ok',
    summary:
      `tcp_tw_reuse=${mode}, tcp_timestamps=${timestamps}, tcp_tw_reuse_delay=${s['net.ipv4.tcp_tw_reuse_delay'] ?? '(not on this kernel)'} ms, ` +
      `tcp_max_tw_buckets=${buckets}: ${implications.join('; ')}.`,
    recommendation:
      remoteBusy && mode !== '1'
        ? 'A remote destination runs short of ports: tcp_tw_reuse=1 (with timestamps on both ends) lets connect() take over TIME_WAIT ports after the reuse delay; fixing the connection pattern is better still.'
        : timestamps === '0' && mode !== '0'
          ? 'Turn tcp_timestamps back on if you rely on tcp_tw_reuse; it needs them on both ends.'
          : 'Nothing to change; tcp_fin_timeout does not shorten TIME_WAIT, whatever the posts say.',
  };
}

function listenersInRange(f: Facts): Finding {
  const ports = [...new Set(f.listenersInRange.map((l) => l.port))].sort((a, b) => a - b);
  if (ports.length === 0) {
    return { id: 'listeners-in-range', level: 'ok', summary: 'No listening port lies inside the ephemeral range unreserved.', recommendation: 'Nothing to change.' };
  }
  const shown = f.listenersInRange.slice(0, 5).map((l) => (l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`));
  return {
    id: 'listeners-in-range',
    level: 'warning',
    summary: `${count(ports.length)} listening port(s) inside the ephemeral range and not reserved: ${shown.join(', ')}${f.listenersInRange.length > 5 ? ' ...' : ''}.`,
    recommendation:
      `Reserve them (sysctl -w net.ipv4.ip_local_reserved_ports=${ports.slice(0, 10).join(',')}) or move the range: ` +
      'otherwise an outgoing connection can take the port while the service restarts, and its bind() fails with EADDRINUSE.',
  };
}

function newConnections(f: Facts, all: readonly TupleReport[]): Finding {
  const r = f.rates;
  if (f.windowMs === 0) return { id: 'new-connections', level: 'ok', summary: 'No rate: one reading only.', recommendation: 'Run with a window (--window 1s) to measure new connections.' };
  const window = `over ${formatAboutMs(f.windowMs)}`;
  const closes = f.observed.close ? `, ${f.observed.close} closes first` : '';
  const pattern = `${f.observed.pattern}${f.observed.meanLifeMs !== null ? ` (mean life ${formatAboutMs(f.observed.meanLifeMs)})` : ''}${closes}`;
  const head = `New connections: ${formatRatePerSec(r.newConnectionsPerSec)} ${window}, client-closed ${formatRatePerSec(r.clientClosesPerSec)}; pattern ${pattern}.`;
  const worst = [...all].filter((t) => t.steadyUtilizationPct !== null).sort((a, b) => (b.steadyUtilizationPct ?? 0) - (a.steadyUtilizationPct ?? 0))[0];
  if (!worst || worst.steadyUtilizationPct === null) {
    return { id: 'new-connections', level: 'ok', summary: `${head} No tuple takes new ports.`, recommendation: 'Nothing to change.' };
  }
  const level: Level = worst.steadyUtilizationPct >= CRITICAL_PCT ? 'critical' : worst.steadyUtilizationPct >= WARNING_PCT ? 'warning' : 'ok';
  const when = worst.exhaustsInMs === null ? 'never runs out at this rate' : worst.exhaustsInMs === 0 ? 'has run out now' : `runs out in about ${formatAboutMs(worst.exhaustsInMs)}`;
  const max = worst.maxSustainableRatePerSec === null ? '' : `; it holds up to ${formatRatePerSec(worst.maxSustainableRatePerSec)}`;
  return {
    id: 'new-connections',
    level,
    summary: `${head} ${tupleName(worst)} at ${formatRatePerSec(worst.newPerSec)} needs ${share(worst.steadyUtilizationPct)} and ${when}${max}.`,
    recommendation:
      level === 'ok'
        ? 'The rate fits the ports; nothing to change.'
        : `Open fewer connections to ${worst.destination}: a keep-alive pool or fewer, longer connections; more destination addresses or source addresses also multiply the ports (portlab doctor --emit-scenario reproduces it in a lab).`,
  };
}

/** Every finding, in FINDING_IDS order. `all` is every tuple (the facts list only the top N). */
export function findingsOf(facts: Facts, all: readonly TupleReport[]): Finding[] {
  return [portRange(facts), sockets(facts), timeWait(facts), busiestTuple(facts), twSettings(facts), listenersInRange(facts), newConnections(facts, all)];
}

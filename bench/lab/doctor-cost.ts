/**
 * In-lab cost of one `portlab doctor` refresh at 100,000 sockets (half IPv4, half IPv6, all TIME_WAIT, which
 * hold no fd) with each of its readers, /proc/net/tcp(6) and the sock_diag netlink dump (koffi), taken in
 * turns so both see the same table; and of the other ways to read it: `ss -tan` (sock_diag netlink, then
 * text), `ss` with the kernel filtering TIME_WAIT, and a native sock_diag dump (bench/native/sock-diag-count.c,
 * when a C compiler built it). Prints one JSON line. Run it only inside a lab (it writes sysctls).
 *
 * Usage: node doctor-cost.js SOCKETS [NATIVE_HELPER]
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { analyze, countersOf } from '../../src/doctor/analyze.js';
import { openNamespace } from '../../src/doctor/namespace.js';
import { readNamespace } from '../../src/doctor/read.js';
import { applySysctls } from '../../src/driver/sysctl.js';
import { parseSockstat } from '../../src/sampler/parse-sockstat.js';
import { openSocketReader } from '../../src/doctor/socket-reader.js';
import { openSockDiag } from '../../src/sampler/sock-diag.js';
import { ALL_STATES, stateBit } from '../../src/sampler/sock-diag-parse.js';
import { censusOfRows, censusOfSockets } from '../../src/sampler/socket-census.js';
import { TCP_STATE } from '../../src/sampler/tcp-state.js';
import { monoMs } from '../../src/util/clock.js';
import { readProcText } from '../../src/util/read-proc.js';
import { censusOfSs } from '../ss-census.js';
import { churnUntil } from './fill.js';

const PORTS = [9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007];
const HOSTS = ['127.0.0.1', '::1'];
const RANGE = { low: 1024, high: 65535 };
/** TIME_WAIT lasts 60 s and filling takes a good part of it: few runs, and the slow `ss` last. */
const RUNS = 5;
const SS_RUNS = 3;

export interface DoctorCostOutput {
  runner: 'doctor';
  sockets: number;
  timeWait: number;
  /** Medians, ms: a refresh (read + analysis) through /proc ... */
  refreshMs: number;
  readMs: number;
  analyzeMs: number;
  /** ... and through the netlink reader (null: koffi or netlink unavailable, see netlinkNote). */
  netlinkRefreshMs: number | null;
  netlinkReadMs: number | null;
  netlinkAnalyzeMs: number | null;
  /** The netlink dump alone (every state; TIME_WAIT only, filtered in the kernel), decoded into rows. */
  netlinkDumpMs: number | null;
  netlinkTimeWaitDumpMs: number | null;
  /** The census of the dumped rows. */
  netlinkCensusMs: number | null;
  netlinkSockets: number | null;
  netlinkNote: string | null;
  tcpReadMs: number;
  tcp6ReadMs: number;
  censusMs: number;
  ssMs: number;
  ssRows: number;
  ssTimeWaitMs: number;
  ssTimeWaitRows: number;
  /** null: no C compiler, or the dump failed. */
  nativeMs: number | null;
  nativeTimeWaitMs: number | null;
  nativeSockets: number | null;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t = monoMs();
  const value = fn();
  return { ms: monoMs() - t, value };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = monoMs();
  const value = await fn();
  return { ms: monoMs() - t, value };
}

function ss(args: string[]): string {
  return spawnSync('ss', ['-tan', '-H', ...args], { encoding: 'latin1', maxBuffer: 1 << 30 }).stdout;
}

function native(helper: string | undefined, mask?: string): { ms: number; sockets: number } | null {
  if (!helper) return null;
  const result = spawnSync(helper, mask ? [mask] : [], { encoding: 'utf8' });
  try {
    return JSON.parse(result.stdout) as { ms: number; sockets: number };
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const level = Number(process.argv[2] ?? 100_000);
  const helper = process.argv[3];
  applySysctls('write', {
    'net.ipv4.ip_local_port_range': `${RANGE.low} ${RANGE.high}`,
    'net.ipv4.tcp_tw_reuse': '0',
    'net.ipv4.tcp_max_tw_buckets': String(level * 2),
  });
  // Plain servers end their side when the client does (allowHalfOpen off), so every client lands in TIME_WAIT.
  const servers = await Promise.all(
    HOSTS.flatMap((host) =>
      PORTS.map(
        (port) =>
          new Promise<net.Server>((resolve) => {
            const server = net.createServer((socket) => socket.on('error', () => {}).resume());
            server.listen(port, host, () => resolve(server));
          }),
      ),
    ),
  );
  await churnUntil(level, { closed: 0, started: 0 }, PORTS, HOSTS);
  // Wait for the last FIN exchanges: nearly every socket in TIME_WAIT and hardly any other.
  for (let i = 0; i < 40; i++) {
    const tw = parseSockstat(readProcText('/proc/net/sockstat')).timeWait;
    if (tw >= level * 0.98) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const source = await openNamespace({});
  const context = { target: source.target, version: 'bench', topN: 10 };
  let previous = countersOf(await readNamespace(source, { countersOnly: true }));
  const netlink = await openSocketReader(source, 'auto', readProcText);
  const readers = { proc: undefined, netlink } as const;
  const costs = { proc: { refresh: [] as number[], read: [] as number[], analysis: [] as number[] }, netlink: { refresh: [] as number[], read: [] as number[], analysis: [] as number[] } };
  let rows = 0;
  let timeWait = 0;
  let netlinkNote: string | null = null;
  // In turns, so that both readers see the table at the same age (TIME_WAIT drains over the 60 s).
  for (let i = 0; i < 2 * RUNS; i++) {
    const name = i % 2 === 0 ? 'proc' : 'netlink';
    const t = monoMs();
    const reading = await timedAsync(() => readNamespace(source, { sockets: readers[name] }));
    const report = timed(() => analyze(reading.value, previous, context));
    const cost = costs[name];
    cost.refresh.push(monoMs() - t);
    cost.read.push(reading.ms);
    cost.analysis.push(report.ms);
    previous = countersOf(reading.value);
    if (name === 'proc') {
      rows = report.value.sockets.total;
      timeWait = report.value.timeWait.total;
    } else if (report.value.reader.name !== 'netlink') netlinkNote = report.value.reader.note;
  }
  netlink.close();
  const dump: number[] = [];
  const dumpTw: number[] = [];
  const rowsCensus: number[] = [];
  let netlinkSockets: number | null = null;
  const diag = netlinkNote === null ? await openSockDiag(null) : null;
  if (diag?.ok) {
    for (let i = 0; i < RUNS; i++) {
      const all = timed(() => diag.diag.dump(ALL_STATES, rows));
      dump.push(all.ms);
      dumpTw.push(timed(() => diag.diag.dump(stateBit(TCP_STATE.TIME_WAIT), rows)).ms);
      rowsCensus.push(timed(() => censusOfRows(all.value, { ephemeral: RANGE, recentMs: 1000 })).ms);
      netlinkSockets = all.value.count;
    }
    diag.diag.close();
  }
  const tcp: number[] = [];
  const tcp6: number[] = [];
  const census: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = timed(() => readProcText('/proc/net/tcp'));
    const b = timed(() => readProcText('/proc/net/tcp6'));
    census.push(timed(() => censusOfSockets(a.value, b.value, { ephemeral: RANGE, recentMs: 1000 })).ms);
    tcp.push(a.ms);
    tcp6.push(b.ms);
  }
  const nativeAll: number[] = [];
  const nativeTw: number[] = [];
  let nativeSockets: number | null = null;
  for (let i = 0; i < RUNS; i++) {
    const all = native(helper);
    const tw = native(helper, String(1 << 6));
    if (all) nativeAll.push(all.ms);
    if (tw) nativeTw.push(tw.ms);
    nativeSockets = all?.sockets ?? nativeSockets;
  }
  const ssAll: number[] = [];
  const ssTw: number[] = [];
  let ssRows = 0;
  let ssTimeWaitRows = 0;
  for (let i = 0; i < SS_RUNS; i++) {
    const all = timed(() => censusOfSs(ss([])));
    const tw = timed(() => censusOfSs(ss(['state', 'time-wait']), 'TIME-WAIT'));
    ssAll.push(all.ms);
    ssTw.push(tw.ms);
    ssRows = all.value.rows;
    ssTimeWaitRows = tw.value.rows;
  }
  const out: DoctorCostOutput = {
    runner: 'doctor',
    sockets: rows,
    timeWait,
    refreshMs: median(costs.proc.refresh),
    readMs: median(costs.proc.read),
    analyzeMs: median(costs.proc.analysis),
    netlinkRefreshMs: netlinkNote === null ? median(costs.netlink.refresh) : null,
    netlinkReadMs: netlinkNote === null ? median(costs.netlink.read) : null,
    netlinkAnalyzeMs: netlinkNote === null ? median(costs.netlink.analysis) : null,
    netlinkDumpMs: dump.length ? median(dump) : null,
    netlinkTimeWaitDumpMs: dumpTw.length ? median(dumpTw) : null,
    netlinkCensusMs: rowsCensus.length ? median(rowsCensus) : null,
    netlinkSockets,
    netlinkNote,
    tcpReadMs: median(tcp),
    tcp6ReadMs: median(tcp6),
    censusMs: median(census),
    ssMs: median(ssAll),
    ssRows,
    ssTimeWaitMs: median(ssTw),
    ssTimeWaitRows,
    nativeMs: nativeAll.length ? median(nativeAll) : null,
    nativeTimeWaitMs: nativeTw.length ? median(nativeTw) : null,
    nativeSockets,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  source.close();
  for (const server of servers) server.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`doctor cost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

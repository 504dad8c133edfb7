/**
 * In-lab sampler cost: fills the lab with real TIME_WAIT sockets (client closes first, so they hold no fd
 * and the open-files limit does not cap them), and at each level times what the sampler does: a
 * /proc/net/sockstat read + parse, and a full /proc/net/tcp + tcp6 read and classification. Prints one
 * JSON line. Run it only inside a lab (it writes sysctls).
 */
import { applySysctls } from '../../src/driver/sysctl.js';
import { createTcpClassifier, emptyTcpCounts } from '../../src/sampler/classify-tcp.js';
import { parseSockstat } from '../../src/sampler/parse-sockstat.js';
import { startTcpTarget } from '../../src/target/tcp-server.js';
import { monoMs } from '../../src/util/clock.js';
import { readProcText } from '../../src/util/read-proc.js';
import { portRange, portRangeSysctlValue } from '../../src/util/units.js';
import { churnUntil } from './fill.js';

/** Eight target ports: a 4-tuple is unique per destination, so each one's port scan stays mostly free. */
const PORTS = [9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007];
const RANGE = portRange(1024, 65535);

export interface SamplerLevel {
  /** Rows in /proc/net/tcp + tcp6 (listeners included). */
  sockets: number;
  timeWait: number;
  sockstatUs: { p50: number; p99: number };
  /** Kernel time to produce /proc/net/tcp, and /proc/net/tcp6 (which walks the same table for no rows here). */
  tcpReadMs: number;
  tcp6ReadMs: number;
  /** Classifying both texts (the sampler's own code). */
  tcpParseMs: number;
}

export interface SamplerCostOutput {
  runner: 'sampler';
  levels: SamplerLevel[];
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;
/** What the driver's sampler reads with. */
const readText = readProcText;

function sockstatNow(): { timeWait: number; inUse: number } {
  const s = parseSockstat(readText('/proc/net/sockstat'));
  return { timeWait: s.timeWait, inUse: s.tcpInUse };
}

function measure(sockstatReads: number, tcpReads: number): SamplerLevel {
  const sockstatUs: number[] = [];
  for (let i = 0; i < sockstatReads; i++) {
    const t = monoMs();
    parseSockstat(readText('/proc/net/sockstat'));
    sockstatUs.push((monoMs() - t) * 1000);
  }
  const classify = createTcpClassifier({ ephemeral: RANGE, targetPorts: PORTS });
  const readMs: number[] = [];
  const read6Ms: number[] = [];
  const parseMs: number[] = [];
  let sockets = 0;
  for (let i = 0; i < tcpReads; i++) {
    const t0 = monoMs();
    const tcp = readText('/proc/net/tcp');
    const t1 = monoMs();
    const tcp6 = readText('/proc/net/tcp6');
    const t2 = monoMs();
    const counts = classify(tcp6, classify(tcp, emptyTcpCounts()));
    parseMs.push(monoMs() - t2);
    readMs.push(t1 - t0);
    read6Ms.push(t2 - t1);
    sockets = counts.rows;
  }
  return {
    sockets,
    timeWait: sockstatNow().timeWait,
    sockstatUs: { p50: median(sockstatUs), p99: quantile(sockstatUs, 0.99) },
    tcpReadMs: median(readMs),
    tcp6ReadMs: median(read6Ms),
    tcpParseMs: median(parseMs),
  };
}

async function main(): Promise<void> {
  const levels = (process.argv[2] ?? '10000,30000,60000').split(',').map(Number);
  // Every TIME_WAIT must stay: no reuse, a cap above the biggest level, ports for all of them.
  applySysctls('write', {
    'net.ipv4.ip_local_port_range': portRangeSysctlValue(RANGE),
    'net.ipv4.tcp_tw_reuse': '0',
    'net.ipv4.tcp_max_tw_buckets': String(Math.max(...levels) * 2),
  });
  const target = await startTcpTarget({ listen: PORTS.map((port) => ({ host: '127.0.0.1', port })), responseBytes: 16, responseDelayMs: 0, closeAfterResponse: false });
  const state = { closed: 0, started: 0 };
  const out: SamplerCostOutput = { runner: 'sampler', levels: [] };
  for (const level of levels) {
    await churnUntil(level, state, PORTS);
    // The last FIN exchanges and the target's own closes settle within a few ms: wait until sockstat shows
    // (nearly) every TIME_WAIT and hardly any other socket, so the table holds what the level says.
    for (let i = 0; i < 100; i++) {
      const now = sockstatNow();
      if (now.timeWait >= level * 0.98 && now.inUse < 100) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    out.levels.push(measure(2000, 7));
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  await target.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`sampler cost: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);

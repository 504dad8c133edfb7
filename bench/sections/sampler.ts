/**
 * Section 3: what the sampler costs. Real sockets in a lab (TIME_WAIT, which holds no fd), timed with the
 * driver's own reader and classifier; the parser alone on synthetic text; the share of a core the sampler
 * took during a churn run and what it would take with 60,000 sockets.
 */
import type { BenchContext } from '../context.js';
import { labPrelude, lastJsonLine, runInLab } from '../lab.js';
import type { SamplerCostOutput } from '../lab/sampler-cost.js';
import type { LoadResult } from '../load.js';
import { syntheticProcNetTcp } from '../synthetic.js';
import { createTcpClassifier, emptyTcpCounts } from '../../src/sampler/classify-tcp.js';
import { monoMs } from '../../src/util/clock.js';
import { formatNumber } from '../table.js';

const SECTION = 'Sampler cost';
const LEVELS = [10_000, 30_000, 60_000];
/** The driver's default sampling periods (scenario sampler defaults). */
const SOCKSTAT_EVERY_MS = 100;
const TCP_EVERY_MS = 1000;

/** Median time to classify `rows` synthetic rows, in ms. */
export function syntheticParseMs(rows: number, runs = 5): number {
  const text = syntheticProcNetTcp(rows);
  const classify = createTcpClassifier({ ephemeral: { low: 1024, high: 65535 }, targetPorts: [9000] });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = monoMs();
    classify(text, emptyTcpCounts());
    times.push(monoMs() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Share of one core (%) that sampling takes at the default periods, for given per-sample costs. */
export function samplerShare(sockstatMs: number, tcpMs: number): number {
  return ((sockstatMs / SOCKSTAT_EVERY_MS) + (tcpMs / TCP_EVERY_MS)) * 100;
}

export async function samplerSection(ctx: BenchContext, duringChurn: LoadResult | null): Promise<void> {
  ctx.log('sampler: filling a lab with 10k/30k/60k TIME_WAIT sockets');
  const lab = await runInLab(`${labPrelude({})}\nnode dist/bench/lab/sampler-cost.js ${LEVELS.join(',')}`, { timeoutMs: 180_000 });
  const out = lastJsonLine<SamplerCostOutput>(lab.stdout, 'runner');
  ctx.raw.sampler = out ?? { error: lab.stderr.slice(-2000) };
  const first = out?.levels[0];
  ctx.rows.push({
    section: SECTION,
    name: '/proc/net/sockstat read + parse (p50)',
    value: first ? first.sockstatUs.p50 : null,
    unit: 'us',
    target: { op: '<=', value: 50 },
    note: first ? `p99 ${formatNumber(first.sockstatUs.p99)} us; 2,000 reads` : `failed: ${lab.stderr.trim().slice(-200)}`,
  });
  for (const [i, level] of LEVELS.entries()) {
    const got = out?.levels[i];
    ctx.rows.push({
      section: SECTION,
      name: `/proc/net/tcp + tcp6 read + classify, ${formatNumber(level)} sockets`,
      value: got ? got.tcpReadMs + got.tcp6ReadMs + got.tcpParseMs : null,
      unit: 'ms',
      target: level === 60_000 ? { op: '<=', value: 100 } : undefined,
      note: got
        ? `${formatNumber(got.sockets)} rows (${formatNumber(got.timeWait)} TIME_WAIT); kernel read tcp ${formatNumber(got.tcpReadMs)} ms + tcp6 ${formatNumber(got.tcp6ReadMs)} ms, classify ${formatNumber(got.tcpParseMs)} ms`
        : 'not measured',
    });
  }
  const last = out?.levels[out.levels.length - 1];
  ctx.rows.push({ section: SECTION, name: 'classify only (portlab parser), 60,000 real rows', value: last ? last.tcpParseMs : null, unit: 'ms', target: { op: '<=', value: 100 }, note: 'the parse without the kernel read' });
  ctx.rows.push({ section: SECTION, name: 'classify only, 60,000 rows of synthetic text', value: syntheticParseMs(60_000), unit: 'ms', note: 'synthetic /proc/net/tcp text (bench/synthetic.ts)' });
  if (duringChurn) {
    const s = duringChurn.sampler;
    const share = ((s.sockstat.totalMs + s.tcp.totalMs) / duringChurn.durationMs) * 100;
    ctx.rows.push({ section: SECTION, name: 'sampler share of one core during the 2-worker reset churn', value: share, unit: '%', note: `${s.sockstat.samples} sockstat + ${s.tcp.samples} tcp samples in ${formatNumber(duringChurn.durationMs)} ms` });
  }
  if (first && last) {
    ctx.rows.push({
      section: SECTION,
      name: 'sampler share of one core with 60,000 sockets (sockstat/100 ms, tcp/1 s)',
      value: samplerShare(first.sockstatUs.p50 / 1000, last.tcpReadMs + last.tcp6ReadMs + last.tcpParseMs),
      unit: '%',
      note: 'computed from the costs above',
    });
  }
}

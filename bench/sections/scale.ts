/**
 * Section 4: scale. Memory and CPU of the engine holding N pooled connections (the target in its own
 * process of the lab, so neither process needs two fds per connection), and the time to reproduce the
 * seeds' incident (500 connections/s against the default 28,232-port range) with `portlab run`.
 */
import { spawnSync } from 'node:child_process';
import type { BenchContext } from '../context.js';
import { runInLab, ROOT } from '../lab.js';
import { runLoad, type LoadResult } from '../load.js';
import { formatNumber } from '../table.js';
import type { RunSummary } from '../../src/metrics/types.js';

const SECTION = 'Scale';
const MiB = 2 ** 20;
const SOURCES = '127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4';
/** fds a process needs beyond its sockets (node, workers, pipes). */
const FD_MARGIN = 200;

/** RSS at `n` connections by a straight line through two measured points (labelled an extrapolation). */
export function extrapolate(a: { n: number; bytes: number }, b: { n: number; bytes: number }, n: number): number {
  return b.bytes + ((b.bytes - a.bytes) / (b.n - a.n)) * (n - b.n);
}

async function openFilesHardLimit(): Promise<number> {
  const lab = await runInLab('ulimit -Hn');
  const value = Number(lab.stdout.trim());
  return Number.isFinite(value) ? value : Infinity;
}

async function poolRun(n: number): Promise<LoadResult> {
  return runLoad({
    flags: { pattern: 'pool', 'pool-size': n, rate: 1000, duration: '6s', workers: 2, 'source-addresses': SOURCES, 'port-range': '1024-65535', 'max-in-flight': 5000, 'connect-timeout': '5s' },
    warmupMs: 2000,
    externalTargetArgs: '--protocol tcp --ports 9000',
  });
}

export async function scaleSection(ctx: BenchContext): Promise<void> {
  const limit = await openFilesHardLimit();
  const sizes = [1000, 10_000, 60_000];
  const measured: { n: number; bytes: number }[] = [];
  const raw: Record<string, unknown> = { openFilesHardLimit: limit };
  for (const n of sizes) {
    const name = `RSS with ${formatNumber(n)} pooled connections (engine + target processes)`;
    if (n + FD_MARGIN > limit) {
      const [a, b] = measured.slice(-2);
      const estimate = a && b ? extrapolate(a, b, n) : null;
      ctx.rows.push({
        section: SECTION,
        name,
        value: estimate === null ? null : estimate / MiB,
        unit: 'MiB',
        estimated: estimate !== null,
        target: n === 60_000 ? { op: '<=', value: 1024 } : undefined,
        note: `not measured: needs ${formatNumber(n + FD_MARGIN)} open files per process, the hard limit here is ${formatNumber(limit)} (no CAP_SYS_RESOURCE to raise it)${estimate === null ? '' : '; extrapolated from the two sizes below it'}`,
      });
      continue;
    }
    ctx.log(`scale: pool of ${n}`);
    try {
      const result = await poolRun(n);
      const bytes = result.peakRssBytes + (result.targetMaxRssBytes ?? 0);
      measured.push({ n, bytes });
      raw[String(n)] = { ...result, sysctls: undefined };
      const cpuShare = ((result.cpuUserMs + result.cpuSystemMs) / result.durationMs) * 100;
      ctx.rows.push({
        section: SECTION,
        name,
        value: bytes / MiB,
        unit: 'MiB',
        target: n === 60_000 ? { op: '<=', value: 1024 } : undefined,
        note: `engine ${formatNumber(result.peakRssBytes / MiB)} MiB + target ${formatNumber((result.targetMaxRssBytes ?? 0) / MiB)} MiB; ${formatNumber(result.connected)} connected; ${SOURCES.split(',').length} source addresses`,
      });
      ctx.rows.push({ section: SECTION, name: `engine CPU with ${formatNumber(n)} pooled connections at 1,000 requests/s`, value: cpuShare, unit: '% of a core', note: 'target thread excluded (own process); sampler included' });
    } catch (err) {
      ctx.rows.push({ section: SECTION, name, value: null, unit: 'MiB', note: `failed: ${(err as Error).message.slice(0, 200)}` });
    }
  }
  ctx.raw.scale = raw;
}

/** The seeds' incident: 500 connections/s, client closes first, default range, reuse off. */
export async function incidentSection(ctx: BenchContext): Promise<void> {
  const name = "time to reproduce the seeds' incident (500/s, 28,232 ports, tw_reuse 0)";
  if (ctx.options.quick) {
    ctx.rows.push({ section: SECTION, name, value: null, unit: 's', note: 'skipped (--quick); takes about a minute' });
    return;
  }
  ctx.log('scale: the seeds incident, about a minute');
  const out = `/tmp/portlab-bench-${process.pid}`;
  const started = Date.now();
  const run = spawnSync(process.execPath, [`${ROOT}bin/portlab.js`, 'run', '--lab', 'userns', '--rate', '500', '--duration', '60s', '--close', 'client', '--tw-reuse', '0', '--json', '--out', out], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * MiB });
  const wallS = (Date.now() - started) / 1000;
  spawnSync('rm', ['-rf', out]);
  let summary: RunSummary | null = null;
  try {
    summary = JSON.parse(run.stdout) as RunSummary;
  } catch {
    summary = null;
  }
  ctx.raw.incident = summary ? { onset: summary.onset, totals: { ...summary.totals, bySource: undefined, byDestination: undefined }, wallS } : { error: run.stderr.slice(-2000) };
  const onset = summary?.onset;
  ctx.rows.push({
    section: SECTION,
    name,
    value: onset ? wallS : null,
    unit: 's',
    note: onset
      ? `first EADDRNOTAVAIL at ${formatNumber(onset.atMs / 1000)} s (model: ${onset.predictedAtMs === null ? '?' : formatNumber(onset.predictedAtMs / 1000)} s), ${formatNumber(onset.clientTimeWait)} client TIME_WAIT; wall time of \`portlab run\``
      : `no onset: ${(run.stderr || 'no summary').trim().slice(-200)}`,
  });
}

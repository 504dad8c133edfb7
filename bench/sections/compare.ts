/**
 * Section: `portlab compare` in parallel labs against the same cells one after another. Eight low-rate
 * cells (100/s for 5 s on 200-port ranges) must finish in under half the time in parallel, and parallel
 * cells must not change what is measured: onsets within 10% of the sequential ones.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompareResult } from '../../src/metrics/compare.js';
import type { BenchContext } from '../context.js';
import { ROOT } from '../lab.js';
import { formatNumber } from '../table.js';

const SECTION = 'Compare: parallel cells';

/** Eight cells that differ only in their (equal-sized) port range, so every onset should be ~2 s. */
const COMPARE_FILE = `name: bench-parallel
base:
  name: bench-parallel
  duration: 5s
  lab: { sysctls: { net.ipv4.tcp_tw_reuse: 0 } }
  target: { ports: [9000] }
  client: { pattern: churn, close: client, rate: 100/s }
matrix:
  port-range: [40000-40199, 40200-40399, 40400-40599, 40600-40799, 40800-40999, 41000-41199, 41200-41399, 41400-41599]
`;

async function compare(file: string, parallel: number): Promise<{ wallMs: number; result: CompareResult }> {
  const out = mkdtempSync(join(tmpdir(), 'portlab-bench-compare-'));
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'portlab.js'), 'compare', file, '--parallel', String(parallel), '--json', '--out', out], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 || code === 1 ? resolve(text) : reject(new Error(`portlab compare exited ${code}`))));
  });
  return { wallMs: performance.now() - started, result: JSON.parse(stdout) as CompareResult };
}

const onsets = (r: CompareResult): number[] => r.cells.map((c) => c.summary?.onset?.atMs ?? NaN);

export async function compareSection(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portlab-bench-compare-file-'));
  const file = join(dir, 'parallel.yaml');
  writeFileSync(file, COMPARE_FILE);
  ctx.log('compare: 8 cells, --parallel 1');
  const sequential = await compare(file, 1);
  ctx.log('compare: 8 cells, --parallel 8');
  const parallel = await compare(file, 8);
  const ratio = parallel.wallMs / sequential.wallMs;
  const seq = onsets(sequential.result);
  const par = onsets(parallel.result);
  const worstPct = Math.max(...seq.map((s, i) => (Math.abs(par[i]! - s) / s) * 100));
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const counts = (r: CompareResult): number[] => r.cells.map((c) => c.summary?.peak.clientTimeWait ?? NaN);
  ctx.rows.push(
    { section: SECTION, name: '8 cells of 100/s x 5 s: wall time, parallel / sequential', value: ratio, unit: 'x', target: { op: '<=', value: 0.5 }, note: `${formatNumber(parallel.wallMs / 1000)} s vs ${formatNumber(sequential.wallMs / 1000)} s` },
    {
      section: SECTION,
      name: 'largest onset difference, parallel vs sequential',
      value: worstPct,
      unit: '%',
      target: { op: '<=', value: 10 },
      note: `mean onset ${formatNumber(mean(par))} ms parallel, ${formatNumber(mean(seq))} ms sequential; peak client TIME_WAIT ${counts(parallel.result).join('/')} vs ${counts(sequential.result).join('/')}`,
    },
  );
  ctx.raw.compare = { sequential: { wallMs: sequential.wallMs, onsets: seq, peaks: counts(sequential.result) }, parallel: { wallMs: parallel.wallMs, onsets: par, peaks: counts(parallel.result) } };
}

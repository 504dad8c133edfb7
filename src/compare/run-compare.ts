/**
 * Runs a comparison: every cell in its own fresh lab, up to `parallel` at once, each written as a normal
 * run directory under the compare directory; with a breaking-rate search, each cell's probes after its own
 * run. Ctrl-C stops the running cells (their partial results are kept) and starts no new one.
 */
import { join } from 'node:path';
import type { CellPlan, ComparePlan } from '../config/compare-file.js';
import type { Scenario } from '../config/types.js';
import { isPortlabError, PortlabError } from '../errors/index.js';
import type { CompareCell, CompareResult, Probe } from '../metrics/compare.js';
import type { RunSummary } from '../metrics/types.js';
import { writeRun } from '../report/write.js';
import { runInLab, type StartGate } from '../run/orchestrate.js';
import { buildSummary } from '../run/summary.js';
import { packageVersion } from '../util/version.js';
import { baselineChecks } from './baseline.js';
import { exhaustedIn, modelRates, nextStep, withProbe, type SearchState } from './breaking-rate.js';
import { WaveGate } from './gate.js';

export interface BreakingRateOptions {
  maxRatePerSec: number;
  /** 0.05: the search stops within 5%. */
  tolerance: number;
}

export interface CompareOptions {
  /** The compare directory (results/<stamp>-compare-<name>). */
  dir: string;
  parallel: number;
  breakingRate?: BreakingRateOptions;
  baseline?: { dir: string; cells: readonly CompareCell[]; tolerancePct: number };
  /** Aborting stops the running cells and starts no new one (Ctrl-C). */
  signal?: AbortSignal;
  /** Told when a cell starts and ends (progress). */
  onCellStart?(cell: CellPlan, index: number): void;
  onCellDone?(cell: CompareCell, index: number): void;
  onProbe?(cell: CellPlan, probe: Probe): void;
  onLog?(message: string): void;
}

/** A cell's folder name: its name, with anything a file system might mind replaced. */
export function cellDirName(index: number, name: string): string {
  return `${String(index + 1).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9._=,+-]/g, '_').slice(0, 80)}`;
}

async function runOne(scenario: Scenario, dir: string, runId: string, signal: AbortSignal | undefined, onLog?: (m: string) => void, gate?: StartGate): Promise<RunSummary> {
  const data = await runInLab(scenario, { signal, runId, gate, hooks: { onLog: (level, message) => level === 'warn' && onLog?.(message) } });
  const summary = buildSummary(scenario, data);
  // Cells are parts of one comparison: the job summary gets compare.md once, not a section per cell.
  await writeRun(dir, summary, { env: {} });
  return summary;
}

/** The same scenario at one constant rate over its own duration. */
function atRate(scenario: Scenario, ratePerSec: number): Scenario {
  return { ...scenario, client: { ...scenario.client, stages: [{ durationMs: scenario.durationMs, ratePerSec }] } };
}

async function searchBreakingRate(plan: CellPlan, cell: CompareCell, dir: string, options: CompareOptions, search: BreakingRateOptions): Promise<void> {
  const { scenario } = plan;
  const model = cell.summary ? modelRates(cell.summary, scenario.durationMs) : { forDurationPerSec: null, sustainedPerSec: null };
  cell.predictedBreakingRatePerSec = model.forDurationPerSec;
  cell.sustainedRatePerSec = model.sustainedPerSec;
  const probes: Probe[] = [];
  const first = model.forDurationPerSec ?? Math.max(...scenario.client.stages.map((s) => s.ratePerSec));
  let state: SearchState = { held: null, broke: null };
  for (let i = 0; i < 40 && !options.signal?.aborted; i++) {
    const step = nextStep(state, { startRatePerSec: first, maxRatePerSec: search.maxRatePerSec, tolerance: search.tolerance });
    if ('done' in step) {
      cell.breakingRatePerSec = step.breakingRatePerSec;
      cell.breakingRateAtLeast = step.atLeast;
      break;
    }
    const probeDir = join(dir, 'probes', `${String(i + 1).padStart(2, '0')}-${step.probe}per-s`);
    const summary = await runOne(atRate(scenario, step.probe), join(options.dir, probeDir), `${cell.name}-probe-${i + 1}`, options.signal, options.onLog);
    const probe: Probe = { ratePerSec: step.probe, exhausted: exhaustedIn(summary), onsetAtMs: summary.onset?.atMs ?? null, dir: probeDir };
    if (summary.interrupted) break;
    probes.push(probe);
    options.onProbe?.(plan, probe);
    state = withProbe(state, probe.ratePerSec, probe.exhausted);
  }
  cell.probes = probes;
  if (cell.breakingRatePerSec === undefined) cell.breakingRatePerSec = state.held;
}

async function runCell(plan: CellPlan, index: number, options: CompareOptions, gate: StartGate & { leave(): void }): Promise<CompareCell> {
  const dir = join('cells', cellDirName(index, plan.name));
  const cell: CompareCell = { name: plan.name, overrides: plan.overrides, variant: plan.variant, dir, summary: null, pass: false };
  try {
    try {
      cell.summary = await runOne(plan.scenario, join(options.dir, dir), `${cell.name}`, options.signal, options.onLog, gate);
    } finally {
      // A cell whose lab failed before it armed must not hold the rest of its wave.
      gate.leave();
    }
    if (options.breakingRate && !options.signal?.aborted) await searchBreakingRate(plan, cell, dir, options, options.breakingRate);
  } catch (err) {
    if (!isPortlabError(err)) throw err;
    cell.error = err.message;
    cell.errorCode = err.code;
  }
  const base = options.baseline?.cells.find((c) => c.name === cell.name);
  if (base && options.baseline) cell.baseline = baselineChecks(cell, base, options.baseline.tolerancePct);
  cell.pass = cell.summary !== null && cell.summary.pass && !cell.summary.interrupted && (cell.baseline ?? []).every((c) => c.pass);
  return cell;
}

/** Runs every cell and returns the comparison; throws only when no cell could run at all (a lab problem). */
export async function runCompare(plan: ComparePlan, options: CompareOptions): Promise<CompareResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const cells: (CompareCell | undefined)[] = new Array(plan.cells.length);
  const parallel = Math.max(1, Math.min(options.parallel, plan.cells.length));
  // Waves of `parallel` cells whose loads start together (see gate.ts); the next wave starts when all end.
  for (let first = 0; first < plan.cells.length && !options.signal?.aborted; first += parallel) {
    const wave = plan.cells.slice(first, first + parallel);
    const gate = new WaveGate(wave.length);
    await Promise.all(
      wave.map(async (cellPlan, k) => {
        const index = first + k;
        options.onCellStart?.(cellPlan, index);
        const cell = await runCell(cellPlan, index, options, gate.member());
        cells[index] = cell;
        options.onCellDone?.(cell, index);
      }),
    );
  }
  const ran = cells.filter((c): c is CompareCell => c !== undefined);
  const labFailures = ran.filter((c) => c.summary === null && c.errorCode !== undefined);
  if (ran.length > 0 && labFailures.length === ran.length) {
    const first = labFailures[0]!;
    throw new PortlabError(first.errorCode!, `no cell could run: ${first.error}`);
  }
  const interrupted = options.signal?.aborted === true || ran.some((c) => c.summary?.interrupted === true);
  return {
    version: packageVersion(),
    name: plan.name,
    description: plan.description,
    startedAt,
    durationMs: Date.now() - started,
    parallel,
    interrupted,
    baseline: options.baseline ? { dir: options.baseline.dir, tolerancePct: options.baseline.tolerancePct } : null,
    cells: ran,
    pass: !interrupted && ran.length === plan.cells.length && ran.every((c) => c.pass),
  };
}

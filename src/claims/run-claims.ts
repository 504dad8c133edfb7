/**
 * Runs claims: every run cell of every claim in one pool of parallel labs (one comparison), the probes
 * beside them, then each claim's verdict from its own cells. Cells are named "<id>:<cell>" in the pool, so
 * their folders say which claim they belong to.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import type { CellPlan, ComparePlan } from '../config/compare-file.js';
import { runCompare, type CompareOptions } from '../compare/run-compare.js';
import type { CompareCell, CompareResult } from '../metrics/compare.js';
import { PortlabError } from '../errors/index.js';
import { packageVersion } from '../util/version.js';
import { runFigures } from './figures.js';
import { runProbe } from './probe/run-probe.js';
import type { CatalogResult, CellResult, ClaimDef, ProbeSpec } from './types.js';
import { asExpected, decideClaim } from './verdict.js';

export interface ClaimsOptions {
  /** The results directory (results/<stamp>-claims). */
  dir: string;
  parallel: number;
  signal?: AbortSignal;
  onCellStart?(name: string): void;
  onCellDone?(name: string, cell: CellResult): void;
  onLog?(message: string): void;
  /** Injectable for tests; default: compare's runner and the userns probe. */
  runCompare?: (plan: ComparePlan, options: CompareOptions) => Promise<CompareResult>;
  runProbe?: (spec: ProbeSpec) => Promise<CellResult>;
}

export interface ClaimsRun {
  catalog: CatalogResult;
  /** The run cells as one comparison (null when only probes ran), for compare.json/html. */
  compare: CompareResult | null;
}

const poolName = (claim: ClaimDef, cell: string): string => `${claim.id}:${cell}`;

/** A compare cell as a claim's cell: its figures, or its error code when it did not run. */
export function cellResult(name: string, cell: CompareCell): CellResult {
  if (cell.summary) return { name, kind: 'run', figures: runFigures(cell.summary), dir: cell.dir };
  return { name, kind: 'run', figures: { failure: cell.errorCode ?? 'INTERNAL' }, dir: cell.dir, error: cell.error ?? 'the cell did not run' };
}

async function runProbes(claims: readonly ClaimDef[], options: ClaimsOptions): Promise<Map<string, CellResult>> {
  const results = new Map<string, CellResult>();
  const run = options.runProbe ?? ((spec: ProbeSpec) => runProbe(spec));
  for (const claim of claims) {
    for (const probe of claim.probes) {
      if (options.signal?.aborted) return results;
      const name = poolName(claim, probe.name);
      options.onCellStart?.(name);
      const result = await run(probe);
      const dir = join('probes', `${name.replace(/[^A-Za-z0-9._=,+-]/g, '_')}.json`);
      await mkdir(join(options.dir, 'probes'), { recursive: true });
      await writeFile(join(options.dir, dir), `${JSON.stringify({ probe, ...result }, null, 2)}\n`);
      results.set(name, { ...result, dir });
      options.onCellDone?.(name, result);
    }
  }
  return results;
}

/** Runs the claims' cells and decides every claim. Throws only when no run cell could run at all. */
export async function runClaims(claims: readonly ClaimDef[], options: ClaimsOptions): Promise<ClaimsRun> {
  const started = Date.now();
  const cells: CellPlan[] = claims.flatMap((claim) => claim.cells.map((cell) => ({ ...cell, name: poolName(claim, cell.name) })));
  const plan: ComparePlan = { name: 'claims', description: 'every cell of the claims catalog', cells, warnings: [] };
  const runner = options.runCompare ?? runCompare;
  const [compare, probes] = await Promise.all([
    cells.length === 0
      ? Promise.resolve(null)
      : runner(plan, {
          dir: options.dir,
          parallel: options.parallel,
          signal: options.signal,
          onCellStart: (cell) => options.onCellStart?.(cell.name),
          onCellDone: (cell) => options.onCellDone?.(cell.name, cellResult(cell.name, cell)),
          onLog: options.onLog,
        }),
    runProbes(claims, options),
  ]);
  const byName = new Map<string, CellResult>(probes);
  for (const cell of compare?.cells ?? []) byName.set(cell.name, cellResult(cell.name, cell));
  const results = claims.map((claim) => {
    const own = [...claim.cells.map((c) => c.name), ...claim.probes.map((p) => p.name)];
    const measured = own.flatMap((name) => {
      const found = byName.get(poolName(claim, name));
      return found ? [{ ...found, name }] : [];
    });
    return decideClaim(claim, measured);
  });
  const interrupted = options.signal?.aborted === true || compare?.interrupted === true;
  const catalog: CatalogResult = {
    version: packageVersion(),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    parallel: compare?.parallel ?? 1,
    kernel: release(),
    interrupted,
    claims: results,
    pass: !interrupted && results.every(asExpected),
  };
  return { catalog, compare };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A saved run's metadata (its claims left empty) and each claim's cells, by claim id. */
export interface SavedRun {
  catalog: CatalogResult;
  cells: Map<number, CellResult[]>;
}

/** Reads a parsed claims.json; throws RESULTS_INVALID when it is not one. */
export function savedCells(value: unknown, file: string): SavedRun {
  const claims = isMap(value) && Array.isArray(value.claims) ? value.claims : null;
  if (!isMap(value) || !claims || !claims.every((c) => isMap(c) && typeof c.id === 'number' && Array.isArray(c.cells))) {
    throw new PortlabError('RESULTS_INVALID', `${file} is not a claims.json`, { hint: 'pass the folder `portlab claims` wrote, like results/<stamp>-compare-claims' });
  }
  const cells = new Map<number, CellResult[]>();
  for (const claim of claims as { id: number; cells: unknown[] }[]) {
    cells.set(
      claim.id,
      claim.cells.filter((c): c is CellResult => isMap(c) && typeof c.name === 'string' && (c.kind === 'run' || c.kind === 'probe') && isMap(c.figures)),
    );
  }
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const number = (v: unknown): number => (typeof v === 'number' ? v : 0);
  const catalog: CatalogResult = {
    version: text(value.version),
    startedAt: text(value.startedAt),
    durationMs: number(value.durationMs),
    parallel: number(value.parallel),
    kernel: text(value.kernel),
    interrupted: value.interrupted === true,
    claims: [],
    pass: false,
  };
  return { catalog, cells };
}

/**
 * Judges the claims again on the figures a saved run measured: edited checks, sentences or texts take
 * effect without running a lab. A claim the saved run did not measure comes out inconclusive.
 */
export function rejudge(claims: readonly ClaimDef[], saved: SavedRun): CatalogResult {
  const results = claims.map((claim) => decideClaim(claim, saved.cells.get(claim.id) ?? []));
  return { ...saved.catalog, claims: results, pass: !saved.catalog.interrupted && results.every(asExpected) };
}

/**
 * How many cells run at once by default: as many as the cores can drive without one cell's load slowing
 * another's clock. A cell costs its driver's share of a core (about 5,000 connects/s per core on this kind
 * of machine with one request per connection, see README "Benchmarks") plus the sampler and target. Cores
 * that other work already keeps busy (the 1-minute load average) are not free: cells squeezed onto them
 * measure the machine's starvation, not the kernel (late onsets, ports held by starved threads).
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Scenario } from '../config/types.js';

const STARTS_PER_CORE = 5000;
/** Sampler, target thread and event plumbing of an idle cell. */
const BASE_CORES = 0.1;
/** Beyond this many labs, start-up and teardown dominate the savings. */
const MAX_PARALLEL = 8;

/** Cores one cell keeps busy at its highest planned rate. */
export function cellCores(scenario: Scenario): number {
  const peak = Math.max(...scenario.client.stages.map((s) => s.ratePerSec));
  return Math.min(scenario.client.workers + 1, BASE_CORES + peak / STARTS_PER_CORE);
}

/** The default --parallel for these cells on a machine with `cores` cores, `busyCores` of them in use. */
export function defaultParallel(scenarios: readonly Scenario[], cores = availableParallelism(), busyCores = loadavg()[0] ?? 0): number {
  if (scenarios.length === 0) return 1;
  const heaviest = Math.max(...scenarios.map(cellCores));
  const free = Math.max(0, cores - busyCores);
  return Math.max(1, Math.min(scenarios.length, MAX_PARALLEL, Math.floor(free / heaviest)));
}

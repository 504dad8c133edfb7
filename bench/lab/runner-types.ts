/** What the host side of the bench hands the in-lab load runner, and what it prints back (one JSON line). */
import type { Scenario } from '../../src/config/types.js';
import type { ErrorCounts, Percentiles } from '../../src/metrics/types.js';

export interface RunnerInput {
  scenario: Scenario;
  /** Intervals that start before this are the warm-up: their schedule lag is kept out of `lagSteadyUs`. */
  warmupMs: number;
  /** The target runs in another process of the lab (open-files limits); wait for it instead of starting one. */
  externalTarget: boolean;
  /** Sample the process's memory this often while the load runs (the soak); none when absent. */
  memorySampleMs?: number;
}

/** The whole process's resident memory and the main thread's V8 heap at one moment of the load. */
export interface MemorySample {
  tMs: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface SamplerCost {
  samples: number;
  totalMs: number;
}

export interface RunnerOutput {
  runner: 'load';
  sysctls: Record<string, string>;
  durationMs: number;
  planned: number;
  attempts: number;
  connected: number;
  skipped: number;
  requests: number;
  errors: ErrorCounts;
  requestErrors: ErrorCounts;
  lagAllUs: Percentiles | null;
  lagSteadyUs: Percentiles | null;
  connectUs: Percentiles | null;
  /** CPU of the whole in-lab process (target thread, workers, sampler) over the load. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Largest RSS seen while the load ran (sampled every 250 ms), and the kernel's high-water mark. */
  peakRssBytes: number;
  maxRssBytes: number;
  sampler: { sockstat: SamplerCost; tcp: SamplerCost };
  onsetAtMs: number | null;
  onsetCode: string | null;
  /** With memorySampleMs: the memory over the load. */
  memory?: MemorySample[];
}

/**
 * Host side of one engine run in a lab: builds the scenario from `portlab run` flags (the real config
 * path), starts the in-lab load runner (optionally beside a separate target process) and reads its result.
 */
import { flagsToOverrides } from '../src/config/flags.js';
import { scenarioFromFlags } from '../src/config/loader.js';
import { labPrelude, lastJsonLine, runInLab, waitForPort } from './lab.js';
import type { RunnerInput, RunnerOutput } from './lab/runner-types.js';
import type { Trial, TrialStats } from './search.js';
import { judgeTrial, type HoldBounds } from './search.js';

export interface LoadSpec {
  /** `portlab run` flags without dashes: { rate: 20000, close: 'reset', ... }. */
  flags: Record<string, string | number>;
  warmupMs: number;
  /** Run the target as its own process (`portlab target ARGS`), e.g. when one process would need too many fds. */
  externalTargetArgs?: string;
  /** Sample memory this often during the load (RunnerOutput.memory). */
  memorySampleMs?: number;
}

export interface LoadResult extends RunnerOutput {
  wallMs: number;
  /** Peak RSS of the separate target process, when there was one. */
  targetMaxRssBytes: number | null;
}

const sumCounts = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** Runs one load in a fresh lab; throws with the lab's stderr when the runner printed no result. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const overrides = flagsToOverrides(Object.fromEntries(Object.entries(spec.flags).map(([k, v]) => [k, String(v)])));
  const { scenario } = scenarioFromFlags(overrides);
  const input: RunnerInput = { scenario, warmupMs: spec.warmupMs, externalTarget: spec.externalTargetArgs !== undefined, ...(spec.memorySampleMs && { memorySampleMs: spec.memorySampleMs }) };
  const port = scenario.target.ports[0]!;
  const script = [
    labPrelude({}),
    spec.externalTargetArgs !== undefined ? `node bin/portlab.js target ${spec.externalTargetArgs} > /dev/null 2>&1 & T=$!\n${waitForPort(port)}` : 'T=',
    'node dist/bench/lab/load-runner.js; rc=$?',
    'if [ -n "$T" ]; then grep VmHWM /proc/$T/status; kill $T; fi',
    'exit $rc',
  ].join('\n');
  const lab = await runInLab(script, { input: JSON.stringify(input), timeoutMs: scenario.durationMs + scenario.client.connectTimeoutMs + 60_000 });
  const output = lastJsonLine<RunnerOutput>(lab.stdout, 'runner');
  if (!output) throw new Error(`load runner failed (exit ${lab.code}): ${lab.stderr.trim().slice(-2000)}`);
  const hwm = lab.stdout.match(/VmHWM:\s+(\d+) kB/);
  return { ...output, wallMs: lab.wallMs, targetMaxRssBytes: hwm ? Number(hwm[1]) * 1024 : null };
}

/** The search's view of a run; a pool's starts are requests, not connects (`countRequests`). */
export function trialStats(ratePerSec: number, result: LoadResult, countRequests = false): TrialStats {
  return {
    ratePerSec,
    durationMs: result.durationMs,
    planned: result.planned,
    attempts: countRequests ? result.requests + sumCounts(result.requestErrors) : result.attempts,
    skipped: result.skipped,
    errors: sumCounts(result.errors) + sumCounts(result.requestErrors),
    steadyLagP99Ms: result.lagSteadyUs ? result.lagSteadyUs.p99 / 1000 : null,
  };
}

/** Runs `spec` at `ratePerSec` and judges it. */
export async function loadTrial(spec: LoadSpec, ratePerSec: number, bounds?: HoldBounds): Promise<Trial & { result: LoadResult }> {
  const result = await runLoad({ ...spec, flags: { ...spec.flags, rate: ratePerSec } });
  const stats = trialStats(ratePerSec, result, spec.flags.pattern === 'pool');
  return { stats, verdict: judgeTrial(stats, bounds), result };
}

/** CPU per start (us) over the whole in-lab process; a pool's starts are its requests. */
export function cpuUsPerStart(result: LoadResult, countRequests = false): number | null {
  const starts = (countRequests ? result.requests + sumCounts(result.requestErrors) : result.attempts) + result.skipped;
  return starts > 0 ? ((result.cpuUserMs + result.cpuSystemMs) * 1000) / starts : null;
}

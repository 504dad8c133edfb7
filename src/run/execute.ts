/**
 * One run as the CLI does it, shared by `portlab run` and `portlab demo`: run the scenario in its lab with
 * live progress and Ctrl-C handling, build the summary, write results/<run>/.
 */
import type { Scenario } from '../config/types.js';
import { makeRunId, runInLab } from './orchestrate.js';
import { releaseRunDir, reserveRunDir } from '../report/run-dir.js';
import type { Interruption } from '../metrics/types.js';
import { netnsVerdicts } from '../lab/stale.js';
import { buildSummary } from './summary.js';
import { ProgressReporter } from '../report/progress.js';
import type { RunSummary } from '../metrics/types.js';
import { writeRun } from '../report/write.js';
import { sumErrors } from '../metrics/counters.js';

export interface ExecuteOptions {
  outDir: string;
  /** Live progress on stderr; off for --json and --quiet. */
  progress: boolean;
  githubSummary: boolean;
  /** Written to stderr: progress, warnings, notes. */
  stderr: { write(text: string): void; isTTY?: boolean; columns?: number };
  /** Colour the live progress line (the CLI decides, with report/ansi.ts colorEnabled on stderr). */
  color: boolean;
}

export interface Executed {
  summary: RunSummary;
  dir: string;
}

/** How often the parent is checked: a wrapper that died is noticed within this. */
const PARENT_POLL_MS = 500;

/**
 * Ctrl-C (SIGINT), SIGTERM, or the parent going away (npx, `timeout`, a CI runner killed: this process is
 * re-parented, so process.ppid changes) asks the driver to stop and report, each with its own reason; a
 * second signal ends the driver at once (no draining). Either way the lab is destroyed and what arrived so
 * far is written. Polling ppid works on every kernel and lab kind, where PR_SET_PDEATHSIG would need a
 * native call and fires on the parent *thread's* exit.
 */
function interruptSignal(stderr: ExecuteOptions['stderr']): { signal: AbortSignal; abandon: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  const abandon = new AbortController();
  const request = (why: Interruption, again: string): void => {
    if (!stop.signal.aborted) {
      stderr.write(`\nportlab: ${why.detail}: stopping the load, keeping partial results (${again})\n`);
      stop.abort(why);
    } else if (!abandon.signal.aborted) {
      stderr.write('portlab: stopping at once\n');
      abandon.abort(why);
    }
  };
  const onSigint = (): void => request({ reason: 'SIGINT', detail: 'stopped by Ctrl-C (SIGINT)' }, 'Ctrl-C again to stop at once');
  const onSigterm = (): void => request({ reason: 'SIGTERM', detail: 'stopped by SIGTERM' }, 'SIGTERM again to stop at once');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const parent = process.ppid;
  const poll = setInterval(() => {
    if (process.ppid !== parent && !stop.signal.aborted) {
      request({ reason: 'parent-exit', detail: `the process that started portlab (pid ${parent}) went away` }, 'nothing waits for the results now');
    }
  }, PARENT_POLL_MS);
  poll.unref();
  return {
    signal: stop.signal,
    abandon: abandon.signal,
    dispose: () => {
      clearInterval(poll);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
    },
  };
}

/** Namespaces of runs that are gone (a SIGKILLed netns run) cost nothing to list and are easy to miss. */
function warnStaleNetns(stderr: ExecuteOptions['stderr']): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  const stale = netnsVerdicts().filter((v) => v.stale);
  if (stale.length === 0) return;
  stderr.write(`portlab: warning: ${stale.length} network namespace(s) of runs that are gone (${stale.map((v) => v.name).slice(0, 3).join(', ')}); \`portlab lab prune\` removes them\n`);
}

export async function executeScenario(scenario: Scenario, options: ExecuteOptions): Promise<Executed> {
  // Reserved before the lab is made: a clash or an unwritable --out fails now, not after the run.
  const reserved = await reserveRunDir(options.outDir, makeRunId(scenario.name));
  warnStaleNetns(options.stderr);
  const interrupt = interruptSignal(options.stderr);
  let reporter: ProgressReporter | undefined;
  let portRangeSize = 0;
  let onsetAtMs: number | null = null;
  let written = false;
  try {
    const data = await runInLab(scenario, {
      runId: reserved.runId,
      signal: interrupt.signal,
      abandon: interrupt.abandon,
      hooks: {
        onReady: (ready, lab) => {
          if (!options.progress) return;
          options.stderr.write(
            `portlab: ${scenario.name} in the ${lab.kind} lab, ports ${ready.portRange.low}-${ready.portRange.high} (${ready.portRange.size}), ` +
              `tcp_tw_reuse=${ready.sysctls['net.ipv4.tcp_tw_reuse'] ?? '?'}, ${scenario.durationMs / 1000} s\n`,
          );
          reporter = new ProgressReporter({
            write: (text) => options.stderr.write(text),
            isTTY: options.stderr.isTTY === true,
            columns: options.stderr.columns,
            color: options.color,
            now: () => Date.now(),
          });
          portRangeSize = ready.portRange.size;
        },
        onInterval: (interval) => {
          const perSec = 1000 / scenario.sampler.reportIntervalMs;
          const errorsPerSec: Record<string, number> = {};
          for (const [code, count] of Object.entries(interval.errors)) errorsPerSec[code] = count * perSec;
          reporter?.update({
            elapsedMs: Math.min(interval.tMs + scenario.sampler.reportIntervalMs, scenario.durationMs),
            totalMs: scenario.durationMs,
            // A pool's load is its requests; churn's is its connection attempts.
            ratePerSec: (scenario.client.pattern === 'pool' ? interval.requests : interval.attempts) * perSec,
            connectedPerSec: interval.connected * perSec,
            errorsPerSec,
            clientTimeWait: Math.max(interval.clientTimeWait, interval.timeWait - interval.serverTimeWait),
            portRangeSize,
            onsetAtMs,
          });
        },
        onOnset: (onset) => {
          onsetAtMs = onset.atMs;
        },
        onLog: (level, message) => {
          if (level === 'warn') options.stderr.write(`portlab: warning: ${message}\n`);
        },
      },
    });
    reporter?.finish();
    const summary = buildSummary(scenario, data);
    const result = await writeRun(reserved.dir, summary, { githubSummary: options.githubSummary, env: process.env });
    written = true;
    for (const warning of result.warnings) options.stderr.write(`portlab: warning: ${warning}\n`);
    return { summary, dir: reserved.dir };
  } finally {
    reporter?.finish();
    interrupt.dispose();
    if (!written) await releaseRunDir(reserved.dir);
  }
}

/** A one-line count, e.g. for the demo's progress. */
export function outcomeLine(summary: RunSummary): string {
  return `${summary.totals.connected} connected, ${sumErrors(summary.totals.errors)} errors`;
}

/**
 * One run as the CLI does it, shared by `portlab run` and `portlab demo`: run the scenario in its lab with
 * live progress and Ctrl-C handling, build the summary, write results/<run>/.
 */
import { join } from 'node:path';
import type { Scenario } from '../config/types.js';
import { runInLab } from './orchestrate.js';
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

/**
 * Ctrl-C asks the driver to stop and report; a second Ctrl-C ends the driver at once (no draining). Either
 * way the lab is destroyed and what arrived so far is written.
 */
function interruptSignal(stderr: ExecuteOptions['stderr']): { signal: AbortSignal; abandon: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  const abandon = new AbortController();
  const onSigint = (): void => {
    if (!stop.signal.aborted) {
      stderr.write('\nportlab: stopping the load, keeping partial results (Ctrl-C again to stop at once)\n');
      stop.abort();
    } else if (!abandon.signal.aborted) {
      stderr.write('portlab: stopping at once\n');
      abandon.abort();
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: stop.signal,
    abandon: abandon.signal,
    dispose: () => {
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigint);
    },
  };
}

export async function executeScenario(scenario: Scenario, options: ExecuteOptions): Promise<Executed> {
  const interrupt = interruptSignal(options.stderr);
  let reporter: ProgressReporter | undefined;
  let portRangeSize = 0;
  let onsetAtMs: number | null = null;
  try {
    const data = await runInLab(scenario, {
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
    const dir = join(options.outDir, summary.runId);
    const written = await writeRun(dir, summary, { githubSummary: options.githubSummary, env: process.env });
    for (const warning of written.warnings) options.stderr.write(`portlab: warning: ${warning}\n`);
    return { summary, dir };
  } finally {
    reporter?.finish();
    interrupt.dispose();
  }
}

/** A one-line count, e.g. for the demo's progress. */
export function outcomeLine(summary: RunSummary): string {
  return `${summary.totals.connected} connected, ${sumErrors(summary.totals.errors)} errors`;
}

/**
 * The doctor's use case: read the namespace twice, a window apart, analyze, render; with `watch`, keep
 * refreshing (each refresh's window is the time since the one before) until the signal aborts or `count`
 * refreshes are done. I/O, clock and sleep are injected.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { EXIT } from '../errors/index.js';
import { formatAboutMs } from '../model/advice.js';
import { analyze, countersOf, type NamespaceReading, type WindowCounters } from './analyze.js';
import { emitScenario, type EmittedScenario } from './emit-scenario.js';
import type { NamespaceSource } from './namespace.js';
import type { SocketTableReader } from './socket-reader.js';
import { readNamespace, type ReadOptions } from './read.js';
import { renderDoctorPrometheus } from './render-prometheus.js';
import { renderDoctorTerminal } from './render-terminal.js';
import type { DoctorReport, Level } from './types.js';

export const DOCTOR_FORMATS = ['terminal', 'json', 'prometheus'] as const;
export type DoctorFormat = (typeof DOCTOR_FORMATS)[number];

export interface DoctorOptions {
  /** Between the first two readings (the first rates). */
  windowMs: number;
  topN: number;
  format: DoctorFormat;
  color: boolean;
  watch: boolean;
  /** Between refreshes with watch. */
  intervalMs: number;
  /** With watch: stop after this many refreshes (default: until the signal). */
  count?: number;
  /** Write the scenario of the last report here. */
  emitScenario?: string;
  scale?: number;
  /** Write each rendering to this file (replaced whole, for a textfile collector) instead of stdout. */
  output?: string;
}

export interface DoctorDeps {
  source: NamespaceSource;
  version: string;
  read?: (source: NamespaceSource, options?: ReadOptions) => Promise<NamespaceReading>;
  /** The socket table reader (netlink or /proc); default /proc. */
  sockets?: SocketTableReader;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  write: (text: string) => void;
  writeFile?: (path: string, text: string) => void;
  signal?: AbortSignal;
}

/** What one doctor run produced: the last report and, when asked, the scenario it wrote. */
export interface DoctorResult {
  report: DoctorReport;
  emitted: (EmittedScenario & { file: string }) | null;
}

/** Exit code of a level: 0 ok, 10 warning, 11 critical. */
export function exitCodeOfLevel(level: Level): number {
  return level === 'critical' ? EXIT.DOCTOR_CRITICAL : level === 'warning' ? EXIT.DOCTOR_WARNING : EXIT.OK;
}

/** Replaces a file whole: a reader (a textfile collector) never sees half of it. */
function writeAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepMs(ms, undefined, { signal });
  } catch {
    // Aborted: the loop checks the signal itself.
  }
}

function render(report: DoctorReport, emitted: DoctorResult['emitted'], options: DoctorOptions): string {
  switch (options.format) {
    case 'json': {
      const body = emitted ? { ...report, emittedScenario: { ...emitted, text: undefined } } : report;
      return options.watch ? `${JSON.stringify(body)}\n` : `${JSON.stringify(body, null, 2)}\n`;
    }
    case 'prometheus':
      return renderDoctorPrometheus(report);
    case 'terminal': {
      const text = renderDoctorTerminal(report, { color: options.color });
      // Watching on a terminal redraws in place.
      return `${options.watch && options.color ? '\x1b[2J\x1b[H' : ''}${text}${emitted ? `\n${emittedNote(emitted, 'terminal')}` : ''}`;
    }
  }
}

/** Where the scenario went and what it predicts: one line (JSON for the json format). */
function emittedNote(emitted: NonNullable<DoctorResult['emitted']>, format: DoctorFormat): string {
  if (format === 'json') return `${JSON.stringify({ emittedScenario: { ...emitted, text: undefined } })}\n`;
  const what = emitted.predictedOnsetMs === null ? 'no exhaustion predicted' : `exhaustion predicted after ${formatAboutMs(emitted.predictedOnsetMs)}`;
  return `scenario: ${emitted.file} (${what}; run it with \`portlab run ${emitted.file}\`)\n`;
}

/** Runs doctor; resolves with the last report (its level gives the exit code). */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorResult> {
  const read = deps.read ?? readNamespace;
  const now = deps.now ?? (() => performance.now());
  const sleep = deps.sleep ?? defaultSleep;
  const writeFile = deps.writeFile ?? writeAtomic;
  const context = { target: deps.source.target, version: deps.version, topN: options.topN };
  const refresh = async (previous: WindowCounters): Promise<{ report: DoctorReport; counters: WindowCounters }> => {
    const reading = await read(deps.source, { sockets: deps.sockets });
    const started = now();
    const report = analyze(reading, previous, context);
    report.costMs.analyze = now() - started;
    return { report, counters: countersOf(reading) };
  };
  const show = (report: DoctorReport, emitted: DoctorResult['emitted']): void => {
    const text = render(report, emitted, options);
    if (options.output) writeFile(options.output, text);
    else deps.write(text);
  };

  const emit = (report: DoctorReport): DoctorResult['emitted'] => {
    if (!options.emitScenario) return null;
    const scenario = emitScenario(report, { scale: options.scale });
    writeFile(options.emitScenario, scenario.text);
    return { ...scenario, file: options.emitScenario };
  };

  // The first reading only starts the window: its counters are all the second one needs from it.
  let counters = countersOf(await read(deps.source, { countersOnly: true }));
  await sleep(options.windowMs, deps.signal);
  let refreshedAt = now();
  let last = await refresh(counters);
  if (!options.watch) {
    // A scenario that cannot be written (nothing to replay) still leaves the report on screen.
    let emitted: DoctorResult['emitted'] = null;
    try {
      emitted = emit(last.report);
    } finally {
      show(last.report, emitted);
    }
    return { report: last.report, emitted };
  }
  show(last.report, null);
  for (let done = 1; done < (options.count ?? Infinity) && deps.signal?.aborted !== true; done++) {
    await sleep(Math.max(0, options.intervalMs - (now() - refreshedAt)), deps.signal);
    if (deps.signal?.aborted) break;
    counters = last.counters;
    refreshedAt = now();
    last = await refresh(counters);
    show(last.report, null);
  }
  const emitted = emit(last.report);
  if (emitted) deps.write(emittedNote(emitted, options.format));
  return { report: last.report, emitted };
}

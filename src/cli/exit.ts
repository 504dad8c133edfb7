/**
 * Exit codes as the CLI gives and documents them: the code of a finished run, and the help epilogues, both
 * from the one EXIT table in errors/ (so `--help` cannot drift from what main.ts returns).
 */
import { EXIT, EXIT_MEANINGS, type ExitCode, type ExitName } from '../errors/index.js';
import type { InterruptReason, RunSummary } from '../metrics/types.js';

export const ALL_EXITS = Object.keys(EXIT) as ExitName[];
/** What a run (run, compare, demo) can end with: every code but doctor's levels. */
export const RUN_EXITS = ALL_EXITS.filter((name) => !name.startsWith('DOCTOR_'));

/** "Exit codes: 0 ok, 1 an expectation failed, ...": the codes `names` (default: a run's) in table order. */
export function exitCodesEpilogue(names: readonly ExitName[] = RUN_EXITS): string {
  const listed = ALL_EXITS.filter((name) => names.includes(name));
  return `Exit codes: ${listed.map((name) => `${EXIT[name]} ${EXIT_MEANINGS[name]}`).join(', ')}.`;
}

/** Each way a run can be cut short has its own code: a script tells Ctrl-C from a CI cancel from a crash. */
const EXIT_BY_REASON: Readonly<Record<InterruptReason, ExitCode>> = {
  SIGINT: EXIT.INTERRUPTED,
  SIGTERM: EXIT.TERMINATED,
  'parent-exit': EXIT.PARENT_GONE,
  'target-failure': EXIT.TARGET_FAILED,
  'lab-failure': EXIT.LAB_LOST,
  'driver-crash': EXIT.DRIVER_CRASHED,
};

/** A finished run: interrupted (partial results are still written), an expectation failed, or every one held. */
export function exitCodeOf(summary: Pick<RunSummary, 'interrupted' | 'pass' | 'interruption'>): ExitCode {
  if (summary.interrupted) return summary.interruption ? EXIT_BY_REASON[summary.interruption.reason] : EXIT.INTERRUPTED;
  return summary.pass ? EXIT.OK : EXIT.EXPECTATION_FAILED;
}

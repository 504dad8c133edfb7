/**
 * Exit codes as the CLI gives and documents them: the code of a finished run, and the help epilogues, both
 * from the one EXIT table in errors/ (so `--help` cannot drift from what main.ts returns).
 */
import { EXIT, EXIT_MEANINGS, type ExitCode, type ExitName } from '../errors/index.js';
import type { RunSummary } from '../metrics/types.js';

export const ALL_EXITS = Object.keys(EXIT) as ExitName[];
/** What a run (run, compare, demo) can end with: every code but doctor's levels. */
export const RUN_EXITS = ALL_EXITS.filter((name) => !name.startsWith('DOCTOR_'));

/** "Exit codes: 0 ok, 1 an expectation failed, ...": the codes `names` (default: a run's) in table order. */
export function exitCodesEpilogue(names: readonly ExitName[] = RUN_EXITS): string {
  const listed = ALL_EXITS.filter((name) => names.includes(name));
  return `Exit codes: ${listed.map((name) => `${EXIT[name]} ${EXIT_MEANINGS[name]}`).join(', ')}.`;
}

/** A finished run: interrupted (partial results are still written), an expectation failed, or every one held. */
export function exitCodeOf(summary: Pick<RunSummary, 'interrupted' | 'pass'>): ExitCode {
  if (summary.interrupted) return EXIT.INTERRUPTED;
  return summary.pass ? EXIT.OK : EXIT.EXPECTATION_FAILED;
}

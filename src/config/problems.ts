/**
 * Located problems and how they read: `file:line:col: path: message`, the form editors and CI log viewers
 * turn into links. A problem in a value that a flag set reads `--rate: client.rate: message` instead.
 */
import type { Problem } from './types.js';

/** A Problem with where it is; `location` (from Problem) is the printable form of the fields below. */
export interface LocatedProblem extends Problem {
  location: string;
  /** The scenario file (absent when the value came from a flag or there is no file). */
  file?: string;
  /** 1-based line and column of the offending value (or key, for an unknown key). */
  line?: number;
  col?: number;
  /** The flag that set the offending value, like "--rate". */
  flag?: string;
  /** Only on the "and N more" line that ends a capped list: the errors and warnings it stands for. */
  omitted?: { errors: number; warnings: number };
}

/** Problems listed for one file at most; the rest are counted in one "and N more" line. */
export const MAX_LISTED_PROBLEMS = 100;

/** ["client", "stages", 1, "rate"] -> "client.stages[1].rate". */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? part : `${text}.${part}`;
  }, '');
}

/** One line per problem; warnings say so after the location, as compilers do. */
export function formatProblem(problem: LocatedProblem): string {
  const severity = problem.severity === 'warning' ? 'warning: ' : '';
  const path = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
  return `${problem.location}: ${severity}${path}${problem.message}`;
}

/** Errors first by position, then flag problems; stable otherwise. */
export function sortProblems<T extends LocatedProblem>(problems: readonly T[]): T[] {
  const key = (p: LocatedProblem): [number, number] => (p.line === undefined ? [Infinity, 0] : [p.line, p.col ?? 0]);
  return [...problems].sort((a, b) => {
    const [la, ca] = key(a);
    const [lb, cb] = key(b);
    return la === lb ? ca - cb : la - lb;
  });
}

export const isError = (p: Problem): boolean => p.severity === 'error';

/** Errors in a list, counting those an "and N more" line stands for. */
export function countErrors(problems: readonly LocatedProblem[]): number {
  return problems.reduce((n, p) => n + (p.omitted ? p.omitted.errors : isError(p) ? 1 : 0), 0);
}

/**
 * The first `max` problems and, when there are more, one line "and N more problems" located at the file
 * (an error when any of those left out is one, so a capped list still fails as the full one would).
 */
export function capProblems(problems: readonly LocatedProblem[], fileName: string, max = MAX_LISTED_PROBLEMS): LocatedProblem[] {
  if (problems.length <= max) return [...problems];
  const rest = problems.slice(max);
  const errors = countErrors(rest);
  const total = rest.reduce((n, p) => n + (p.omitted ? p.omitted.errors + p.omitted.warnings : 1), 0);
  const warnings = total - errors;
  const more: LocatedProblem = {
    severity: errors > 0 ? 'error' : 'warning',
    path: [],
    message: `and ${total} more problems (${errors} errors, ${warnings} warnings; the first ${max} are listed)`,
    location: fileName,
    omitted: { errors, warnings },
  };
  return [...problems.slice(0, max), more];
}

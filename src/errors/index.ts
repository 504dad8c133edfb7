/**
 * One error class for everything portlab reports to a user. `code` is stable (tests and scripts match on
 * it), `hint` tells the user what to do, and the exit code follows from the code via EXIT_BY_CODE.
 */

/** Process exit codes; documented in the README and fixed by design.md. */
export const EXIT = {
  OK: 0,
  EXPECTATION_FAILED: 1,
  BAD_INPUT: 2,
  LAB_UNAVAILABLE: 3,
  INTERNAL: 4,
  /** The target could not start or failed during the run (partial results written). */
  TARGET_FAILED: 5,
  /** The driver (or one of its workers) crashed during the run (partial results written). */
  DRIVER_CRASHED: 6,
  /** The lab failed during the run (partial results written). */
  LAB_LOST: 7,
  /** `portlab doctor`: a port finding at or above the warning level (70% of a tuple's ports). */
  DOCTOR_WARNING: 10,
  /** `portlab doctor`: a port finding at or above the critical level (90%). */
  DOCTOR_CRITICAL: 11,
  /** 128 + SIGHUP: the process that started portlab went away (npx, `timeout`, a CI cancel); partial results written. */
  PARENT_GONE: 129,
  /** 128 + SIGINT, the shell convention; partial results are still written. */
  INTERRUPTED: 130,
  /** 128 + SIGTERM; partial results are still written. */
  TERMINATED: 143,
} as const;

export type ExitName = keyof typeof EXIT;
export type ExitCode = (typeof EXIT)[ExitName];

/** What each exit code means: the help epilogues are generated from this table (cli/exit.ts). */
export const EXIT_MEANINGS: Readonly<Record<ExitName, string>> = {
  OK: 'ok',
  EXPECTATION_FAILED: 'an expectation failed',
  BAD_INPUT: 'bad input (scenario file or flags)',
  LAB_UNAVAILABLE: 'the lab could not be created',
  INTERNAL: 'internal error',
  TARGET_FAILED: 'the target failed (partial results written)',
  DRIVER_CRASHED: 'the driver crashed (partial results written)',
  LAB_LOST: 'the lab failed during the run (partial results written)',
  DOCTOR_WARNING: 'doctor: a warning (a tuple at 70% of its ports or more)',
  DOCTOR_CRITICAL: 'doctor: critical (a tuple at 90% of its ports or more)',
  PARENT_GONE: 'the process that started portlab went away (partial results written)',
  INTERRUPTED: 'interrupted by Ctrl-C (partial results written)',
  TERMINATED: 'stopped by SIGTERM (partial results written)',
};

export type ErrorCode =
  | 'SCENARIO_INVALID'
  | 'SCENARIO_NOT_FOUND'
  | 'USAGE'
  | 'RESULTS_INVALID'
  /** --out (or the run folder in it) cannot be created or written: checked before any lab is made. */
  | 'OUTPUT_UNWRITABLE'
  | 'LAB_UNAVAILABLE'
  | 'LAB_FAILED'
  | 'SYSCTL_REFUSED'
  | 'DOCKER_UNAVAILABLE'
  | 'IMAGE_BUILD_FAILED'
  | 'BROWSER_UNAVAILABLE'
  | 'DRIVER_FAILED'
  /** The bundled target could not listen, or died during the run. */
  | 'TARGET_FAILED'
  /** The driver's config line does not fit the protocol: a bug, or a lab image older than this portlab. */
  | 'DRIVER_CONFIG_INVALID'
  | 'NAMESPACE_UNAVAILABLE'
  | 'INTERNAL';

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  SCENARIO_INVALID: EXIT.BAD_INPUT,
  SCENARIO_NOT_FOUND: EXIT.BAD_INPUT,
  USAGE: EXIT.BAD_INPUT,
  RESULTS_INVALID: EXIT.BAD_INPUT,
  OUTPUT_UNWRITABLE: EXIT.BAD_INPUT,
  LAB_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  LAB_FAILED: EXIT.LAB_UNAVAILABLE,
  SYSCTL_REFUSED: EXIT.LAB_UNAVAILABLE,
  DOCKER_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  IMAGE_BUILD_FAILED: EXIT.LAB_UNAVAILABLE,
  BROWSER_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  DRIVER_FAILED: EXIT.INTERNAL,
  TARGET_FAILED: EXIT.TARGET_FAILED,
  DRIVER_CONFIG_INVALID: EXIT.INTERNAL,
  NAMESPACE_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  INTERNAL: EXIT.INTERNAL,
};

/** True when `code` is one of portlab's error codes (it came over a process boundary as text). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(EXIT_BY_CODE, code);
}

export interface PortlabErrorOptions {
  hint?: string;
  /** Extra lines printed under the message, e.g. every located problem of a scenario file. */
  details?: string[];
  cause?: unknown;
}

export class PortlabError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: PortlabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortlabError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  get exitCode(): ExitCode {
    return EXIT_BY_CODE[this.code];
  }
}

/** Narrowing helper for catch blocks. */
export function isPortlabError(err: unknown): err is PortlabError {
  return err instanceof PortlabError;
}

/** The code counted for a failure whose error carries none. */
export const UNKNOWN_ERROR_CODE = 'EUNKNOWN';

/**
 * Node's system errors carry a string `code` (ENOENT, EADDRNOTAVAIL ...): the one place that reads it.
 * With a fallback (UNKNOWN_ERROR_CODE), every failure gets a code: counters key failures by code.
 */
export function errnoCode(err: unknown): string | undefined;
export function errnoCode(err: unknown, fallback: string): string;
export function errnoCode(err: unknown, fallback?: string): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return fallback;
}

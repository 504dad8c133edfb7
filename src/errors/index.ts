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
  /** `portlab doctor`: a port finding at or above the warning level (70% of a tuple's ports). */
  DOCTOR_WARNING: 10,
  /** `portlab doctor`: a port finding at or above the critical level (90%). */
  DOCTOR_CRITICAL: 11,
  /** 128 + SIGINT, the shell convention; partial results are still written. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorCode =
  | 'SCENARIO_INVALID'
  | 'SCENARIO_NOT_FOUND'
  | 'USAGE'
  | 'RESULTS_INVALID'
  | 'LAB_UNAVAILABLE'
  | 'LAB_FAILED'
  | 'SYSCTL_REFUSED'
  | 'DOCKER_UNAVAILABLE'
  | 'IMAGE_BUILD_FAILED'
  | 'BROWSER_UNAVAILABLE'
  | 'DRIVER_FAILED'
  | 'NAMESPACE_UNAVAILABLE'
  | 'INTERNAL';

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  SCENARIO_INVALID: EXIT.BAD_INPUT,
  SCENARIO_NOT_FOUND: EXIT.BAD_INPUT,
  USAGE: EXIT.BAD_INPUT,
  RESULTS_INVALID: EXIT.BAD_INPUT,
  LAB_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  LAB_FAILED: EXIT.LAB_UNAVAILABLE,
  SYSCTL_REFUSED: EXIT.LAB_UNAVAILABLE,
  DOCKER_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  IMAGE_BUILD_FAILED: EXIT.LAB_UNAVAILABLE,
  BROWSER_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  DRIVER_FAILED: EXIT.INTERNAL,
  NAMESPACE_UNAVAILABLE: EXIT.LAB_UNAVAILABLE,
  INTERNAL: EXIT.INTERNAL,
};

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

/** Node's system errors carry a string `code` (ENOENT, EADDRNOTAVAIL ...). */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * How errors reach the user: `portlab: message`, the details (one located problem per line), then
 * `hint: ...`. Internal errors say so and keep their stack for PORTLAB_DEBUG=1. Pure: returns text.
 */
import { EXIT, isPortlabError } from '../errors/index.js';

export interface ErrorReport {
  /** Text for stderr, ending in a newline. */
  text: string;
  exitCode: number;
}

const stackOf = (err: unknown): string | undefined => (err instanceof Error ? err.stack : undefined);

/** The stderr text and exit code for anything a command threw. */
export function reportError(err: unknown, debug: boolean): ErrorReport {
  if (isPortlabError(err)) {
    const lines = [`portlab: ${err.message}`, ...err.details];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (debug) {
      const cause = stackOf(err.cause);
      lines.push(stackOf(err) ?? '', ...(cause ? [`cause: ${cause}`] : []));
    }
    return { text: `${lines.join('\n')}\n`, exitCode: err.exitCode };
  }
  const message = err instanceof Error ? err.message : String(err);
  const lines = [`portlab: internal error: ${message}`];
  lines.push(debug ? (stackOf(err) ?? '') : 'hint: this is a bug in portlab; rerun with PORTLAB_DEBUG=1 to see the stack and report it');
  return { text: `${lines.join('\n')}\n`, exitCode: EXIT.INTERNAL };
}

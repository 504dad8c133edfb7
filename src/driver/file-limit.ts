/**
 * The driver makes sure it may open every file its run can hold (config/file-limit.ts) before anything
 * starts: it raises its soft open-file limit up to the hard one, or refuses the run (LAB_UNAVAILABLE, exit 3)
 * with the figures, instead of letting connect() and accept() fail with EMFILE mid-run. The host checked the
 * hard limit before making the lab; this covers the lab's own limit (docker's container) and the raise.
 */
import type { Scenario } from '../config/types.js';
import { describeNeed, FILE_LIMIT_HINT, filesNeeded } from '../config/file-limit.js';
import { PortlabError } from '../errors/index.js';
import { raiseSoftFileLimit, readFileLimit, type FileLimit } from '../util/file-limit.js';

export interface FileLimitDeps {
  read(): FileLimit | null;
  /** Sets the soft limit; returns why it could not, or null. */
  raise(soft: number): string | null;
}

const processDeps: FileLimitDeps = { read: () => readFileLimit(), raise: raiseSoftFileLimit };

/** Raises the soft limit when the run needs it; returns a line saying so (null when nothing changed). */
export function ensureFileLimit(scenario: Scenario, targetInProcess: boolean, deps: FileLimitDeps = processDeps): string | null {
  const limit = deps.read();
  if (!limit) return null;
  const need = filesNeeded(scenario, targetInProcess);
  if (need.total <= limit.soft) return null;
  const what = describeNeed(need, targetInProcess);
  let why = `above the hard limit of ${limit.hard}`;
  if (need.total <= limit.hard) {
    // Up to the hard limit, not just the estimate: headroom costs nothing, and EMFILE mid-run would.
    const failed = deps.raise(limit.hard);
    const after = deps.read();
    if (!failed && after && after.soft >= need.total) return `raised the open-file limit from ${limit.soft} to ${after.soft}: this run may hold ${what}`;
    why = `raising the soft limit to ${limit.hard} failed: ${failed ?? `it reads ${after?.soft ?? 'nothing'} after`}`;
  }
  throw new PortlabError('LAB_UNAVAILABLE', `the lab's open-file limit is ${limit.soft} (hard ${limit.hard}), but this run may hold ${what}; ${why}`, {
    hint: FILE_LIMIT_HINT,
  });
}

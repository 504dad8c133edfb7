/**
 * Data that crosses a process or thread boundary arrives as `unknown`: checked against a zod schema where it
 * arrives, never cast, so a mismatch between the two sides fails at once with the fields that differ.
 */
import type { z } from 'zod';
import { PortlabError, type ErrorCode } from './index.js';

/**
 * Parses `data` with `schema`, or throws a PortlabError (INTERNAL by default: the other side is portlab
 * itself, so a mismatch is a bug) naming `what` and every field that did not match.
 */
export function parseBoundary<T>(schema: z.ZodType<T>, data: unknown, what: string, code: ErrorCode = 'INTERNAL'): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new PortlabError(code, `${what} does not have the expected shape: ${issues.join('; ')}`);
}

/**
 * Turns zod issues into scenario problems that read well: one problem per unknown key with a
 * "did you mean" drawn from the keys that object allows, a suggestion for a misspelt enum value, and
 * "missing" for a required key that is absent. The allowed keys come from the schema itself, so they can
 * never drift from what validation accepts.
 */
import { z } from 'zod';
import { formatPath } from './problems.js';
import { scenarioSchema } from './schema.js';
import type { Problem } from './types.js';
import { didYouMean } from '../util/suggest.js';

export type Path = (string | number)[];

/** A problem before it is located; `atKey` asks for the key's position rather than the value's. */
export interface PathProblem extends Problem {
  atKey?: boolean;
  /**
   * What a resolver check downstream of this problem may be a consequence of: the path itself, or for an
   * unknown key the key it was probably meant to be (a misspelt "durration" makes "duration" missing).
   */
  affects?: Path;
}

/** Looks through the wrappers that do not change a value's shape (optional, default, nullable, pipe). */
function unwrap(node: z.core.$ZodType): z.core.$ZodType {
  let current = node;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodPipe) current = current.in;
    else return current;
  }
}

/** The schema node at `path`, following objects, arrays, records and tuples. */
function schemaAt(path: readonly (string | number)[]): z.core.$ZodType | undefined {
  let node: z.core.$ZodType | undefined = unwrap(scenarioSchema);
  for (const segment of path) {
    let next: z.core.$ZodType | undefined;
    if (node instanceof z.ZodObject) next = node.shape[String(segment)];
    else if (node instanceof z.ZodArray) next = node.element;
    else if (node instanceof z.ZodRecord) next = node.valueType;
    else if (node instanceof z.ZodTuple && typeof segment === 'number') next = node.def.items[segment];
    node = next ? unwrap(next) : undefined;
    if (!node) return undefined;
  }
  return node;
}

/** The keys the object at `path` accepts (empty when `path` is not an object in the schema). */
export function allowedKeys(path: readonly (string | number)[]): string[] {
  const node = schemaAt(path);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** Reads the raw value at `path` (undefined when any step is missing). */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

const suggestion = (word: string, candidates: readonly string[]): string => {
  const best = didYouMean(word, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
};

/** zod's stock messages start with "Invalid input: "; the path already says where. */
const tidy = (message: string): string => message.replace(/^Invalid input: /, '');

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  tuple: 'a list',
  record: 'a mapping',
};

const QUOTED_CHARS = 60;

/** How a raw YAML value reads in a message. */
function describeValue(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value !== 'string') return String(value);
  // A long text is shown by its start: messages repeat what they quote.
  return value.length > QUOTED_CHARS ? `"${value.slice(0, QUOTED_CHARS)}..." (${value.length} characters)` : `"${value}"`;
}

/** zod's stock type message ("Invalid input: expected number, received string") in the user's terms. */
function typeMessage(issue: z.core.$ZodIssueInvalidType, value: unknown): string {
  if (value === undefined) return `missing; ${tidy(issue.message)}`;
  if (!issue.message.startsWith('Invalid input: expected')) return tidy(issue.message);
  return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(value)}`;
}

const toPath = (path: readonly PropertyKey[]): Path => path.map((p) => (typeof p === 'number' ? p : String(p)));

function unknownKeyProblems(issue: z.core.$ZodIssueUnrecognizedKeys, path: Path): PathProblem[] {
  const allowed = allowedKeys(path).filter((k) => !k.startsWith('$'));
  return issue.keys.map((key) => {
    const best = didYouMean(key, allowed);
    const message = best !== undefined ? `unknown key "${key}" (did you mean "${best}"?)` : `unknown key "${key}" (allowed here: ${allowed.join(', ')})`;
    return { severity: 'error', path: [...path, key], message, atKey: true, affects: best === undefined ? [] : [...path, best] };
  });
}

/** Every zod issue as one or more problems with paths; `input` is the raw document that was validated. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], input: unknown): PathProblem[] {
  return issues.flatMap((issue): PathProblem[] => {
    const path = toPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return unknownKeyProblems(issue, path);
      case 'invalid_key': {
        const inner = issue.issues.map((i) => i.message).join('; ');
        return [{ severity: 'error', path, message: tidy(inner || issue.message), atKey: true }];
      }
      case 'invalid_value': {
        const value = valueAt(input, path);
        const words = issue.values.filter((v): v is string => typeof v === 'string');
        const hint = typeof value === 'string' ? suggestion(value, words) : '';
        return [{ severity: 'error', path, message: `${tidy(issue.message)}${hint}` }];
      }
      case 'invalid_type':
        return [{ severity: 'error', path, message: typeMessage(issue, valueAt(input, path)) }];
      default: {
        const missing = valueAt(input, path) === undefined;
        return [{ severity: 'error', path, message: missing ? `missing; ${tidy(issue.message)}` : tidy(issue.message) }];
      }
    }
  });
}

/**
 * The issues of checked boundary data (a driver config line, an event, a saved summary) as one line,
 * "path: message; path: message", the first `max` of them; `input` is the checked value, so an absent field
 * reads "missing".
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, max = 3): string {
  const parts = issues.slice(0, max).map((issue) => {
    const path = toPath(issue.path);
    const value = valueAt(input, path);
    let message = tidy(issue.message);
    if (issue.code === 'invalid_type') {
      message = value === undefined ? `missing (expected ${EXPECTED[issue.expected] ?? issue.expected})` : typeMessage(issue, value);
    }
    return path.length > 0 ? `${formatPath(path)}: ${message}` : message;
  });
  if (issues.length > max) parts.push(`and ${issues.length - max} more`);
  return parts.join('; ');
}

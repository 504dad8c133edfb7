/**
 * Reads a results folder back into a RunSummary (for `portlab report`): summary.json, with the intervals
 * from intervals.ndjson when the summary lacks them. Anything unreadable is PortlabError('RESULTS_INVALID')
 * naming the file, so a user knows which one to look at.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, PortlabError } from '../errors/index.js';
import type { Interval, RunSummary } from '../metrics/types.js';
import { RESULT_FILES } from './write.js';

const HINT = 'pass the folder a run wrote, like results/<run-id> (`portlab run` prints it)';

/** Fields every renderer reads, with their JSON types; checked so a wrong file fails here, clearly. */
const REQUIRED: [string, 'string' | 'number' | 'object' | 'array' | 'boolean'][] = [
  ['version', 'string'],
  ['scenario', 'object'],
  ['scenario.name', 'string'],
  ['lab', 'object'],
  ['lab.kind', 'string'],
  ['lab.sysctls', 'object'],
  ['lab.portRange.size', 'number'],
  ['totals.attempts', 'number'],
  ['totals.connected', 'number'],
  ['totals.errors', 'object'],
  ['peak.clientTimeWait', 'number'],
  ['latency', 'object'],
  ['prediction', 'object'],
  ['diagnosis', 'string'],
  ['expectations', 'array'],
  ['pass', 'boolean'],
];

function invalid(file: string, message: string, cause?: unknown): PortlabError {
  return new PortlabError('RESULTS_INVALID', `${file}: ${message}`, { hint: HINT, cause });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = errnoCode(err) === 'ENOENT' ? 'not found' : `cannot be read (${errnoCode(err) ?? String(err)})`;
    throw invalid(file, reason, err);
  }
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return value === null ? 'null' : typeof value;
}

function lookup(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Checks the fields renderers rely on; returns the first problem, or null. */
export function checkSummaryShape(value: unknown): string | null {
  if (typeOf(value) !== 'object') return `expected a JSON object, got ${typeOf(value)}`;
  for (const [path, type] of REQUIRED) {
    const actual = typeOf(lookup(value, path));
    if (actual !== type) return actual === 'undefined' ? `missing "${path}"` : `"${path}" should be ${type}, got ${actual}`;
  }
  const intervals = lookup(value, 'intervals');
  if (intervals !== undefined && intervals !== null && !Array.isArray(intervals)) return `"intervals" should be array, got ${typeOf(intervals)}`;
  return null;
}

/** Parses intervals.ndjson text; `file` names it in errors (with the line). */
export function parseIntervalsNdjson(text: string, file: string): Interval[] {
  const intervals: Interval[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw invalid(`${file}:${index + 1}`, `not valid JSON (${(err as Error).message})`, err);
    }
    if (typeOf(value) !== 'object' || typeof (value as { tMs?: unknown }).tMs !== 'number') {
      throw invalid(`${file}:${index + 1}`, 'expected an interval object with a numeric "tMs"');
    }
    intervals.push(value as Interval);
  });
  return intervals;
}

/** Where the run's files are: the folder itself, or the folder of a summary.json passed directly. */
export async function resolveResultsDir(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return path;
    if (basename(path) === RESULT_FILES.summary) return dirname(path);
    throw invalid(path, 'is a file, not a results folder');
  } catch (err) {
    if (err instanceof PortlabError) throw err;
    throw invalid(path, errnoCode(err) === 'ENOENT' ? 'no such results folder' : `cannot be opened (${errnoCode(err) ?? String(err)})`, err);
  }
}

/** Reads a run back from its results folder (or its summary.json). */
export async function readRun(path: string): Promise<RunSummary> {
  const dir = await resolveResultsDir(path);
  const file = join(dir, RESULT_FILES.summary);
  let value: unknown;
  try {
    value = JSON.parse(await readText(file));
  } catch (err) {
    if (err instanceof PortlabError) throw err;
    throw invalid(file, `not valid JSON (${(err as Error).message})`, err);
  }
  const problem = checkSummaryShape(value);
  if (problem) throw invalid(file, problem);
  const summary = value as RunSummary;
  if (!Array.isArray(summary.intervals)) {
    const ndjson = join(dir, RESULT_FILES.intervals);
    summary.intervals = parseIntervalsNdjson(await readText(ndjson), ndjson);
  }
  return summary;
}

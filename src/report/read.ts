/**
 * Reads a results folder back into a RunSummary (for `portlab report`): summary.json, with the intervals
 * from intervals.ndjson when the summary lacks them. Every field is checked against the RunSummary schema;
 * anything unreadable is PortlabError('RESULTS_INVALID') naming the file (and line) and the field's path, so
 * a user knows where to look.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../config/issues.js';
import { errnoCode, PortlabError } from '../errors/index.js';
import { intervalSchema, runSummarySchema } from '../metrics/schemas.js';
import type { Interval, RunSummary } from '../metrics/types.js';
import { RESULT_FILES } from './write.js';

const HINT = 'pass the folder a run wrote, like results/<run-id> (`portlab run` prints it)';

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

/** JSON text parsed; `file` (with the line, for ndjson) names it in the error. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(file, `not valid JSON (${(err as Error).message})`, err);
  }
}

/** summary.json as written: a RunSummary, whose intervals may be left to intervals.ndjson. */
const summaryFileSchema = runSummarySchema.extend({ intervals: z.array(intervalSchema).nullish() });

/** Parses intervals.ndjson text; `file` names it in errors (with the line). */
export function parseIntervalsNdjson(text: string, file: string): Interval[] {
  const intervals: Interval[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    const value = parseJson(line, where);
    const parsed = intervalSchema.safeParse(value);
    if (!parsed.success) throw invalid(where, describeIssues(parsed.error.issues, value));
    intervals.push(parsed.data);
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

/** Reads a run back from its results folder (or its summary.json), every field checked against RunSummary. */
export async function readRun(path: string): Promise<RunSummary> {
  const dir = await resolveResultsDir(path);
  const file = join(dir, RESULT_FILES.summary);
  const value = parseJson(await readText(file), file);
  const parsed = summaryFileSchema.safeParse(value);
  if (!parsed.success) throw invalid(file, describeIssues(parsed.error.issues, value));
  const summary = parsed.data;
  if (summary.intervals) return { ...summary, intervals: summary.intervals };
  const ndjson = join(dir, RESULT_FILES.intervals);
  return { ...summary, intervals: parseIntervalsNdjson(await readText(ndjson), ndjson) };
}

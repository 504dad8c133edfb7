/**
 * A compare directory: compare.json (the contract), compare.html, compare.md and junit.xml beside one run
 * directory per cell. Written as each cell finishes too, so an interrupted comparison keeps what it had;
 * each file goes to a temporary name first and is renamed, so a reader never sees half a file.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, PortlabError } from '../../errors/index.js';
import type { CompareResult } from '../../metrics/compare.js';
import { describeIssues } from '../../config/issues.js';
import { compareResultSchema } from '../../metrics/compare-schema.js';
import { renderCompareHtml } from './html.js';
import { renderCompareJunit } from './junit.js';
import { renderCompareMarkdown } from './markdown.js';

export const COMPARE_FILES = {
  json: 'compare.json',
  html: 'compare.html',
  markdown: 'compare.md',
  junit: 'junit.xml',
} as const;

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

export interface CompareWriteOptions {
  /** Append compare.md to $GITHUB_STEP_SUMMARY (read from `env`). */
  githubSummary: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** Writes every compare file into `dir`; returns where compare.md was appended, if anywhere. */
export async function writeCompare(dir: string, result: CompareResult, options: CompareWriteOptions = { githubSummary: false, env: {} }): Promise<string | null> {
  await mkdir(dir, { recursive: true });
  const markdown = renderCompareMarkdown(result);
  await Promise.all([
    writeAtomic(join(dir, COMPARE_FILES.json), `${JSON.stringify(result, null, 2)}\n`),
    writeAtomic(join(dir, COMPARE_FILES.html), renderCompareHtml(result)),
    writeAtomic(join(dir, COMPARE_FILES.markdown), markdown),
    writeAtomic(join(dir, COMPARE_FILES.junit), renderCompareJunit(result)),
  ]);
  const stepSummary = options.env.GITHUB_STEP_SUMMARY;
  if (!options.githubSummary || !stepSummary) return null;
  await appendFile(stepSummary, `${markdown}\n`);
  return stepSummary;
}

const invalid = (file: string, message: string): PortlabError =>
  new PortlabError('RESULTS_INVALID', `${file}: ${message}`, { hint: 'pass the folder `portlab compare` wrote, like results/<stamp>-compare-<name>' });

/** True when `dir` holds a compare.json (so `portlab report` re-renders a comparison there). */
export async function isCompareDir(dir: string): Promise<boolean> {
  try {
    await readFile(join(dir, COMPARE_FILES.json));
    return true;
  } catch {
    return false;
  }
}

/** Reads compare.json back, checking what the renderers rely on. */
export async function readCompare(dir: string): Promise<CompareResult> {
  const file = join(dir, COMPARE_FILES.json);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw invalid(file, errnoCode(err) === 'ENOENT' ? 'not found' : `unreadable (${(err as Error).message})`);
  }
  const parsed = compareResultSchema.safeParse(value);
  if (!parsed.success) throw invalid(file, describeIssues(parsed.error.issues, value));
  return parsed.data;
}

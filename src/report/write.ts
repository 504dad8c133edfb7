/**
 * Writes a run's results folder: summary.json (the contract), intervals.ndjson, report.html, report.md and
 * junit.xml; and appends report.md to the GitHub Actions job summary when asked or when it exists.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Interval, RunSummary } from '../metrics/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** File names inside a results folder; `portlab report` and CI scripts rely on them. */
export const RESULT_FILES = {
  summary: 'summary.json',
  intervals: 'intervals.ndjson',
  html: 'report.html',
  markdown: 'report.md',
  junit: 'junit.xml',
} as const;

export interface WriteOptions {
  /** `--github-summary`: append report.md to $GITHUB_STEP_SUMMARY (it is appended anyway when that is set). */
  githubSummary?: boolean;
  /** The environment to read GITHUB_STEP_SUMMARY from (pass process.env; tests pass their own). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface WrittenRun {
  dir: string;
  /** Absolute or dir-relative paths of the files written, by kind. */
  files: { [K in keyof typeof RESULT_FILES]: string };
  /** Where report.md was appended, or null. */
  githubSummaryPath: string | null;
  /** Things the user should know but that did not stop the write (e.g. --github-summary outside Actions). */
  warnings: string[];
}

/** summary.json as written: pretty, with a final newline so it diffs and cats cleanly. */
export function summaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** intervals.ndjson: one Interval per line, for tools that stream a long run. */
export function intervalsNdjson(intervals: readonly Interval[]): string {
  return intervals.map((iv) => `${JSON.stringify(iv)}\n`).join('');
}

/**
 * Writes every format into `dir` (created if needed; a run reserves it first, see run-dir.ts). Each file is
 * written whole or not at all (temp file, then rename), summary.json last, so that a summary.json that
 * exists always comes with the other files.
 */
export async function writeRun(dir: string, summary: RunSummary, options: WriteOptions): Promise<WrittenRun> {
  await mkdir(dir, { recursive: true });
  const files = {
    summary: join(dir, RESULT_FILES.summary),
    intervals: join(dir, RESULT_FILES.intervals),
    html: join(dir, RESULT_FILES.html),
    markdown: join(dir, RESULT_FILES.markdown),
    junit: join(dir, RESULT_FILES.junit),
  };
  const markdown = renderMarkdown(summary);
  await Promise.all([
    writeFileAtomic(files.intervals, intervalsNdjson(summary.intervals)),
    writeFileAtomic(files.html, renderHtml(summary)),
    writeFileAtomic(files.markdown, markdown),
    writeFileAtomic(files.junit, renderJunit(summary)),
  ]);
  await writeFileAtomic(files.summary, summaryJson(summary));

  const warnings: string[] = [];
  const stepSummary = options.env.GITHUB_STEP_SUMMARY;
  let githubSummaryPath: string | null = null;
  if (stepSummary) {
    // Several runs in one job each add their section; a blank line keeps their tables apart.
    await appendFile(stepSummary, `${markdown}\n`);
    githubSummaryPath = stepSummary;
  } else if (options.githubSummary) {
    warnings.push('--github-summary: $GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions?), so nothing was appended');
  }
  return { dir, files, githubSummaryPath, warnings };
}

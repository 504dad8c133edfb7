/**
 * `portlab report RESULTS_DIR...`: re-renders report.html, report.md and junit.xml (and rewrites
 * summary.json / intervals.ndjson) from a run's saved results, then prints the terminal summary. With two or
 * more folders it also prints them side by side. Exit 0 once everything is written: this command renders,
 * it does not judge (`portlab run` sets the exit code from the expectations).
 */
import { EXIT } from '../errors/index.js';
import { isCompareDir, readCompare, writeCompare } from '../report/compare/files.js';
import { renderCompareTerminal } from '../report/compare/terminal.js';
import { readRun, resolveResultsDir } from '../report/read.js';
import { renderComparison, renderTerminalSummary } from '../report/terminal.js';
import type { RunSummary } from '../metrics/types.js';
import { writeRun } from '../report/write.js';
import { colorEnabled, type Env } from '../report/ansi.js';
import { defineCommand } from './command.js';
import { exitCodesEpilogue } from './exit.js';

export interface ReportArgs {
  dirs: string[];
  githubSummary?: boolean | undefined;
}

export interface ReportDeps {
  /** stdout. */
  write: (text: string) => void;
  /** stderr, for warnings. */
  warn: (text: string) => void;
  env: Env;
  /** Colour the terminal summary (the handler decides with colorEnabled on stdout). */
  color: boolean;
}

/** Runs the command; throws PortlabError('RESULTS_INVALID') for a folder that is not a run's results. */
export async function runReport(args: ReportArgs, deps: ReportDeps): Promise<number> {
  // Re-rendering is not a new result: append to the job summary only when asked, or a run followed by a
  // report in one job would append the same section twice.
  const env = args.githubSummary ? deps.env : {};
  const compares = [];
  const runDirs = [];
  for (const path of args.dirs) {
    if (await isCompareDir(path)) compares.push({ dir: path, result: await readCompare(path) });
    else runDirs.push(path);
  }
  for (const { dir, result } of compares) {
    await writeCompare(dir, result, { githubSummary: args.githubSummary === true, env });
    deps.write(renderCompareTerminal(result, { color: deps.color }));
    deps.write(`  ${'Report'.padEnd(11)}${dir}/compare.html\n\n`);
  }
  const runs: { dir: string; summary: RunSummary }[] = [];
  // Read every folder before writing any, so one bad folder leaves the others untouched.
  for (const path of runDirs) runs.push({ dir: await resolveResultsDir(path), summary: await readRun(path) });
  for (const { dir, summary } of runs) {
    const written = await writeRun(dir, summary, { githubSummary: args.githubSummary, env });
    for (const warning of written.warnings) deps.warn(`portlab: warning: ${warning}\n`);
    deps.write(renderTerminalSummary(summary, { color: deps.color }));
    deps.write(`  ${'Report'.padEnd(11)}${written.files.html}\n\n`);
  }
  if (runs.length > 1) deps.write(renderComparison(runs.map((r) => r.summary), { color: deps.color }));
  return EXIT.OK;
}

export const reportCommand = defineCommand({
  command: 'report <dirs..>',
  describe: 're-render report.html, report.md and junit.xml from saved results, and print the summary',
  builder: (yargs) =>
    yargs
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'results folders (results/<run-id>, results/<stamp>-compare-<name>) or their summary.json' })
      .option('github-summary', { type: 'boolean', describe: 'append report.md (compare.md) to $GITHUB_STEP_SUMMARY' })
      .example('$0 report results/20250301-120000-no-pooling', 're-render one run')
      .example('$0 report results/a results/b', 'two runs, then a side-by-side comparison')
      .example('$0 report results/20250301-120000-compare-tw-reuse', 're-render a comparison (compare.html, compare.md, junit.xml)')
      .epilogue(exitCodesEpilogue(['OK', 'BAD_INPUT'])),
  handler: (args, io) =>
    runReport(args, {
      write: (text) => io.stdout.write(text),
      warn: (text) => io.stderr.write(text),
      env: io.env,
      color: colorEnabled(io.stdout, io.env),
    }),
});

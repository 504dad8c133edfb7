/**
 * `portlab compare FILE... [--set FLAG=V1,V2] [--find-breaking-rate] [--baseline DIR]`: runs every cell of
 * a comparison in its own lab, in parallel where the cores allow, and shows one table with verdicts a CI
 * job gates on. Writes results/<stamp>-compare-<name>/ (compare.json, .html, .md, junit.xml, cells/).
 */
import { flagsToOverrides } from '../config/flags.js';
import { formatProblem } from '../config/problems.js';
import { planCompare, parseSetOption } from '../compare/plan.js';
import { defaultParallel } from '../compare/parallel.js';
import { runCompare } from '../compare/run-compare.js';
import { EXIT, PortlabError } from '../errors/index.js';
import type { CompareCell } from '../metrics/compare.js';
import { readCompare, isCompareDir, writeCompare } from '../report/compare/files.js';
import { verdictText } from '../report/compare/figures.js';
import { renderCompareTerminal } from '../report/compare/terminal.js';
import { readRun } from '../report/read.js';
import { makeRunId } from '../run/orchestrate.js';
import { reserveRunDir } from '../report/run-dir.js';
import { parseRatePerSec, formatRate } from '../util/units.js';
import { colorEnabled } from '../report/ansi.js';
import { defineCommand } from './command.js';
import { exitCodeOf, exitCodesEpilogue } from './exit.js';
import { withScenarioOptions } from './scenario-options.js';

/** The search stops when the bracket is this tight (the "within 5%"). */
const SEARCH_TOLERANCE = 0.05;

function parsePercent(text: string): number {
  const value = Number(String(text).replace(/%\s*$/, ''));
  if (!Number.isFinite(value) || value < 0) throw new PortlabError('USAGE', `--tolerance expects a percentage like 10 or 10%, got "${text}"`);
  return value;
}

/** The baseline's cells: a compare directory's, or one run directory as a cell named after its scenario. */
async function baselineCells(dir: string): Promise<CompareCell[]> {
  if (await isCompareDir(dir)) return (await readCompare(dir)).cells;
  const summary = await readRun(dir);
  return [{ name: summary.scenario.name, overrides: {}, variant: null, dir, summary, pass: summary.pass }];
}

/** A fresh directory, never one an earlier (or concurrent) comparison wrote; checked writable before any lab. */
export async function makeCompareDir(out: string, name: string): Promise<string> {
  return (await reserveRunDir(out, makeRunId(`compare-${name}`))).dir;
}

export const compareCommand = defineCommand({
  command: 'compare <files..>',
  describe: 'run scenario variants side by side (a matrix, variants or several files) and gate on them',
  builder: (yargs) =>
    withScenarioOptions(
      yargs
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'compare files (matrix:/variants:) or scenario files' })
        .option('set', { type: 'string', array: true, describe: 'cross a flag over values, like tw-reuse=0,1 (repeatable)', group: 'Compare:' })
        .option('parallel', { type: 'number', describe: 'cells at once (default: from the cells\' load and the cores; 1 = one after another)', group: 'Compare:' })
        .option('find-breaking-rate', { type: 'boolean', describe: 'per cell, search the highest constant rate that holds for the duration', group: 'Compare:' })
        .option('max-rate', { type: 'string', default: '5000/s', describe: 'highest rate the search tries', group: 'Compare:' })
        .option('baseline', { type: 'string', describe: 'a saved compare or run folder to compare against', group: 'Compare:' })
        .option('tolerance', { type: 'string', default: '10%', describe: 'how much worse than the baseline a cell may be', group: 'Compare:' })
        .option('dry-run', { type: 'boolean', describe: 'list the cells and exit', group: 'Compare:' }),
    )
      .option('out', { type: 'string', default: 'results', requiresArg: true, describe: 'folder for results/<stamp>-compare-<name>/', group: 'Output:' })
      .option('json', { type: 'boolean', describe: 'print compare.json instead of the table', group: 'Output:' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress lines', group: 'Output:' })
      .option('github-summary', { type: 'boolean', describe: 'append compare.md to $GITHUB_STEP_SUMMARY', group: 'Output:' })
      .example('$0 compare scenarios/compare/tw-reuse.yaml', 'tcp_tw_reuse 0 vs 1 on the same load, one table')
      .example('$0 compare scenarios/no-pooling.yaml --set tw-reuse=0,1 --set rate=100,400', 'a 2x2 matrix from the command line')
      .example('$0 compare scenarios/compare/pool.yaml --find-breaking-rate', 'the highest rate each pool size holds')
      .example('$0 compare scenarios/compare/tw-reuse.yaml --baseline results/main-compare', 'fail when a cell got worse than on main')
      .epilogue(
        'A failed expectation or baseline check is listed last; Ctrl-C keeps the finished cells and writes the compare ' +
          `files for them.\n\n${exitCodesEpilogue()}`,
      ),
  handler: async (args, io) => {
    const set = parseSetOption(args.set ?? []);
    const plan = planCompare({ files: args.files, set, overrides: flagsToOverrides(args) });
    for (const warning of plan.warnings) io.stderr.write(`${formatProblem(warning)}\n`);
    const parallel = args.parallel ?? defaultParallel(plan.cells.map((c) => c.scenario));
    if (!Number.isInteger(parallel) || parallel < 1) throw new PortlabError('USAGE', `--parallel expects a whole number of cells, 1 or more; got ${parallel}`);
    const maxRate = parseRatePerSec(args.maxRate);
    if (!maxRate.ok || maxRate.value <= 0) throw new PortlabError('USAGE', `--max-rate: ${maxRate.ok ? 'must be above 0' : maxRate.message}`);
    const tolerancePct = parsePercent(args.tolerance);
    const log = (text: string): void => {
      if (!args.quiet && !args.json) io.stderr.write(`${text}\n`);
    };
    if (args.dryRun) {
      io.stdout.write(`${plan.name}: ${plan.cells.length} cells, ${parallel} at a time\n`);
      for (const cell of plan.cells) io.stdout.write(`  ${cell.name}\n`);
      return EXIT.OK;
    }
    const baseline = args.baseline ? { dir: args.baseline, cells: await baselineCells(args.baseline), tolerancePct } : undefined;
    const dir = await makeCompareDir(args.out, plan.name);
    log(`portlab: comparing ${plan.cells.length} ${plan.cells.length === 1 ? 'cell' : 'cells'} of ${plan.name}, ${parallel} at a time -> ${dir}/`);

    const stop = new AbortController();
    const onSignal = (): void => {
      if (stop.signal.aborted) return;
      io.stderr.write('\nportlab: stopping the running cells, keeping what finished\n');
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let done = 0;
    try {
      const result = await runCompare(plan, {
        dir,
        parallel,
        signal: stop.signal,
        breakingRate: args.findBreakingRate ? { maxRatePerSec: maxRate.value, tolerance: SEARCH_TOLERANCE } : undefined,
        baseline,
        onCellStart: (cell, i) => log(`[${i + 1}/${plan.cells.length}] ${cell.name}: started`),
        onProbe: (cell, probe) => log(`    ${cell.name}: ${formatRate(probe.ratePerSec)} ${probe.exhausted ? 'exhausted' : 'held'}`),
        onCellDone: (cell, i) => {
          done++;
          const onset = cell.summary?.onset ? `${cell.summary.onset.code} at ${(cell.summary.onset.atMs / 1000).toFixed(1)} s` : 'no exhaustion';
          log(`[${i + 1}/${plan.cells.length}] ${cell.name}: ${cell.error ?? onset}, ${verdictText(cell)} (${done} of ${plan.cells.length} done)`);
        },
        onLog: (message) => log(`portlab: warning: ${message}`),
      });
      const summaryPath = await writeCompare(dir, result, { githubSummary: args.githubSummary === true || io.env.GITHUB_STEP_SUMMARY !== undefined, env: io.env });
      if (args.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else io.stdout.write(`${renderCompareTerminal(result, { color: colorEnabled(io.stdout, io.env), width: io.stdout.columns })}\nresults: ${dir}/\n`);
      if (summaryPath) log(`portlab: compare.md appended to ${summaryPath}`);
      return exitCodeOf(result);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
});

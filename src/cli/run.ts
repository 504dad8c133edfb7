/**
 * `portlab run [SCENARIO] [flags]`: reproduce a connection pattern in an isolated lab and explain what
 * happened to the ports. Flags override the file; flags alone make an ad-hoc scenario. The scenario is
 * checked whole before any lab is made, its sysctls against the kernel too; `--dry-run` stops there.
 */
import { flagsToOverrides, type FlagOverrides } from '../config/flags.js';
import { checkScenarioFile, checkScenarioFromFlags, FILE_HINT, FLAGS_HINT, FLAGS_SOURCE, throwIfInvalid, type LoadResult } from '../config/loader.js';
import { formatProblem } from '../config/problems.js';
import { withFileLimitCheck } from '../config/file-limit.js';
import { withSysctlCheck, type SysctlProber } from '../config/sysctl-check.js';
import { EXIT } from '../errors/index.js';
import { createSysctlProber } from '../lab/sysctl-probe.js';
import { colorEnabled } from '../report/ansi.js';
import { renderTerminalSummary } from '../report/terminal.js';
import { executeScenario, type Executed } from '../run/execute.js';
import { readFileLimit } from '../util/file-limit.js';
import { defineCommand, type CliIo } from './command.js';
import { dryRunPlan, renderDryRun } from './dry-run.js';
import { exitCodeOf, exitCodesEpilogue } from './exit.js';
import { runOutputOptions, withScenarioOptions } from './scenario-options.js';

/** What a finished run prints on stdout: summary.json with --json, else the terminal summary and the folder. */
export function printRunOutcome({ summary, dir }: Executed, options: { json?: boolean }, io: CliIo): void {
  if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else io.stdout.write(`${renderTerminalSummary(summary, { color: colorEnabled(io.stdout, io.env) })}\nresults: ${dir}/\n`);
}

/**
 * The scenario of a run (file and flags, or flags alone), every problem located, its sysctls tried in a
 * throwaway namespace, the files it may hold open held against this process's open-file limit (which the
 * driver inherits); throws SCENARIO_INVALID (exit 2) before any lab is made.
 */
export async function checkedScenario(file: string | undefined, overrides: FlagOverrides, prober: SysctlProber, fileLimit = readFileLimit()): Promise<LoadResult> {
  const checked = file ? checkScenarioFile(file, overrides) : checkScenarioFromFlags(overrides);
  const limited = withFileLimitCheck(checked, fileLimit);
  return throwIfInvalid(await withSysctlCheck(limited, prober), file ?? FLAGS_SOURCE, file ? FILE_HINT : FLAGS_HINT);
}

export const runCommand = defineCommand({
  command: 'run [scenario]',
  describe: 'run a scenario in an isolated lab and explain the ports',
  builder: (yargs) =>
    withScenarioOptions(yargs.positional('scenario', { type: 'string', describe: 'scenario file (YAML or JSON); optional with flags' }))
      .options(runOutputOptions)
      .option('dry-run', { type: 'boolean', describe: 'check the scenario and print the plan (lab, sysctls, rate plan, planned starts, model), make no lab', group: 'Output:' })
      .example('$0 run scenarios/no-pooling.yaml', 'exhaust a 200-port range and date the first EADDRNOTAVAIL')
      .example('$0 run scenarios/no-pooling.yaml --dry-run', 'what the run would do and what the model expects, without running it')
      .example('$0 run scenarios/no-pooling.yaml --close server', 'same load, server closes first: no exhaustion')
      .example('$0 run --rate 100 --port-range 40000-40199 --tw-reuse 0 --duration 5s', 'an ad-hoc scenario from flags')
      .example('$0 run scenarios/keep-alive-pool.yaml --json > summary.json', 'machine-readable summary for CI')
      .epilogue(exitCodesEpilogue()),
  handler: async (args, io) => {
    const { scenario, warnings } = await checkedScenario(args.scenario, flagsToOverrides(args), io.probeSysctls ?? createSysctlProber());
    for (const warning of warnings) io.stderr.write(`${formatProblem(warning)}\n`);
    if (args.dryRun) {
      const plan = dryRunPlan(scenario, warnings);
      io.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderDryRun(plan));
      return EXIT.OK;
    }
    const executed = await executeScenario(scenario, {
      outDir: args.out,
      progress: !args.json && !args.quiet && args.progress,
      githubSummary: args.githubSummary === true,
      stderr: io.stderr,
      color: colorEnabled(io.stderr, io.env),
    });
    printRunOutcome(executed, args, io);
    return exitCodeOf(executed.summary);
  },
});

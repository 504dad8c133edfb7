/**
 * `portlab run [SCENARIO] [flags]`: reproduce a connection pattern in an isolated lab and explain what
 * happened to the ports. Flags override the file; flags alone make an ad-hoc scenario.
 */
import { flagsToOverrides } from '../config/flags.js';
import { loadScenarioFile, scenarioFromFlags } from '../config/loader.js';
import { formatProblem } from '../config/problems.js';
import { colorEnabled } from '../report/ansi.js';
import { renderTerminalSummary } from '../report/terminal.js';
import { executeScenario, type Executed } from '../run/execute.js';
import { defineCommand, type CliIo } from './command.js';
import { exitCodeOf, exitCodesEpilogue } from './exit.js';
import { runOutputOptions, withScenarioOptions } from './scenario-options.js';

/** What a finished run prints on stdout: summary.json with --json, else the terminal summary and the folder. */
export function printRunOutcome({ summary, dir }: Executed, options: { json?: boolean }, io: CliIo): void {
  if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else io.stdout.write(`${renderTerminalSummary(summary, { color: colorEnabled(io.stdout, io.env) })}\nresults: ${dir}/\n`);
}

export const runCommand = defineCommand({
  command: 'run [scenario]',
  describe: 'run a scenario in an isolated lab and explain the ports',
  builder: (yargs) =>
    withScenarioOptions(yargs.positional('scenario', { type: 'string', describe: 'scenario file (YAML or JSON); optional with flags' }))
      .options(runOutputOptions)
      .example('$0 run scenarios/no-pooling.yaml', 'exhaust a 200-port range and date the first EADDRNOTAVAIL')
      .example('$0 run scenarios/no-pooling.yaml --close server', 'same load, server closes first: no exhaustion')
      .example('$0 run --rate 100 --port-range 40000-40199 --tw-reuse 0 --duration 5s', 'an ad-hoc scenario from flags')
      .example('$0 run scenarios/keep-alive-pool.yaml --json > summary.json', 'machine-readable summary for CI')
      .epilogue(exitCodesEpilogue()),
  handler: async (args, io) => {
    const overrides = flagsToOverrides(args);
    const { scenario, warnings } = args.scenario ? loadScenarioFile(args.scenario, overrides) : scenarioFromFlags(overrides);
    for (const warning of warnings) io.stderr.write(`${formatProblem(warning)}\n`);
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

/**
 * `portlab run [SCENARIO] [flags]`: reproduce a connection pattern in an isolated lab and explain what
 * happened to the ports. Flags override the file; flags alone make an ad-hoc scenario.
 */
import type { Argv } from 'yargs';
import { flagsToOverrides } from '../config/flags.js';
import { loadScenarioFile, scenarioFromFlags } from '../config/loader.js';
import { formatProblem } from '../config/problems.js';
import { renderTerminalSummary } from '../report/terminal.js';
import type { PortlabCommandModule } from './command.js';
import { runOutputOptions, scenarioOptions } from './scenario-options.js';
import { executeScenario, exitCodeOf } from '../run/execute.js';

export interface RunArgs {
  scenario?: string;
  out: string;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  githubSummary?: boolean;
  [flag: string]: unknown;
}

export const runCommand: PortlabCommandModule<RunArgs> = {
  command: 'run [scenario]',
  describe: 'run a scenario in an isolated lab and explain the ports',
  builder: (yargs: Argv) =>
    yargs
      .positional('scenario', { type: 'string', describe: 'scenario file (YAML or JSON); optional with flags' })
      .options(scenarioOptions)
      .options(runOutputOptions)
      .example('$0 run scenarios/no-pooling.yaml', 'exhaust a 200-port range and date the first EADDRNOTAVAIL')
      .example('$0 run scenarios/no-pooling.yaml --close server', 'same load, server closes first: no exhaustion')
      .example('$0 run --rate 100 --port-range 40000-40199 --tw-reuse 0 --duration 5s', 'an ad-hoc scenario from flags')
      .example('$0 run scenarios/keep-alive-pool.yaml --json > summary.json', 'machine-readable summary for CI')
      .epilogue('Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad input, 3 lab unavailable, 4 internal error, 130 interrupted (partial results written).') as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const overrides = flagsToOverrides(args);
    const { scenario, warnings } = args.scenario ? loadScenarioFile(args.scenario, overrides) : scenarioFromFlags(overrides);
    for (const warning of warnings) process.stderr.write(`${formatProblem(warning)}\n`);
    const { summary, dir } = await executeScenario(scenario, {
      outDir: args.out,
      progress: !args.json && !args.quiet && args.progress !== false,
      githubSummary: args.githubSummary === true,
      stderr: process.stderr,
    });
    if (args.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else process.stdout.write(`${renderTerminalSummary(summary, { color: process.stdout.isTTY === true })}\nresults: ${dir}/\n`);
    return exitCodeOf(summary);
  },
};

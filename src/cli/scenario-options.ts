/**
 * The yargs side of `portlab run`'s flags: one option per scenario flag of the config/flags.ts table, and
 * run's own output options (where results go and what is printed), which are not part of the scenario.
 */
import type { Argv, Options } from 'yargs';
import { isSwitchFlag, SCENARIO_FLAG_GROUPS } from '../config/flags.js';

/**
 * yargs option definitions for every scenario flag: `yargs.options(scenarioOptions)`. No defaults on
 * purpose: a default would override the scenario file; the schema applies defaults after merging.
 */
export const scenarioOptions: Record<string, Options> = Object.fromEntries(
  SCENARIO_FLAG_GROUPS.flatMap(({ group, flags }) =>
    flags.map((spec): [string, Options] => [
      spec.flag,
      isSwitchFlag(spec)
        ? { type: 'boolean', describe: spec.describe, group }
        : { type: 'string', requiresArg: true, describe: spec.describe, group },
    ]),
  ),
);

/**
 * Adds every scenario flag to `yargs`. Their values reach the scenario through flagsToOverrides (which reads
 * argv by flag name), so the argv type stays the caller's: yargs' inferred type for a Record of options would
 * be an index signature that swallows the named options beside it.
 */
export function withScenarioOptions<T>(yargs: Argv<T>): Argv<T> {
  yargs.options(scenarioOptions);
  return yargs;
}

const OUTPUT = 'Output:';

/** Output options of `portlab run`, kept apart from the scenario flags so the run command owns their meaning. */
export const runOutputOptions = {
  out: { type: 'string', default: 'results', requiresArg: true, describe: 'folder for results/<run>/', group: OUTPUT },
  json: { type: 'boolean', describe: 'print summary.json to stdout instead of the terminal summary', group: OUTPUT },
  quiet: { type: 'boolean', alias: 'q', describe: 'no live progress, only the summary', group: OUTPUT },
  progress: { type: 'boolean', default: true, describe: 'live progress on stderr (--no-progress hides it)', group: OUTPUT },
  'github-summary': { type: 'boolean', describe: 'append the Markdown report to $GITHUB_STEP_SUMMARY', group: OUTPUT },
} as const satisfies Record<string, Options>;

/**
 * `portlab demo` (what `npm start` runs): the incident and its fix, side by side. The no-pooling
 * scenario exhausts a 200-port range; the keep-alive pool carries the same request rate on 10 ports.
 */
import { fileURLToPath } from 'node:url';
import { overridesForFlag } from '../config/flags.js';
import { loadScenarioFile } from '../config/loader.js';
import { LAB_KINDS } from '../config/schema.js';
import { EXIT } from '../errors/index.js';
import { colorEnabled } from '../report/ansi.js';
import { renderComparison } from '../report/terminal.js';
import { executeScenario, type Executed } from '../run/execute.js';
import { defineCommand, type CliIo } from './command.js';
import { exitCodeOf, exitCodesEpilogue } from './exit.js';

/** The bundled scenarios, found next to the package whether run from a clone or an install. */
export const DEMO_SCENARIOS = ['no-pooling', 'keep-alive-pool'].map((name) =>
  fileURLToPath(new URL(`../../../scenarios/${name}.yaml`, import.meta.url)),
);

/** What the demo prints on stdout once its runs are done: the comparison, each diagnosis, the reports. */
export function printDemoOutcome(runs: readonly Executed[], io: CliIo): void {
  const summaries = runs.map((r) => r.summary);
  io.stdout.write(`\n${renderComparison(summaries, { color: colorEnabled(io.stdout, io.env) })}\n`);
  for (const summary of summaries) io.stdout.write(`${summary.scenario.name}: ${summary.diagnosis}\n\n`);
  io.stdout.write(`reports: ${runs.map((r) => `${r.dir}/report.html`).join('  ')}\n`);
}

export const demoCommand = defineCommand({
  command: 'demo',
  describe: 'reproduce exhaustion without pooling, then hold the same load with a keep-alive pool',
  builder: (yargs) =>
    yargs
      .option('lab', { type: 'string', choices: LAB_KINDS, describe: 'lab kind for both runs (default: the scenarios\' auto)' })
      .option('out', { type: 'string', default: 'results', describe: 'folder for results/<run>/' })
      .example('$0 demo', 'two 5-second runs in a private network namespace, compared side by side')
      .example('$0 demo --lab docker', 'the same in containers')
      .epilogue(exitCodesEpilogue()),
  handler: async (args, io) => {
    const runs: Executed[] = [];
    for (const file of DEMO_SCENARIOS) {
      const { scenario } = loadScenarioFile(file, args.lab ? overridesForFlag('lab', args.lab) : []);
      io.stderr.write(`\n== ${scenario.name}: ${scenario.description}\n`);
      const executed = await executeScenario(scenario, {
        outDir: args.out,
        progress: true,
        githubSummary: false,
        stderr: io.stderr,
        color: colorEnabled(io.stderr, io.env),
      });
      runs.push(executed);
      if (executed.summary.interrupted) break;
    }
    printDemoOutcome(runs, io);
    return runs.map((r) => exitCodeOf(r.summary)).find((code) => code !== EXIT.OK) ?? EXIT.OK;
  },
});

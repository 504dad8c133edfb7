/**
 * `portlab demo` (what `npm start` runs): the incident and its fix, side by side. The no-pooling
 * scenario exhausts a 200-port range; the keep-alive pool carries the same request rate on 10 ports.
 */
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { loadScenarioFile } from '../config/loader.js';
import type { LabKind } from '../config/types.js';
import { LAB_KINDS } from '../config/schema.js';
import { renderComparison } from '../report/terminal.js';
import type { PortlabCommandModule } from './command.js';
import { executeScenario, exitCodeOf } from '../run/execute.js';

/** The bundled scenarios, found next to the package whether run from a clone or an install. */
export const DEMO_SCENARIOS = ['no-pooling', 'keep-alive-pool'].map((name) =>
  fileURLToPath(new URL(`../../../scenarios/${name}.yaml`, import.meta.url)),
);

export interface DemoArgs {
  lab?: string;
  out: string;
}

export const demoCommand: PortlabCommandModule<DemoArgs> = {
  command: 'demo',
  describe: 'reproduce exhaustion without pooling, then hold the same load with a keep-alive pool',
  builder: (yargs: Argv) =>
    yargs
      .option('lab', { type: 'string', choices: LAB_KINDS, describe: 'lab kind for both runs (default: the scenarios\' auto)' })
      .option('out', { type: 'string', default: 'results', describe: 'folder for results/<run>/' })
      .example('$0 demo', 'two 5-second runs in a private network namespace, compared side by side')
      .example('$0 demo --lab docker', 'the same in containers') as unknown as Argv<DemoArgs>,
  handler: async (args) => {
    const summaries = [];
    const dirs: string[] = [];
    for (const file of DEMO_SCENARIOS) {
      const overrides = args.lab ? [{ path: ['lab', 'kind'], value: args.lab as LabKind, flag: '--lab' }] : [];
      const { scenario } = loadScenarioFile(file, overrides);
      process.stderr.write(`\n== ${scenario.name}: ${scenario.description}\n`);
      const { summary, dir } = await executeScenario(scenario, { outDir: args.out, progress: true, githubSummary: false, stderr: process.stderr });
      summaries.push(summary);
      dirs.push(dir);
      if (summary.interrupted) break;
    }
    const color = process.stdout.isTTY === true;
    process.stdout.write(`\n${renderComparison(summaries, { color })}\n`);
    for (const summary of summaries) process.stdout.write(`${summary.scenario.name}: ${summary.diagnosis}\n\n`);
    process.stdout.write(`reports: ${dirs.map((d) => `${d}/report.html`).join('  ')}\n`);
    const codes = summaries.map(exitCodeOf);
    return codes.find((code) => code !== 0) ?? 0;
  },
};

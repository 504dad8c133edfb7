/**
 * `portlab claims [ID...]`: runs the claims catalog (scenarios/claims/), every claim's cells in parallel
 * labs, and prints each claim's verdict with what was measured; writes claims.json and claims.md beside
 * the cells' run folders, and docs/claims.md when the whole catalog ran. Exit 1 when a claim reached
 * another verdict than its file expects.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { CLAIMS_DIR, loadCatalog } from '../claims/catalog.js';
import { formatFigure } from '../claims/expression.js';
import { renderClaimsMarkdown } from '../claims/markdown.js';
import { rejudge, runClaims, savedCells } from '../claims/run-claims.js';
import { renderClaimsTerminal } from '../claims/terminal.js';
import type { CatalogResult } from '../claims/types.js';
import { verdictLabel } from '../claims/verdict.js';
import { defaultParallel } from '../compare/parallel.js';
import { EXIT, PortlabError } from '../errors/index.js';
import { writeCompare } from '../report/compare/files.js';
import type { PortlabCommandModule } from './command.js';
import { makeCompareDir } from './compare.js';

export interface ClaimsArgs {
  ids?: string[];
  dir: string;
  parallel?: number;
  out: string;
  /** yargs gives false for --no-docs. */
  docs?: string;
  json?: boolean;
  quiet?: boolean;
  list?: boolean;
  from?: string;
}

/** Labs at once by default: the cells are light, but onset times stay honest only while cores are free. */
const MAX_DEFAULT_PARALLEL = 4;
const DEFAULT_DOCS = 'docs/claims.md';

function parseIds(values: readonly string[]): number[] {
  return values.map((value) => {
    const id = Number(value);
    if (!Number.isInteger(id) || id < 1) throw new PortlabError('USAGE', `claim ids are whole numbers like 4; got "${value}"`);
    return id;
  });
}

export const claimsCommand: PortlabCommandModule<ClaimsArgs> = {
  command: 'claims [ids..]',
  describe: 'settle common advice about port exhaustion: run the claims catalog and write docs/claims.md',
  builder: (yargs: Argv) =>
    yargs
      .positional('ids', { type: 'string', array: true, describe: 'claim ids to run (default: every claim)' })
      .option('dir', { type: 'string', default: CLAIMS_DIR, defaultDescription: 'scenarios/claims', describe: 'folder of claim files' })
      .option('parallel', { type: 'number', describe: `labs at once (default: up to ${MAX_DEFAULT_PARALLEL}, from the cores)` })
      .option('list', { type: 'boolean', describe: 'list the claims and their expected verdicts, run nothing' })
      .option('from', { type: 'string', requiresArg: true, describe: 'judge again the figures a saved run measured (its folder), with the claim files as they are now; runs no lab' })
      .option('out', { type: 'string', default: 'results', requiresArg: true, describe: 'folder for results/<stamp>-compare-claims/', group: 'Output:' })
      .option('docs', { type: 'string', describe: `write the catalog here (default ${DEFAULT_DOCS} when every claim ran; --no-docs: nowhere)`, group: 'Output:' })
      .option('json', { type: 'boolean', describe: 'print claims.json instead of the text', group: 'Output:' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress lines', group: 'Output:' })
      .example('$0 claims', 'run every claim, print the verdicts, rewrite docs/claims.md')
      .example('$0 claims 4 6', 'only the tcp_fin_timeout and tcp_tw_recycle claims')
      .example('$0 claims --list', 'the claims and their expected verdicts')
      .example('$0 claims --from results/<stamp>-compare-claims', 'after editing checks or texts: new verdicts and docs from the saved figures')
      .epilogue('Exit codes: 0 every claim reached its expected verdict, 1 one did not, 2 bad claim files, 3 lab unavailable, 130 interrupted.'),
  handler: async (args) => {
    const ids = parseIds(args.ids ?? []);
    const claims = loadCatalog(args.dir, ids);
    if (args.list) {
      for (const c of claims) process.stdout.write(`${String(c.id).padStart(2)}  ${(c.pending ? 'pending' : verdictLabel(c.expected!)).padEnd(24)} ${c.title}\n`);
      return EXIT.OK;
    }
    // --no-docs reaches here as false; without --docs the catalog is rewritten only when every claim ran.
    const docs = String(args.docs) === 'false' ? undefined : (args.docs ?? (ids.length === 0 ? DEFAULT_DOCS : undefined));
    if (args.from) {
      const file = join(args.from, 'claims.json');
      return finish(rejudge(claims, savedCells(await readJson(file), file)), args, docs, null);
    }
    const scenarios = claims.flatMap((c) => c.cells.map((cell) => cell.scenario));
    const parallel = args.parallel ?? Math.min(MAX_DEFAULT_PARALLEL, defaultParallel(scenarios));
    if (!Number.isInteger(parallel) || parallel < 1) throw new PortlabError('USAGE', `--parallel expects a whole number of labs, 1 or more; got ${parallel}`);
    const log = (text: string): void => {
      if (!args.quiet && !args.json) process.stderr.write(`${text}\n`);
    };
    const dir = await makeCompareDir(args.out, 'claims');
    const total = scenarios.length + claims.reduce((n, c) => n + c.probes.length, 0);
    log(`portlab: ${claims.length} claims, ${total} cells, ${parallel} labs at a time -> ${dir}/`);

    const stop = new AbortController();
    const onSignal = (): void => {
      if (stop.signal.aborted) return;
      process.stderr.write('\nportlab: stopping the running cells; unfinished claims stay inconclusive\n');
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let done = 0;
    try {
      const { catalog, compare } = await runClaims(claims, {
        dir,
        parallel,
        signal: stop.signal,
        onCellDone: (name, cell) => {
          done++;
          const what = cell.error ?? (cell.kind === 'probe' ? 'probed' : `onset ${formatFigure(cell.figures.onsetS ?? null)} s, ${formatFigure(cell.figures.connected ?? null)} connected`);
          log(`[${done}/${total}] ${name}: ${what}`);
        },
        onLog: (message) => log(`portlab: warning: ${message}`),
      });
      if (compare) await writeCompare(dir, compare);
      return await finish(catalog, args, docs, dir);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new PortlabError('RESULTS_INVALID', `cannot read ${file}: ${(err as Error).message}`, { hint: 'pass the folder `portlab claims` wrote, like results/<stamp>-compare-claims' });
  }
}

/** Writes claims.json and claims.md (into the run's folder), the catalog (unless interrupted), prints; the exit code. */
async function finish(catalog: CatalogResult, args: ClaimsArgs, docs: string | undefined, dir: string | null): Promise<number> {
  const markdown = renderClaimsMarkdown(catalog);
  if (dir) {
    await writeFile(join(dir, 'claims.json'), `${JSON.stringify(catalog, null, 2)}\n`);
    await writeFile(join(dir, 'claims.md'), markdown);
  }
  const written = docs !== undefined && !catalog.interrupted;
  if (written) {
    await mkdir(dirname(docs), { recursive: true });
    await writeFile(docs, markdown);
  }
  if (args.json) process.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
  else {
    process.stdout.write(renderClaimsTerminal(catalog, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, width: process.stdout.columns }));
    const where = [...(dir ? [`results: ${dir}/`] : []), ...(written ? [`catalog: ${docs}`] : [])];
    if (where.length > 0) process.stdout.write(`${where.join('\n')}\n`);
  }
  if (catalog.interrupted) return EXIT.INTERRUPTED;
  return catalog.pass ? EXIT.OK : EXIT.EXPECTATION_FAILED;
}

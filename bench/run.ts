/**
 * `npm run bench`: measures portlab and its peers in one run, in throwaway userns labs on this machine, and
 * writes results/bench/<stamp>.json (every number) and .md (the table); `--readme` also puts the table in
 * README.md under "## Benchmarks". Not part of `npm test`: it loads both cores for minutes.
 *
 *   npm run bench [-- --quick] [-- --readme] [-- --only churn,lag,sampler,peers,scale,incident,compare,doctor]
 *   npm run bench -- --soak [--soak-duration 10m]   adds the 10-minute soak (opt-in; --only soak for it alone)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, stamp, type Section } from './args.js';
import type { BenchContext } from './context.js';
import { ROOT } from './lab.js';
import { machineInfo } from './machine.js';
import { replaceBenchmarksSection } from './readme.js';
import { churnSection } from './sections/churn.js';
import { compareSection } from './sections/compare.js';
import { doctorSection } from './sections/doctor.js';
import { lagSection } from './sections/lag.js';
import { peersSection, portlabHttpAndPool, ratioRows } from './sections/peers.js';
import { samplerSection } from './sections/sampler.js';
import { incidentSection, scaleSection } from './sections/scale.js';
import { soakSection } from './sections/soak.js';
import { renderReport, type BenchReport } from './table.js';

const README_LEAD =
  '`npm run bench` measures portlab and the load generators a user would otherwise pick (wrk, hey, autocannon), ' +
  'in one run on this machine, in throwaway userns labs: about 9 minutes (`npm run bench -- --quick`: about 3, without ' +
  'the minute-long incident). It writes `results/bench/<stamp>.json` and `.md`; `-- --readme` rewrites this section. ' +
  'Other load on the machine lowers every number: rerun on a quiet one to compare.' +
  ' `npm run bench -- --soak` adds a soak (opt-in, never in the default or `--quick` run): a pool and a churn load held 10 minutes each (`--soak-duration 60s` to shorten; `--only soak` for it alone), with the in-lab process\'s RSS and heap reported after the warm-up, at the end and as a trend, not gated.';

const NOTES = [
  'Every run happens in a fresh `unshare --user --map-root-user --net` lab; traffic stays on its loopback.',
  'portlab rates are open-loop and must hold the schedule: nothing skipped, at least 99% of the planned starts made, under 0.1% errors, and schedule-lag p99 under 10 ms once the JIT has warmed up (the first 2 s, 1.5 s with --quick, are left out of that p99 and reported separately). Each is the best of a short rate search of 3.5-5 s runs; a rate that misses is tried once more before it counts as missed (a neighbour on a shared machine can sink one run).',
  'Peers are closed-loop (as fast as they can, 50 connections, after a 1-s warm-up of the target) against `portlab target --protocol http`; portlab raw churn talks to the TCP target, so the ratio also includes the HTTP parsing peers pay for.',
  'CPU per start is the whole in-lab process (target thread, workers, sampler) divided by the starts.',
  'The whole-run lag at 20,000/s is the JIT warm-up: in the first second V8 optimizes some 300 functions in every thread (about 0.9 s of compile CPU in all, measured with --trace-opt), the engine falls behind by up to ~150 ms and then catches up; every planned start is still made, and the lag after the warm-up is the steady state.',
  'Node 20 builds a net.Socket with an options object about 20 times slower than a bare one (V8 11.3 caches no map transitions for spread clones): the engine connects bare sockets, but every socket the target accepts still pays it, about 6 us.',
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), join(ROOT, 'results', 'bench'));
  const started = Date.now();
  const ctx: BenchContext = { options: { quick: args.quick }, log: (line) => process.stderr.write(`${line}\n`), rows: [], raw: {}, notes: [...NOTES] };
  const on = (s: Section): boolean => args.only.has(s);

  const churn = on('churn') || on('peers') ? await churnSection(ctx) : {};
  const at20k = on('lag') || on('sampler') ? await lagSection(ctx) : null;
  if (on('sampler')) await samplerSection(ctx, at20k);
  if (on('peers')) {
    const peers = await peersSection(ctx);
    const http = await portlabHttpAndPool(ctx);
    ctx.rows.push(...ratioRows(churn, http, peers));
  }
  if (on('scale')) await scaleSection(ctx);
  if (on('incident')) await incidentSection(ctx);
  if (on('compare')) await compareSection(ctx);
  if (on('doctor')) await doctorSection(ctx);
  if (on('soak')) await soakSection(ctx, args.soakDurationMs);

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const report: BenchReport = { date: new Date(started).toISOString().slice(0, 16).replace('T', ' '), command, machine: machineInfo(), durationS: (Date.now() - started) / 1000, rows: ctx.rows, notes: ctx.notes };
  const markdown = renderReport(report);
  mkdirSync(args.outDir, { recursive: true });
  const base = join(args.outDir, stamp(new Date(started)));
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...report, raw: ctx.raw }, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  if (args.readme) {
    const readmePath = join(ROOT, 'README.md');
    writeFileSync(readmePath, replaceBenchmarksSection(readFileSync(readmePath, 'utf8'), `${README_LEAD}\n\n${markdown}`));
  }
  process.stdout.write(`${markdown}\nwrote ${base}.json and ${base}.md${args.readme ? ' and README.md' : ''}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReport, type ReportDeps } from '../../src/cli/report.js';
import { PortlabError } from '../../src/errors/index.js';
import { fixtureDir, loadFixture } from './fixture.js';

async function copyFixtures(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'portlab-report-cmd-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const name of ['no-pooling', 'keep-alive-pool']) {
    await cp(fixtureDir(name), join(root, name), { recursive: true, filter: (src) => !src.endsWith('.expected.md') });
  }
  return root;
}

function capture(env: ReportDeps['env'] = {}): ReportDeps & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: (t) => out.push(t), warn: (t) => err.push(t), env, color: false };
}

test('portlab report re-renders every format from summary.json and prints the summary', async (t) => {
  const root = await copyFixtures(t);
  const deps = capture();
  const code = await runReport({ dirs: [join(root, 'no-pooling')] }, deps);
  assert.equal(code, 0);
  const files = (await readdir(join(root, 'no-pooling'))).sort();
  assert.deepEqual(files, ['intervals.ndjson', 'junit.xml', 'report.html', 'report.md', 'summary.json']);
  // The snapshot the markdown test keeps: written out, not rendered here.
  assert.equal(await readFile(join(root, 'no-pooling', 'report.md'), 'utf8'), await readFile(join(fixtureDir('no-pooling'), 'report.expected.md'), 'utf8'));
  const out = deps.out.join('');
  assert.match(out, /Onset +EADDRNOTAVAIL at [\d.]+s \(predicted [\d.]+s\)/);
  assert.ok(out.includes(join(root, 'no-pooling', 'report.html')));
  assert.doesNotMatch(out, /keep-alive-pool/, 'no comparison for one run');
});

test('two folders: both rendered, then compared side by side', async (t) => {
  const root = await copyFixtures(t);
  const deps = capture();
  await runReport({ dirs: [join(root, 'no-pooling'), join(root, 'keep-alive-pool', 'summary.json')] }, deps);
  const out = deps.out.join('');
  assert.match(out, /^ +no-pooling +keep-alive-pool$/m);
  assert.ok((await readdir(join(root, 'keep-alive-pool'))).includes('report.html'));
});

test('--github-summary appends to $GITHUB_STEP_SUMMARY, and warns when it is not set', async (t) => {
  const root = await copyFixtures(t);
  const stepSummary = join(root, 'summary.md');
  await runReport({ dirs: [join(root, 'no-pooling')], githubSummary: true }, capture({ GITHUB_STEP_SUMMARY: stepSummary }));
  assert.match(await readFile(stepSummary, 'utf8'), /^## ✅ portlab: no-pooling/);
  const deps = capture();
  await runReport({ dirs: [join(root, 'no-pooling')], githubSummary: true }, deps);
  assert.match(deps.err.join(''), /warning: --github-summary/);
});

test('a bad folder fails with RESULTS_INVALID before anything is written', async (t) => {
  const root = await copyFixtures(t);
  await assert.rejects(
    runReport({ dirs: [join(root, 'no-pooling'), join(root, 'nope')] }, capture()),
    (err: unknown) => err instanceof PortlabError && err.code === 'RESULTS_INVALID' && err.exitCode === 2,
  );
  assert.ok(!(await readdir(join(root, 'no-pooling'))).includes('report.html'), 'the good folder was not touched');
});

test('without --github-summary a re-render does not append again to the job summary `portlab run` wrote', async (t) => {
  const root = await copyFixtures(t);
  const stepSummary = join(root, 'summary.md');
  await runReport({ dirs: [join(root, 'no-pooling')] }, capture({ GITHUB_STEP_SUMMARY: stepSummary }));
  await assert.rejects(readFile(stepSummary, 'utf8'), (err: unknown) => (err as { code?: string }).code === 'ENOENT');
});

test('a compare folder is re-rendered as a comparison', async (t) => {
  const root = await copyFixtures(t);
  const dir = join(root, 'cmp');
  const { writeCompare } = await import('../../src/report/compare/files.js');
  const summary = await loadFixture('no-pooling');
  await writeCompare(dir, {
    version: '0.1.0', name: 'cmp', description: '', startedAt: summary.startedAt, durationMs: 5000, parallel: 1, interrupted: false, baseline: null, pass: true,
    cells: [{ name: 'only', overrides: {}, variant: null, dir: 'cells/01-only', summary, pass: true }],
  });
  await rm(join(dir, 'compare.html'));
  const deps = capture();
  assert.equal(await runReport({ dirs: [dir] }, deps), 0);
  assert.ok((await readdir(dir)).includes('compare.html'));
  assert.match(deps.out.join(''), /^cmp: 1 cell, 1 at a time, 5\.0 s$/m);
});

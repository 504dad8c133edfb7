import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortlabError } from '../../src/errors/index.js';
import { parseIntervalsNdjson, readRun } from '../../src/report/read.js';
import { intervalsNdjson, summaryJson, writeRun } from '../../src/report/write.js';
import { fixtureDir, loadFixture } from './fixture.js';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'portlab-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const isResultsInvalid = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof PortlabError);
  assert.equal(err.code, 'RESULTS_INVALID');
  assert.match(err.message, pattern);
  assert.ok(err.hint);
  return true;
};

test('the fixtures honour the contract: summary.json holds the intervals, ndjson the same, totals add up', async () => {
  for (const name of ['no-pooling', 'keep-alive-pool'] as const) {
    const summary = await loadFixture(name);
    const ndjson = parseIntervalsNdjson(await readFile(`${fixtureDir(name)}intervals.ndjson`, 'utf8'), 'x');
    assert.deepEqual(ndjson, summary.intervals);
    const errors = Object.values(summary.totals.errors).reduce((a, b) => a + b, 0);
    assert.equal(summary.totals.attempts, summary.totals.connected + errors);
  }
});

test('writeRun writes every format and readRun reads the same run back', async (t) => {
  const dir = join(await tempDir(t), 'nested', 'run');
  const summary = await loadFixture('no-pooling');
  const written = await writeRun(dir, summary, { env: {} });
  assert.deepEqual((await readdir(dir)).sort(), ['intervals.ndjson', 'junit.xml', 'report.html', 'report.md', 'summary.json']);
  assert.equal(written.githubSummaryPath, null);
  assert.deepEqual(written.warnings, []);
  assert.equal(await readFile(written.files.summary, 'utf8'), summaryJson(summary));
  assert.equal(await readFile(written.files.intervals, 'utf8'), intervalsNdjson(summary.intervals));
  assert.match(await readFile(written.files.html, 'utf8'), /^<!DOCTYPE html>/);
  assert.deepEqual(await readRun(dir), summary);
  assert.deepEqual(await readRun(written.files.summary), summary, 'a summary.json path works too');
});

test('intervals come from intervals.ndjson when summary.json lacks them', async (t) => {
  const dir = await tempDir(t);
  const summary = await loadFixture('no-pooling');
  const { intervals, ...rest } = summary;
  await writeFile(join(dir, 'summary.json'), JSON.stringify(rest));
  await writeFile(join(dir, 'intervals.ndjson'), intervalsNdjson(intervals));
  assert.deepEqual((await readRun(dir)).intervals, intervals);
});

test('unreadable results are RESULTS_INVALID naming the file', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(readRun(join(dir, 'missing')), isResultsInvalid(/missing: no such results folder/));
  await assert.rejects(readRun(dir), isResultsInvalid(/summary\.json: not found/));
  await writeFile(join(dir, 'summary.json'), '{"version": ');
  await assert.rejects(readRun(dir), isResultsInvalid(/summary\.json: not valid JSON/));
  await writeFile(join(dir, 'summary.json'), '[]');
  await assert.rejects(readRun(dir), isResultsInvalid(/summary\.json: expected a mapping, got a list/));
  const summary = await loadFixture('no-pooling');
  const broken = structuredClone(summary) as unknown as { lab: { portRange: Record<string, unknown> } };
  delete broken.lab.portRange.size;
  await writeFile(join(dir, 'summary.json'), JSON.stringify(broken));
  await assert.rejects(readRun(dir), isResultsInvalid(/summary\.json: lab\.portRange\.size: missing/));
  const { intervals: _intervals, ...rest } = summary;
  await writeFile(join(dir, 'summary.json'), JSON.stringify(rest));
  await assert.rejects(readRun(dir), isResultsInvalid(/intervals\.ndjson: not found/));
  await writeFile(join(dir, 'intervals.ndjson'), `${intervalsNdjson(summary.intervals.slice(0, 1))}\nnot json\n`);
  await assert.rejects(readRun(dir), isResultsInvalid(/intervals\.ndjson:3: not valid JSON/));
  await writeFile(join(dir, 'other.txt'), 'x');
  await assert.rejects(readRun(join(dir, 'other.txt')), isResultsInvalid(/is a file, not a results folder/));
});

test('the saved fixtures load, and a summary read back is written again byte for byte', async () => {
  for (const name of ['no-pooling', 'keep-alive-pool'] as const) {
    const text = await readFile(`${fixtureDir(name)}summary.json`, 'utf8');
    assert.equal(summaryJson(await loadFixture(name)), text, name);
  }
});

test('a summary.json with a field missing or mistyped names the file and the field', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'summary.json');
  const cases: [(s: Record<string, Record<string, unknown>>) => void, RegExp][] = [
    [(s) => delete s.totals!.attempts, /summary\.json: totals\.attempts: missing \(expected a number\)$/],
    [(s) => delete s.prediction!.capacity, /summary\.json: prediction\.capacity: missing \(expected a number\)$/],
    [(s) => (s.lab!.kind = 7), /summary\.json: lab\.kind: expected text, got 7$/],
    [(s) => (s.scenario!.stages = [{ durationMs: 1000 }]), /summary\.json: scenario\.stages\[0\]\.ratePerSec: missing/],
    [(s) => (s.onset = { atMs: 'soon' }), /summary\.json: onset\.atMs: expected a number, got "soon"/],
    [(s) => ((s.intervals as unknown as Record<string, unknown>[])[3]!.clientTimeWait = -1), /summary\.json: intervals\[3\]\.clientTimeWait: /],
    [(s) => (s.lab!.portRange = { low: 40000, high: 40199, size: 199 }), /summary\.json: lab\.portRange: /],
  ];
  for (const [breakIt, message] of cases) {
    const broken = JSON.parse(await readFile(`${fixtureDir('no-pooling')}summary.json`, 'utf8')) as Record<string, Record<string, unknown>>;
    breakIt(broken);
    await writeFile(file, JSON.stringify(broken));
    await assert.rejects(readRun(dir), isResultsInvalid(message));
  }
});

test('an interval line that does not fit names the file, the line and the field', () => {
  const good = '{"tMs":0,"attempts":1,"connected":1,"errors":{},"timeWait":0,"clientTimeWait":0,"serverTimeWait":0,"established":0,' +
    '"portsInUse":0,"targetRatePerSec":4,"skipped":0,"requests":0,"connectLatencyUs":null,"netstat":{}}';
  assert.equal(parseIntervalsNdjson(`${good}\n`, 'x.ndjson').length, 1);
  assert.throws(
    () => parseIntervalsNdjson(`${good}\n${good.replace('"attempts":1', '"attempts":"1"')}\n`, 'x.ndjson'),
    isResultsInvalid(/^x\.ndjson:2: attempts: expected a number, got "1"$/),
  );
});

test('report.md is appended to $GITHUB_STEP_SUMMARY when it is set', async (t) => {
  const dir = await tempDir(t);
  const stepSummary = join(dir, 'step-summary.md');
  await writeFile(stepSummary, '# earlier step\n');
  const summary = await loadFixture('no-pooling');
  const env = { GITHUB_STEP_SUMMARY: stepSummary };
  const first = await writeRun(join(dir, 'a'), summary, { env });
  await writeRun(join(dir, 'b'), summary, { env, githubSummary: true });
  assert.equal(first.githubSummaryPath, stepSummary);
  const md = await readFile(first.files.markdown, 'utf8');
  assert.equal(await readFile(stepSummary, 'utf8'), `# earlier step\n${md}\n${md}\n`);
});

test('--github-summary outside GitHub Actions is a warning, not an error', async (t) => {
  const written = await writeRun(await tempDir(t), await loadFixture('keep-alive-pool'), { env: {}, githubSummary: true });
  assert.equal(written.githubSummaryPath, null);
  assert.equal(written.warnings.length, 1);
  assert.match(written.warnings[0]!, /GITHUB_STEP_SUMMARY/);
});

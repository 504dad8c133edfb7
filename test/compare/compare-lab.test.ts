/**
 * `portlab compare` as a user runs it, in real userns labs: the tw-reuse matrix in one table, a failing
 * expectation as exit 1 and a failed JUnit case, the breaking-rate search near the model's 40/s, and a
 * baseline that catches a regression. Tolerances, never exact timings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareResult } from '../../src/metrics/compare.js';
import { runCli, tempDir } from '../helpers/cli.js';

function onlyCompareDir(out: string): string {
  const dirs = readdirSync(out).filter((d) => d.includes('-compare-'));
  assert.equal(dirs.length, 1, `one compare folder in ${out}: ${dirs.join(', ')}`);
  return join(out, dirs[0]!);
}

function readCompare(dir: string): CompareResult {
  return JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult;
}

test('the tw-reuse matrix: exhaustion with 0, none with 1, in one table; every file written', { timeout: 120_000 }, async () => {
  const out = tempDir();
  const result = await runCli(['compare', 'scenarios/compare/tw-reuse.yaml', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const header = result.stdout.split('\n').find((l) => l.includes('tw-reuse=0'));
  assert.ok(header?.includes('tw-reuse=1'), `both cells side by side:\n${result.stdout}`);
  const dir = onlyCompareDir(out);
  for (const file of ['compare.json', 'compare.html', 'compare.md', 'junit.xml']) assert.ok(readdirSync(dir).includes(file), file);
  const compare = readCompare(dir);
  assert.deepEqual(compare.cells.map((c) => c.name), ['tw-reuse=0', 'tw-reuse=1']);
  const [off, on] = compare.cells;
  assert.ok(off!.summary!.onset, 'tw_reuse=0 exhausts');
  assert.ok(Math.abs(off!.summary!.onset!.atMs - 2000) < 400, `onset ${off!.summary!.onset!.atMs} near 2 s`);
  assert.equal(on!.summary!.onset, null, 'tw_reuse=1 holds');
  assert.equal(on!.summary!.totals.errors.EADDRNOTAVAIL ?? 0, 0);
  assert.deepEqual(on!.overrides, { 'tw-reuse': '1' });
  assert.equal(on!.summary!.lab.sysctls['net.ipv4.tcp_tw_reuse'], '1');
  // Each cell is a normal run folder that `portlab report` could re-render.
  assert.ok(readdirSync(join(dir, off!.dir)).includes('summary.json'));
  assert.equal(compare.pass, true);
});

test('a failing expectation exits 1, is printed last, and is a failed JUnit test case', { timeout: 120_000 }, async () => {
  const out = tempDir();
  // At 50/s the 200 ports last 4 s: the "exhausts by 2.6 s" gate of no-pooling.yaml fails.
  const result = await runCli(['compare', 'scenarios/no-pooling.yaml', '--set', 'rate=100,50', '--out', out]);
  assert.equal(result.code, 1, result.stderr);
  const tail = result.stdout.trimEnd().split('\n').slice(-4).join('\n');
  assert.match(tail, /rate=50: expectation onset within 1\.5s\.\.2\.6s failed/);
  const junit = readFileSync(join(onlyCompareDir(out), 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuite name="rate=100" tests="3" failures="0"/);
  assert.match(junit, /<testsuite name="rate=50" tests="3" failures="1"/);
});

test('--find-breaking-rate on a 200-port, 5 s, client-closes cell lands within 10% of the model\'s 40/s', { timeout: 240_000 }, async () => {
  const out = tempDir();
  const result = await runCli(['compare', 'scenarios/no-pooling.yaml', '--find-breaking-rate', '--out', out], { timeoutMs: 230_000 });
  assert.equal(result.code, 0, result.stderr);
  const [cell] = readCompare(onlyCompareDir(out)).cells;
  assert.equal(cell!.predictedBreakingRatePerSec, 40);
  assert.ok(Math.abs(cell!.breakingRatePerSec! - 40) <= 4, `breaking rate ${cell!.breakingRatePerSec}/s`);
  assert.ok(cell!.probes!.some((p) => p.exhausted) && cell!.probes!.some((p) => !p.exhausted), 'the search bracketed it');
  assert.match(result.stdout, /breaking rate\s+\d/);
});

test('a baseline catches a cell that got worse; against itself it passes', { timeout: 180_000 }, async () => {
  const out = tempDir();
  const first = await runCli(['compare', 'scenarios/no-pooling.yaml', '--rate', '60', '--out', out, '--expect-onset-within', '1s,5s']);
  assert.equal(first.code, 0, first.stderr);
  const baseline = onlyCompareDir(out);
  const out2 = tempDir();
  const worse = await runCli(['compare', 'scenarios/no-pooling.yaml', '--baseline', baseline, '--out', out2]);
  assert.equal(worse.code, 1, worse.stderr);
  assert.match(worse.stdout, /no-pooling: baseline errors: \d+ -> \d+ \(\+\d+\.\d%; a rise over 10% fails\)/);
  const again = await runCli(['compare', 'scenarios/no-pooling.yaml', '--rate', '60', '--expect-onset-within', '1s,5s', '--baseline', baseline, '--out', tempDir()]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
});

test('Ctrl-C: the finished cell is kept, the running one stops, compare files are written, exit 130', { timeout: 120_000 }, async () => {
  const { startCli } = await import('../helpers/cli.js');
  const out = tempDir();
  const started = startCli(['compare', 'scenarios/no-pooling.yaml', '--set', 'rate=100,50', '--parallel', '1', '--duration', '4s', '--out', out]);
  let stderr = '';
  started.child.stderr!.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  // Wait until the first cell is done and the second has started, then interrupt.
  const deadline = Date.now() + 60_000;
  while (!/\[2\/2\] rate=50: started/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
  started.child.kill('SIGINT');
  const result = await started.result;
  assert.equal(result.code, 130, result.stderr);
  const compare = readCompare(onlyCompareDir(out));
  assert.equal(compare.interrupted, true);
  assert.equal(compare.pass, false);
  assert.deepEqual(compare.cells.map((c) => c.name), ['rate=100', 'rate=50']);
  assert.equal(compare.cells[0]!.summary!.interrupted, false);
  assert.equal(compare.cells[1]!.summary!.interrupted, true, 'the running cell keeps its partial results');
});

test('every shipped compare file holds its expectations, run together as one comparison', { timeout: 300_000 }, async () => {
  const out = tempDir();
  const files = readdirSync('scenarios/compare').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/compare/${f}`);
  assert.ok(files.length >= 4, files.join(' '));
  const result = await runCli(['compare', ...files, '--out', out], { timeoutMs: 290_000 });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const compare = readCompare(onlyCompareDir(out));
  assert.ok(compare.cells.length >= 10);
  assert.ok(compare.cells.every((c) => c.pass), compare.cells.filter((c) => !c.pass).map((c) => c.name).join(', '));
});

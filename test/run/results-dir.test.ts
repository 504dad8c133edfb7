/**
 * Results are never lost or mixed: two runs of one scenario started together with one --out keep two
 * folders, each with its own intact summary; a read-only --out fails before any lab is made, naming the path.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runSummarySchema } from '../../src/metrics/schemas.js';
import { readSummary, runCli, tempDir } from '../helpers/cli.js';
import { readOnlyDir } from '../helpers/read-only.js';

const SHORT = ['--lab', 'userns', '--rate', '20', '--duration', '1s', '--quiet'];

test('two runs of the same scenario started together with the same --out keep both results', { timeout: 60_000 }, async () => {
  const out = tempDir();
  const [a, b] = await Promise.all([runCli(['run', ...SHORT, '--out', out]), runCli(['run', ...SHORT, '--out', out])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const dirs = readdirSync(out).sort();
  assert.equal(dirs.length, 2, `two folders: ${dirs.join(', ')}`);
  const printed = [a.stdout, b.stdout].map((text) => /results: (.*)\/\n/.exec(text)?.[1]);
  assert.deepEqual(new Set(printed), new Set(dirs.map((d) => join(out, d))), 'each run prints its own folder');
  const ids = dirs.map((dir) => {
    const summary = readSummary(join(out, dir));
    assert.ok(runSummarySchema.safeParse(summary).success, `${dir}/summary.json is a whole summary`);
    assert.equal(summary.runId, dir, 'the summary names its own folder');
    assert.ok(summary.totals.attempts > 0);
    return summary.runId;
  });
  assert.notEqual(ids[0], ids[1]);
});

test('a read-only --out fails at once with exit 2 and the path, before any lab is made', { timeout: 30_000 }, async (t) => {
  const ro = readOnlyDir(t);
  if (!ro) return;
  try {
    const result = await runCli(['run', ...SHORT, '--duration', '30s', '--out', join(ro.dir, 'results')]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`portlab: cannot write results to ${ro.dir}/results: (the file system is read-only|permission denied)`));
    assert.doesNotMatch(result.stderr, /in the userns lab|internal error|at .*\.js:\d+/, 'no lab was made, no stack trace');
  } finally {
    ro.dispose();
  }
});

test('an over-long scenario name is refused at once (exit 2, located), before any lab or folder is made', { timeout: 30_000 }, async () => {
  const out = tempDir();
  const result = await runCli(['run', ...SHORT, '--duration', '30s', '--name', 'n'.repeat(250), '--out', out]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /--name: .*at most \d+ characters/);
  assert.deepEqual(readdirSync(out), []);
});

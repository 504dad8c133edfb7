/**
 * The open-file limit as a user meets it: `portlab run` started under a lowered limit (`prlimit --nofile`).
 * Above the hard limit the run is refused before any lab is made, located, exit 2; under it the driver raises
 * its soft limit, and a load that holds ~600 files at once runs without one EMFILE.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunSummary } from '../../src/metrics/types.js';
import { readFileLimit } from '../../src/util/file-limit.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';

function runLimited(nofile: string, args: string[]) {
  return spawnSync('prlimit', [`--nofile=${nofile}`, process.execPath, BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

test('a scenario that needs more files than the hard limit: a located error, exit 2, no lab', () => {
  const file = join(tempDir(), 'many.yaml');
  writeFileSync(file, 'name: many\nduration: 1s\nlab: { kind: userns }\nclient:\n  rate: 10/s\n  maxInFlight: 5000\n');
  const child = runLimited('512:512', ['run', file, '--out', tempDir()]);
  assert.equal(child.status, 2, child.stderr);
  assert.match(child.stderr, new RegExp(`${file}:6:16: client\\.maxInFlight: .*hard limit of 512`));
  assert.doesNotMatch(child.stderr, /\n\s+at /, 'no stack trace');
});

test('validate says the same as run: the located file-limit error, exit 2', () => {
  const file = join(tempDir(), 'many.yaml');
  writeFileSync(file, 'name: many\nduration: 1s\nlab: { kind: userns }\nclient:\n  rate: 10/s\n  maxInFlight: 5000\n');
  const child = runLimited('512:512', ['validate', file]);
  assert.equal(child.status, 2, child.stdout + child.stderr);
  assert.match(child.stdout + child.stderr, /6:16: client\.maxInFlight: .*hard limit of 512/);
});

test('under the hard limit the driver raises its soft limit: ~600 files held at once, no EMFILE', { timeout: 60_000 }, () => {
  const hard = readFileLimit()?.hard ?? 4096;
  const flags = ['--lab', 'userns', '--rate', '300', '--duration', '1s', '--response-delay', '1s', '--max-in-flight', '1000', '--port-range', '40000-49999'];
  const child = runLimited(`200:${Math.min(hard, 65536)}`, ['run', ...flags, '--json', '--out', tempDir()]);
  assert.equal(child.status, 0, child.stderr);
  const summary = JSON.parse(child.stdout) as RunSummary;
  assert.deepEqual(summary.totals.errors, {}, 'a soft limit of 200 left in place gives EMFILE here');
  assert.equal(summary.totals.connected, 300);
});

/**
 * EMFILE mid-run is counted, never a crash: the engine and the target in one process under `ulimit -n 120`,
 * inside a user + network namespace (traffic stays on its loopback). 300 connections a second, each held
 * 1 s by the target's response delay, want ~600 files at once: connects and accepts fail with EMFILE, and the
 * run still ends with every attempt counted (attempts = connected + errors).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { IntervalCounters } from '../../src/metrics/counters.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/emfile-engine.js', import.meta.url));

test('connects past the open-file limit are counted as EMFILE and the run ends normally', { timeout: 60_000 }, () => {
  const script = 'ip link set lo up && ulimit -n 120 && exec "$0" "$1"';
  const child = spawnSync('unshare', ['--user', '--map-root-user', '--net', '--', 'sh', '-c', script, process.execPath, FIXTURE], { encoding: 'utf8', timeout: 50_000 });
  assert.equal(child.status, 0, `exit ${child.status}: ${child.stderr}`);
  const totals = JSON.parse(child.stdout.trim().split('\n').pop()!) as IntervalCounters;
  const errors = Object.values(totals.errors).reduce((a, b) => a + b, 0);
  assert.equal(totals.attempts, 300);
  assert.equal(totals.attempts, totals.connected + errors, JSON.stringify(totals));
  assert.ok((totals.errors['EMFILE'] ?? 0) > 0, `expected EMFILE among ${JSON.stringify(totals.errors)}`);
});

/**
 * Labs are created and destroyed on every path: a normal end, Ctrl-C (partial results kept) and a killed
 * orchestrator (the driver notices its stdin closing and stops). Tested against the real kernel.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listPortlabNetns } from '../../src/lab/netns.js';
import { probeNetns } from '../../src/lab/probe.js';
import { onlyRunDir, readSummary, runCli, startCli, tempDir } from '../helpers/cli.js';
import { children, running, waitFor } from '../helpers/lab-watch.js';

const LONG = ['--port-range', '40000-40199', '--tw-reuse', '0', '--rate', '100', '--duration', '20s'];

/** Ctrl-C as a terminal sends it (to the whole process group) or as `kill -INT` does (to the CLI only). */
async function interruptAfterLoad(lab: string, target: 'group' | 'cli'): Promise<void> {
  const out = tempDir();
  const started = startCli(['run', ...LONG, '--lab', lab, '--out', out], { ownGroup: target === 'group' });
  let driverPid = 0;
  let progress = '';
  started.child.stderr!.on('data', (chunk: Buffer) => (progress += String(chunk)));
  await waitFor('the driver to start', () => (driverPid = children(started.child.pid!)[0] ?? 0) > 0, 10_000);
  // Interrupt after the exhaustion (a loaded machine starts the load later), not after a fixed time.
  await waitFor('the onset in the progress lines', () => / onset \d/.test(progress), 20_000);
  await sleep(500);
  if (target === 'group') process.kill(-started.child.pid!, 'SIGINT');
  else started.child.kill('SIGINT');
  const result = await started.result;
  assert.equal(result.code, 130, `exit code after Ctrl-C; stderr:\n${result.stderr}`);
  const summary = readSummary(onlyRunDir(out));
  assert.equal(summary.interrupted, true);
  assert.ok(summary.durationMs < 10_000, `the load stopped early (${summary.durationMs} ms)`);
  assert.ok(summary.onset && summary.onset.atMs < 3000, 'partial results keep what happened before Ctrl-C');
  assert.ok(existsSync(join(onlyRunDir(out), 'report.html')), 'every report file is written');
  assert.equal(running(driverPid), false, 'the driver process is gone');
}

test('Ctrl-C in the userns lab: exit 130, partial results written, no process left', { timeout: 60_000 }, async () => {
  await interruptAfterLoad('userns', 'group');
});

test('SIGINT to the CLI alone stops the run the same way', { timeout: 60_000 }, async () => {
  await interruptAfterLoad('userns', 'cli');
});

test('a second Ctrl-C stops at once, without waiting for the drain, and still writes what it has', { timeout: 60_000 }, async () => {
  const out = tempDir();
  // Each response waits 5 s, so a graceful stop would drain for seconds.
  const slow = ['--rate', '50', '--duration', '20s', '--response-delay', '5s', '--connect-timeout', '10s'];
  const started = startCli(['run', ...slow, '--lab', 'userns', '--out', out, '--quiet']);
  let driverPid = 0;
  await waitFor('the driver to start', () => (driverPid = children(started.child.pid!)[0] ?? 0) > 0, 10_000);
  await sleep(2000);
  started.child.kill('SIGINT');
  await sleep(300);
  const secondAt = Date.now();
  started.child.kill('SIGINT');
  const result = await started.result;
  const tookMs = Date.now() - secondAt;
  assert.equal(result.code, 130, result.stderr);
  assert.ok(tookMs < 2500, `left ${tookMs} ms after the second Ctrl-C; the drain alone would take ~3 s more`);
  assert.equal(readSummary(onlyRunDir(out)).interrupted, true);
  assert.equal(running(driverPid), false, 'the driver process is gone');
});

test('Ctrl-C in the netns lab: exit 130, partial results written, no namespace left', { timeout: 60_000, skip: probeNetns().ok ? false : 'needs root and ip netns' }, async () => {
  const before = listPortlabNetns();
  await interruptAfterLoad('netns', 'group');
  assert.deepEqual(listPortlabNetns(), before);
});

test('a netns run removes its namespace when it ends', { timeout: 60_000, skip: probeNetns().ok ? false : 'needs root and ip netns' }, async () => {
  const before = listPortlabNetns();
  const result = await runCli(['run', 'scenarios/no-pooling.yaml', '--lab', 'netns', '--json', '--out', tempDir()]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as { lab: { kind: string }; onset: { atMs: number } | null };
  assert.equal(summary.lab.kind, 'netns');
  assert.ok(summary.onset && summary.onset.atMs > 1500 && summary.onset.atMs < 2600, 'the netns lab shows the same onset');
  assert.deepEqual(listPortlabNetns(), before);
});

test('a killed orchestrator takes its driver with it (stdin closes, the driver stops)', { timeout: 60_000 }, async () => {
  const started = startCli(['run', ...LONG, '--lab', 'userns', '--out', tempDir(), '--quiet']);
  let driverPid = 0;
  await waitFor('the driver to start', () => (driverPid = children(started.child.pid!)[0] ?? 0) > 0, 10_000);
  await sleep(1500);
  started.child.kill('SIGKILL');
  await started.result;
  await waitFor('the orphaned driver to exit', () => !running(driverPid), 10_000);
});

test('the host lab refuses to change sysctls and names the labs that can', async () => {
  const result = await runCli(['run', '--lab', 'host', '--port-range', '40000-40199', '--rate', '10', '--duration', '1s']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /host lab never changes sysctls/);
  assert.match(result.stderr, /userns/);
  assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('an unbounded ad-hoc scenario is refused before any lab is made', async () => {
  const result = await runCli(['run', '--rate', '10']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /duration/);
});

/**
 * The fault harness (issue 13): runs cut short by SIGINT, SIGTERM, SIGKILL (then `lab prune`), a worker
 * crash, a target crash, a lab failure and a vanished parent, in the userns, netns and docker labs. After
 * each: the exit code and `interruption.reason` say what happened, the partial summary parses, and no
 * namespace, container, interface, process or temp file is left.
 *
 * Kill points come from a seeded generator (SEED), not from the clock: the same list on every run, so a
 * failure is reproducible; change SEED to explore others. Crashes come from failpoints
 * (PORTLAB_FAILPOINTS, src/util/failpoint.ts) that throw inside the real thread, as a bug would.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { listPortlabNetns } from '../../src/lab/netns.js';
import { probeNetns, probeUserns } from '../../src/lab/probe.js';
import { runSummarySchema } from '../../src/metrics/schemas.js';
import type { InterruptReason } from '../../src/metrics/types.js';
import { seededRandom } from '../../src/util/random.js';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { assertNothingLeft, runOrphaned, runWatched, stillRunning, waitFor, type Watched } from '../helpers/lab-watch.js';

const SEED = 13;

// The kill points come from the project's seeded generator: the same list on every run.
const random = seededRandom(SEED);
/** Where in the load a fault strikes: 300 ms to 2.3 s after the lab said ready (the onset is near 2 s). */
const killPointMs = (): number => 300 + Math.floor(random() * 2000);

/** 200 ports at 100/s with reuse off: exhaustion near 2 s, and a load that outlives every kill point. */
const LOAD = ['--port-range', '40000-40199', '--tw-reuse', '0', '--rate', '100', '--duration', '8s'];
const READY = /in the \w+ lab/;

const usernsSkip = probeUserns().ok ? false : 'needs unprivileged user namespaces';
const netnsSkip = probeNetns().ok ? false : 'needs root and ip netns';

/** The partial summary parses (every field of the contract) and says why it is partial. */
function assertPartial(run: Watched, code: number | null, reason: InterruptReason): void {
  assert.equal(run.code, code, `exit code; stderr:\n${run.stderr}`);
  assert.ok(run.summary, `a summary was written; stderr:\n${run.stderr}`);
  const parsed = runSummarySchema.safeParse(run.summary);
  assert.ok(parsed.success, `the partial summary parses: ${parsed.success ? '' : parsed.error.message}`);
  assert.equal(run.summary.interrupted, true);
  assert.equal(run.summary.interruption?.reason, reason, JSON.stringify(run.summary.interruption));
  assert.doesNotMatch(run.stderr, /\n\s+at .*\.js:\d+/, 'no stack trace');
  assert.deepEqual(run.files, ['intervals.ndjson', 'junit.xml', 'report.html', 'report.md', 'summary.json'], 'every report file, no temp file');
}

/** Sends `signal` to the CLI alone once the lab is ready plus a seeded kill point. */
function signalAfterReady(signal: NodeJS.Signals): (pid: number, seen: () => number, stderr: () => string) => Promise<void> {
  const atMs = killPointMs();
  return async (pid, _seen, stderr) => {
    await waitFor('the lab to be ready', () => READY.test(stderr()), 60_000);
    await sleep(atMs);
    process.kill(pid, signal);
  };
}

async function signalCase(lab: string, signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
  const run = await runWatched([...LOAD, '--lab', lab], signalAfterReady(signal));
  assertPartial(run, signal === 'SIGINT' ? 130 : 143, signal);
  await assertNothingLeft(run, lab === 'docker' ? 0 : 1);
}

async function failpointCase(lab: string, failpoint: 'worker-crash' | 'target-crash', code: number, reason: InterruptReason): Promise<void> {
  const run = await runWatched([...LOAD, '--lab', lab], undefined, { PORTLAB_FAILPOINTS: `${failpoint}=${killPointMs()}` });
  assertPartial(run, code, reason);
  await assertNothingLeft(run, lab === 'docker' ? 0 : 1);
}

async function labFailureCase(lab: string): Promise<void> {
  const run = await runWatched([...LOAD, '--lab', lab], undefined, { PORTLAB_FAILPOINTS: 'lab-failure' });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /portlab: the lab failed while being set up/);
  assert.equal(run.summary, null);
  assert.deepEqual(run.files, [], 'the reserved results folder is given back: nothing is left in --out');
  await assertNothingLeft(run, 0);
}

async function parentGoneCase(lab: string): Promise<void> {
  const run = await runOrphaned([...LOAD, '--lab', lab], (stderr) => READY.test(stderr));
  assertPartial(run, null, 'parent-exit');
  await assertNothingLeft(run, lab === 'docker' ? 0 : 1);
}

test('userns lab: SIGINT and SIGTERM keep partial results, each with its own exit code', { timeout: 60_000, skip: usernsSkip }, async () => {
  await signalCase('userns', 'SIGINT');
  await signalCase('userns', 'SIGTERM');
});

test('userns lab: a worker crash and a target crash end the run with partial results, exit 6 and 5', { timeout: 60_000, skip: usernsSkip }, async () => {
  await failpointCase('userns', 'worker-crash', 6, 'driver-crash');
  await failpointCase('userns', 'target-crash', 5, 'target-failure');
});

test('userns lab: a lab failure is exit 3 with nothing left, not even an empty results folder', { timeout: 30_000, skip: usernsSkip }, async () => {
  await labFailureCase('userns');
});

test('userns lab: SIGKILL leaves nothing (the namespace dies with its driver)', { timeout: 60_000, skip: usernsSkip }, async () => {
  const run = await runWatched([...LOAD, '--lab', 'userns'], signalAfterReady('SIGKILL'));
  assert.equal(run.summary, null, 'a SIGKILLed run writes nothing');
  assert.deepEqual(run.files.filter((f) => f.startsWith('.')), [], 'and leaves no temp file');
  await assertNothingLeft(run);
});

test('userns lab: when the process that started portlab goes away, the run stops and keeps partial results', { timeout: 60_000, skip: usernsSkip }, async () => {
  await parentGoneCase('userns');
});

test('netns lab: SIGTERM, a target crash and a vanished parent leave no namespace', { timeout: 90_000, skip: netnsSkip }, async () => {
  const before = listPortlabNetns();
  await signalCase('netns', 'SIGTERM');
  await failpointCase('netns', 'target-crash', 5, 'target-failure');
  await parentGoneCase('netns');
  await labFailureCase('netns');
  assert.deepEqual(listPortlabNetns(), before);
});

test('netns lab: a namespace deleted mid-run is a lab failure: exit 7, partial results, nothing left', { timeout: 60_000, skip: netnsSkip }, async () => {
  const before = new Set(listPortlabNetns());
  const run = await runWatched([...LOAD, '--lab', 'netns'], async (_pid, _seen, stderr) => {
    await waitFor('the lab to be ready', () => READY.test(stderr()), 30_000);
    await sleep(killPointMs());
    for (const name of listPortlabNetns().filter((n) => !before.has(n))) spawnSync('ip', ['netns', 'del', name]);
  });
  assertPartial(run, 7, 'lab-failure');
  assert.match(run.summary!.interruption!.detail, /network namespace portlab-\S+ was deleted during the run/);
  await assertNothingLeft(run);
});

test('netns lab: SIGKILL leaves its namespace; the next run warns, and lab prune removes it (and only it)', { timeout: 90_000, skip: netnsSkip }, async () => {
  const before = new Set(listPortlabNetns());
  const run = await runWatched([...LOAD, '--lab', 'netns'], signalAfterReady('SIGKILL'));
  // The driver notices its stdin closing and stops; the named namespace stays (it is bind-mounted).
  await waitFor('the orphaned driver to exit', () => stillRunning(run).length === 0, 15_000);
  const left = listPortlabNetns().filter((name) => !before.has(name));
  assert.equal(left.length, 1, `one namespace left: ${left.join(', ')}`);
  const next = await runCli(['run', '--lab', 'userns', '--rate', '10', '--duration', '500ms', '--quiet', '--out', tempDir()]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, new RegExp(`warning: \\d+ network namespace\\(s\\) of runs that are gone \\(.*${left[0]}`));
  const pruned = spawnSync(process.execPath, [BIN, 'lab', 'prune'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.match(pruned.stdout, new RegExp(`removed network namespace ${left[0]}: its run \\(pid \\d+\\) is gone and nothing runs inside it`));
  assert.deepEqual(listPortlabNetns().filter((name) => !before.has(name)), []);
  await assertNothingLeft(run);
});

test('netns lab: lab prune keeps the namespace of a run that is still going, and says why', { timeout: 60_000, skip: netnsSkip }, async () => {
  const before = new Set(listPortlabNetns());
  let pruned = '';
  const run = await runWatched([...LOAD, '--lab', 'netns'], async (pid, _seen, stderr) => {
    await waitFor('the lab to be ready', () => READY.test(stderr()), 30_000);
    pruned = spawnSync(process.execPath, [BIN, 'lab', 'prune'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }).stdout;
    process.kill(pid, 'SIGINT');
  });
  const mine = listPortlabNetns().filter((n) => !before.has(n));
  assert.deepEqual(mine, [], 'the run removed its namespace itself');
  assert.match(pruned, /kept network namespace portlab-\S+: its run \(pid \d+\) is still going/);
  assertPartial(run, 130, 'SIGINT');
});

test('host lab: a target that cannot listen (its port busy) is a target failure: exit 5, a clear message, no stack', { timeout: 30_000 }, async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const { port } = busy.address() as net.AddressInfo;
  try {
    const out = tempDir();
    const result = await runCli(['run', '--lab', 'host', '--ports', String(port), '--rate', '10', '--duration', '1s', '--quiet', '--json', '--out', out]);
    assert.equal(result.code, 5, result.stderr);
    assert.match(result.stderr, new RegExp(`the target could not listen: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(result.stderr, /\n\s+at .*\.js:\d+/, 'no stack trace');
    const summary = runSummarySchema.parse(JSON.parse(result.stdout));
    assert.equal(summary.interruption?.reason, 'target-failure');
    assert.match(summary.diagnosis, /^The target failed: /, 'not "No exhaustion"');
  } finally {
    busy.close();
  }
});

/** The docker engine and lab image, or a skip (a failure in CI, as the other docker tests). */
async function docker(t: TestContext): Promise<Docker | null> {
  const { engineOrSkip } = await import('../lab/docker/engine.js');
  return (await engineOrSkip(t))?.docker ?? null;
}

async function labContainers(engine: Docker): Promise<{ name: string; role?: string; run?: string }[]> {
  const { listLabContainers } = await import('../../src/lab/docker/index.js');
  return listLabContainers(engine);
}

test('docker lab: SIGTERM, a worker crash, a target crash and a lab failure leave no container', { timeout: 240_000 }, async (t) => {
  const engine = await docker(t);
  if (!engine) return;
  const before = new Set((await labContainers(engine)).map((c) => c.name));
  await signalCase('docker', 'SIGTERM');
  await failpointCase('docker', 'worker-crash', 6, 'driver-crash');
  // The target is a container of its own: kill it as the engine would (OOM, a crash).
  const run = await runWatched([...LOAD, '--lab', 'docker'], async (_pid, _seen, stderr) => {
    await waitFor('the lab to be ready', () => READY.test(stderr()), 120_000);
    await sleep(killPointMs());
    const target = (await labContainers(engine)).find((c) => c.role === 'target' && !before.has(c.name));
    assert.ok(target, 'the target container runs');
    await engine.getContainer(target.name).kill();
  });
  assertPartial(run, 5, 'target-failure');
  assert.match(run.summary!.interruption!.detail, /the target container exited/);
  await labFailureCase('docker');
  assert.deepEqual((await labContainers(engine)).filter((c) => !before.has(c.name)), []);
});

test('docker lab: a SIGKILLed run\'s containers stop within seconds (the target notices its run is gone)', { timeout: 180_000 }, async (t) => {
  const engine = await docker(t);
  if (!engine) return;
  const before = new Set((await labContainers(engine)).map((c) => c.name));
  let killedAt = 0;
  await runWatched([...LOAD, '--duration', '60s', '--lab', 'docker'], async (pid, _seen, stderr) => {
    await waitFor('the lab to be ready', () => READY.test(stderr()), 120_000);
    await sleep(killPointMs());
    process.kill(pid, 'SIGKILL');
    killedAt = Date.now();
  });
  const deadline = killedAt + 10_000;
  let left = (await labContainers(engine)).filter((c) => !before.has(c.name));
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = (await labContainers(engine)).filter((c) => !before.has(c.name));
  }
  // Its own lifetime (60 s + 2 min) would keep the target up for minutes: only the lifeline ends it this soon.
  assert.deepEqual(left.map((c) => c.name), [], 'no container of the killed run is left 10 s after SIGKILL');
  t.diagnostic(`containers gone ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL`);
});

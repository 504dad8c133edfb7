/**
 * The nat lab against the real kernel (issue 15's acceptance): held connections beyond the NAT's ports time
 * out at the gateway, churn through a tiny NAT range holds, a second backend port or a second NAT address
 * (for a second client) doubles what connects, and every run leaves no process, namespace or interface.
 * Counts have tolerances; nothing is timed.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { findTool } from '../../src/lab/nat/tools.js';
import { probeUserns } from '../../src/lab/probe.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { tempDir } from '../helpers/cli.js';
import { assertNothingLeft as assertLeftNothing, runWatched as watchRun, type Act, type Watched } from '../helpers/lab-watch.js';
import { assertAccounting } from '../helpers/invariants.js';

const skip = !probeUserns().ok ? 'needs unprivileged user namespaces' : findTool('iptables') === null ? 'needs iptables' : false;
const EXHAUSTION = 'scenarios/nat-exhaustion.yaml';
const CHURN = 'scenarios/nat-churn.yaml';

/** A nat run, quiet; its three namespaces are checked. */
function runWatched(args: string[], act?: Act, env?: NodeJS.ProcessEnv): Promise<Watched> {
  return watchRun([...args, '--quiet'], act, env);
}

function assertNothingLeft(run: Watched, namespaces = 3): Promise<void> {
  return assertLeftNothing(run, namespaces, /pl-nat-/);
}

/** Why a run did not exit 0: its failed expectations, its diagnosis and its stderr. */
function why(run: Watched): string {
  const failed = run.summary?.expectations.filter((e) => !e.pass).map((e) => `${e.name}: ${e.detail}`) ?? [];
  return [...failed, run.summary?.diagnosis ?? '', run.stderr].join('\n');
}

function within(value: number, low: number, high: number, what: string): void {
  assert.ok(value >= low && value <= high, `${what}: ${value} is not within ${low}..${high}`);
}

function assertExhausted(run: Watched, connected: [number, number]): RunSummary {
  assert.equal(run.code, 0, why(run));
  const summary = run.summary!;
  assertAccounting(summary);
  assert.equal(summary.lab.kind, 'nat');
  within(summary.totals.connected, connected[0], connected[1], 'connected');
  assert.ok((summary.totals.errors['ETIMEDOUT'] ?? 0) > 0, 'the rest time out');
  assert.equal(summary.totals.errors['EADDRNOTAVAIL'] ?? 0, 0, 'the clients never see EADDRNOTAVAIL');
  assert.equal(summary.onset?.code, 'ETIMEDOUT');
  const nat = summary.nat!;
  assert.ok((nat.drops['insert_failed'] ?? 0) > 0 && (nat.drops['drop'] ?? 0) > 0, `the gateway's insert_failed and drop rise: ${JSON.stringify(nat.drops)}`);
  assert.equal(nat.verdict, 'exhausted');
  // The gateway's own count of what it held at once, beside the clients' count of what connected.
  const held = Object.values(nat.byDestination).reduce((sum, d) => sum + d.peakHeld, 0);
  within(held, connected[0], connected[1], 'NAT tuples held at the peak');
  assert.match(summary.diagnosis, /The NAT ran out of ports for 198\.18\.1\.2:900[01]/);
  return summary;
}

test('held connections beyond 100 NAT ports: about 100 connect, the rest time out, the gateway drops SYNs', { timeout: 120_000, skip }, async () => {
  const run = await runWatched([EXHAUSTION]);
  const summary = assertExhausted(run, [90, 110]);
  within(summary.nat!.atOnset?.byDestination['198.18.1.2:9000']?.held ?? 0, 90, 100, 'held NAT tuples at the first timeout');
  assert.match(summary.diagnosis, /without --random-fully/);
  await assertNothingLeft(run);
});

test('the same with --random-fully: the same limit, and the diagnosis says which SNAT mode ran', { timeout: 120_000, skip }, async () => {
  const run = await runWatched([EXHAUSTION, '--nat-random-fully']);
  const summary = assertExhausted(run, [90, 110]);
  assert.equal(summary.nat!.randomFully, true);
  assert.match(summary.diagnosis, /SNAT --random-fully/);
  await assertNothingLeft(run);
});

test('a second backend port: about 200 connect through the same 100 NAT ports', { timeout: 120_000, skip }, async () => {
  const run = await runWatched(['scenarios/nat-exhaustion-two-ports.yaml']);
  const summary = assertExhausted(run, [180, 220]);
  for (const d of Object.values(summary.nat!.byDestination)) within(d.connected, 90, 110, 'connected per backend port');
  await assertNothingLeft(run);
});

test('a second NAT address: about 200 for two client addresses, still about 100 for one', { timeout: 180_000, skip }, async () => {
  // Linux hashes (client, destination) to a NAT address without a random seed: these two clients get one each.
  const twoClients = ['--source-addresses', '198.18.0.10,198.18.0.11', '--expect-min-connected', '180', '--expect-max-connections-opened', '220'];
  const two = await runWatched([EXHAUSTION, '--nat-addresses', '2', '--pool-size', '300', ...twoClients]);
  assertExhausted(two, [180, 220]);
  await assertNothingLeft(two);
  const one = await runWatched([EXHAUSTION, '--nat-addresses', '2', '--pool-size', '300']);
  const summary = assertExhausted(one, [90, 110]);
  assert.ok(summary.lab.notes.some((note) => /one NAT address per \(client address, destination address\)/.test(note)));
  await assertNothingLeft(one);
});

for (const randomFully of [false, true]) {
  test(`churn closing first at 100/s for 10 s through 100 NAT ports holds${randomFully ? ' (--random-fully)' : ''}: the NAT reused its TIME_WAIT entries`, { timeout: 120_000, skip }, async () => {
    const run = await runWatched([CHURN, ...(randomFully ? ['--nat-random-fully'] : [])]);
    assert.equal(run.code, 0, why(run));
    const summary = run.summary!;
    assertAccounting(summary);
    assert.deepEqual(summary.totals.errors, {});
    within(summary.totals.connected, 950, 1010, 'connected');
    const nat = summary.nat!;
    assert.equal(nat.verdict, 'reused-time-wait');
    assert.equal((nat.drops['insert_failed'] ?? 0) + (nat.drops['drop'] ?? 0), 0);
    assert.ok(nat.peak.timeWait <= 100, `at most the 100 NAT tuples sat in TIME_WAIT at once (${nat.peak.timeWait})`);
    assert.match(summary.diagnosis, /reused its TIME_WAIT entries/);
    await assertNothingLeft(run);
  });
}

/** Signals the CLI (or, with a negative pid, its group) once the lab's namespaces are up and the load runs. */
function signalOnceUp(signal: NodeJS.Signals, group: boolean) {
  return async (cliPid: number, namespaces: () => number): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (namespaces() < 3 && Date.now() < deadline) await sleep(100);
    await sleep(2000);
    process.kill(group ? -cliPid : cliPid, signal);
  };
}

test('Ctrl-C: exit 130, partial results, and the lab is gone', { timeout: 120_000, skip }, async () => {
  const run = await runWatched([CHURN, '--duration', '60s'], signalOnceUp('SIGINT', true));
  assert.equal(run.code, 130, run.stderr);
  assert.equal(run.summary?.interrupted, true);
  await assertNothingLeft(run);
});

test('a killed orchestrator takes the whole lab with it (PR_SET_PDEATHSIG, stdin closing)', { timeout: 120_000, skip }, async () => {
  const run = await runWatched([CHURN, '--duration', '60s'], signalOnceUp('SIGKILL', false));
  assert.equal(run.summary, null);
  await assertNothingLeft(run);
});

test('a gateway without NAT support: exit 3 with a hint, and nothing left', { timeout: 60_000, skip }, async () => {
  // An iptables that fails as one does where the kernel lacks nf_nat (found first on PATH).
  const bin = tempDir('portlab-fake-iptables-');
  writeFileSync(join(bin, 'iptables'), '#!/bin/sh\necho "iptables: Could not fetch rule set generation id: Invalid argument" >&2\nexit 4\n');
  chmodSync(join(bin, 'iptables'), 0o755);
  const run = await runWatched([EXHAUSTION], undefined, { PATH: `${bin}:${process.env['PATH'] ?? ''}` });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /source NAT/);
  assert.match(run.stderr, /hint: .*iptables/);
  await assertNothingLeft(run, 0);
});

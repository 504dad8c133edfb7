// `portlab run --dry-run` through runCli (the real parser and wiring), with a fake sysctl prober.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DryRunPlan } from '../../src/cli/dry-run.js';
import { runCli } from '../../src/cli/program.js';
import { fakeProber } from '../helpers/sysctl-prober.js';
import { fakeIo } from './fake-io.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'portlab-dry-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SCENARIO = 'name: dry\nduration: 4s\nlab:\n  sysctls:\n    net.ipv4.ip_local_port_range: 40000 40199\nclient: { rate: 100/s }\n';

test('--dry-run prints the plan and exits 0 without making a lab or writing results', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'dry.yaml');
    await writeFile(file, SCENARIO);
    const prober = fakeProber();
    const io = fakeIo({ probeSysctls: prober });
    assert.equal(await runCli(['run', file, '--dry-run', '--out', join(dir, 'results')], io), 0, io.err());
    const out = io.out();
    for (const row of ['lab ', 'sysctls ', 'port range ', 'rate plan ', 'planned ', 'model ']) assert.match(out, new RegExp(`^  ${row}`, 'm'), row);
    assert.match(out, /^ {2}planned +400 connections over 4s$/m);
    assert.match(out, /40000-40199 \(200 ports\)/);
    // 200 ports at 100/s, every one held 60 s in TIME_WAIT: the first failure after 2 s.
    assert.match(out, /the first EADDRNOTAVAIL after ~2 s/);
    assert.equal(prober.calls.length, 1, 'the sysctls were checked');
    assert.deepEqual(await readdir(dir), ['dry.yaml'], 'no results folder');
  });
});

test('--dry-run --json prints the plan as data', async () => {
  const io = fakeIo({ probeSysctls: fakeProber() });
  assert.equal(await runCli(['run', '--dry-run', '--json', '--rate', '0.5', '--duration', '3s', '--workers', '1'], io), 0, io.err());
  const plan = JSON.parse(io.out()) as DryRunPlan;
  assert.equal(plan.dryRun, true);
  assert.equal(plan.scenario.durationMs, 3000);
  assert.equal(plan.plannedStarts, 2);
  assert.deepEqual(plan.portRange, { low: 32768, high: 60999, size: 28232, from: 'kernel default' });
  assert.equal(plan.prediction.onsetMs, null);
});

test('--dry-run of a scenario whose sysctl the kernel refuses: exit 2, located at the flag', async () => {
  const io = fakeIo({ probeSysctls: fakeProber({ 'net.ipv4.tcp_tw_reuse': { status: 'refused', code: 'EINVAL' } }) });
  assert.equal(await runCli(['run', '--dry-run', '--rate', '5', '--duration', '1s', '--tw-reuse', '7'], io), 2);
  assert.match(io.err(), /^--tw-reuse: lab\.sysctls\.net\.ipv4\.tcp_tw_reuse: /m);
  assert.equal(io.out(), '');
});

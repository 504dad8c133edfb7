/**
 * The acceptance checks of `portlab doctor` (issue 14), as a user runs them, against real namespaces:
 * - a still namespace holding known sockets: doctor's counts equal `ss` exactly, the busiest destination is
 *   right, and the level and exit code follow the utilization;
 * - a churn at a known rate in a lab: doctor measures the rate within 10%, predicts the onset, and its
 *   emitted scenario, run with `portlab run`, exhausts at the predicted scaled time within 15%.
 * Tolerances, not exact timings: the kernel and this shared machine vary.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmittedScenario } from '../../src/doctor/emit-scenario.js';
import type { DoctorReport } from '../../src/doctor/types.js';
import { probeNetns, probeUserns } from '../../src/lab/probe.js';
import { ROOT, runCli, runJson, startCli, tempDir } from '../helpers/cli.js';
import { parsePrometheusText, sampleOf } from '../helpers/prometheus.js';
import { parseSsTan } from '../sampler/fixtures.js';

const HOLDER = join(ROOT, 'dist', 'test', 'doctor', 'hold-sockets.js');
const NETNS = `portlab-doctortest-${process.pid}`;

async function doctor(args: string[]): Promise<{ code: number | null; report: DoctorReport; stderr: string }> {
  const result = await runCli(['doctor', '--json', '--window', '200ms', ...args], { timeoutMs: 30_000 });
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport, stderr: result.stderr };
  } catch {
    throw new Error(`no JSON report (exit ${result.code}); stderr:\n${result.stderr}`);
  }
}

function ssCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of parseSsTan(text)) counts[row.state] = (counts[row.state] ?? 0) + 1;
  return counts;
}

/** Waits for the holder's ready line; rejects if it dies first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('"ready":true')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
  });
}

const root = probeNetns();

test('a still namespace: counts equal ss, the busiest tuple, and levels and exit codes follow utilization', { skip: root.ok ? false : root.reason, timeout: 60_000 }, async () => {
  execFileSync('ip', ['netns', 'add', NETNS]);
  let holder: ChildProcess | undefined;
  try {
    execFileSync('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
    // 92 of the 100 ports of 40000-40099 in TIME_WAIT toward 127.0.0.1:9000: 92%.
    holder = spawn('ip', ['netns', 'exec', NETNS, process.execPath, HOLDER, '92', '4', '5', '3'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await ready(holder);
    const ss = ssCounts(execFileSync('ip', ['netns', 'exec', NETNS, 'ss', '-tan'], { encoding: 'utf8' }));
    assert.deepEqual(ss, { LISTEN: 4, TIME_WAIT: 96, ESTABLISHED: 10, CLOSE_WAIT: 3, FIN_WAIT2: 3 });

    const critical = await doctor(['--netns', NETNS]);
    assert.deepEqual(critical.report.sockets.byState, ss);
    assert.equal(critical.report.timeWait.client, 96);
    assert.equal(critical.report.timeWait.server, 0);
    assert.deepEqual(critical.report.timeWait.byDestination, [
      { destination: '127.0.0.1:9000', timeWait: 92 },
      { destination: '[::1]:9000', timeWait: 4 },
    ]);
    const [busiest] = critical.report.tuples;
    assert.equal(`${busiest!.source} -> ${busiest!.destination}`, '127.0.0.1 -> 127.0.0.1:9000');
    assert.equal(busiest!.portsInUse, 92);
    assert.equal(critical.report.tuples.find((t) => t.destination === '127.0.0.1:9001')!.established, 5);
    assert.equal(critical.report.tuples.find((t) => t.destination === '127.0.0.1:9002')!.closeWait, 3);
    assert.equal(critical.report.level, 'critical');
    assert.equal(critical.code, 11);

    // The same namespace through the holder's pid.
    const byPid = await doctor(['--pid', String(holder.pid)]);
    assert.deepEqual(byPid.report.sockets.byState, ss);
    assert.equal(byPid.report.target.kind, 'pid');

    // Widen the range under the held sockets: 92 of 120 (77%), then of 300 (31%).
    for (const [range, level, code] of [
      ['40000 40119', 'warning', 10],
      ['40000 40299', 'ok', 0],
    ] as const) {
      execFileSync('ip', ['netns', 'exec', NETNS, 'sh', '-c', `echo "${range}" > /proc/sys/net/ipv4/ip_local_port_range`]);
      const result = await doctor(['--netns', NETNS]);
      assert.equal(result.report.tuples[0]!.portsInUse, 92);
      assert.equal(result.report.level, level, `range ${range}`);
      assert.equal(result.code, code, `range ${range}`);
    }

    const prometheus = await runCli(['doctor', '--netns', NETNS, '--format', 'prometheus', '--window', '200ms'], { timeoutMs: 30_000 });
    const families = parsePrometheusText(prometheus.stdout);
    assert.equal(sampleOf(families, 'portlab_tcp_sockets', { state: 'time_wait' }).value, 96);
    assert.equal(sampleOf(families, 'portlab_tuple_ports_in_use', { destination: '127.0.0.1:9000' }).value, 92);
  } finally {
    holder?.stdin?.end();
    holder?.kill();
    execFileSync('ip', ['netns', 'del', NETNS]);
  }
});

/** The pid of the run's driver: the CLI's child in another network namespace. */
async function driverPid(cliPid: number): Promise<number> {
  const own = statSync('/proc/self/ns/net').ino;
  for (let i = 0; i < 200; i++) {
    let children: number[] = [];
    try {
      children = execFileSync('pgrep', ['-P', String(cliPid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      // no child yet
    }
    for (const pid of children) {
      try {
        if (statSync(`/proc/${pid}/ns/net`).ino !== own && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('driver')) return pid;
      } catch {
        // gone, or not entered yet
      }
    }
    await sleep(50);
  }
  throw new Error('the run did not start its driver');
}

const userns = probeUserns();

test('a churn at 100/s on 2,000 ports: rate within 10%, onset predicted, the emitted scenario exhausts on time', { skip: userns.ok ? false : userns.reason, timeout: 120_000 }, async (t) => {
  // 2,000 ports / 100/s: the live load runs out after 20 s.
  const out = tempDir();
  const live = startCli(['run', '--lab', 'userns', '--port-range', '40000-41999', '--tw-reuse', '0', '--rate', '100', '--duration', '23s', '--json', '--out', out]);
  const pid = await driverPid(live.child.pid!);
  await sleep(4000);
  const file = join(tempDir('portlab-doctor-'), 'emitted.yaml');
  const before = Date.now();
  const result = await runCli(['doctor', '--pid', String(pid), '--json', '--window', '1s', '--emit-scenario', file], { timeoutMs: 30_000 });
  const { emittedScenario: emitted, ...report } = JSON.parse(result.stdout) as DoctorReport & { emittedScenario: EmittedScenario };
  const liveResult = await live.result;
  const summary = JSON.parse(liveResult.stdout) as { startedAt: string; onset: { atMs: number } | null };

  const [busiest] = report.tuples;
  assert.equal(busiest!.destination, '127.0.0.1:9000');
  assert.ok(Math.abs(busiest!.newPerSec - 100) <= 10, `client closes measured at ${busiest!.newPerSec}/s`);
  assert.ok(Math.abs(report.rates.newConnectionsPerSec - 100) <= 10, `ActiveOpens measured at ${report.rates.newConnectionsPerSec}/s`);
  assert.ok(summary.onset, 'the live load ran out');
  // From an empty tuple: 2,000 / the measured rate, against the run's own onset.
  assert.ok(Math.abs(emitted.live.onsetFromEmptyMs! - summary.onset.atMs) <= 0.1 * summary.onset.atMs, `predicted ${emitted.live.onsetFromEmptyMs} ms from the start, ran out at ${summary.onset.atMs} ms`);
  // From the reading: the run started a little after startedAt (lab, driver), so allow a second more.
  const predictedAt = Date.parse(report.takenAt) + busiest!.exhaustsInMs!;
  const ranOutAt = Date.parse(summary.startedAt) + summary.onset.atMs;
  assert.ok(Math.abs(predictedAt - ranOutAt) <= 0.1 * (ranOutAt - before) + 1000, `predicted ${predictedAt - before} ms after the reading, ran out ${ranOutAt - before} ms after`);

  // 20 s live becomes about 10 s in the lab.
  assert.ok(Math.abs(emitted.scale - 2) <= 0.2, `scale ${emitted.scale}`);
  assert.ok(emitted.predictedOnsetMs! > 9000 && emitted.predictedOnsetMs! < 11_000, `predicted ${emitted.predictedOnsetMs}`);
  const replay = await runJson([file], { timeoutMs: 60_000 });
  assert.ok(replay.summary.onset, `the replay ran out: ${replay.summary.diagnosis}`);
  t.diagnostic(
    `measured ${busiest!.newPerSec.toFixed(1)}/s (ActiveOpens ${report.rates.newConnectionsPerSec.toFixed(1)}/s); onset from start predicted ` +
      `${emitted.live.onsetFromEmptyMs!.toFixed(0)} ms, live ${summary.onset.atMs} ms; from the reading predicted ${predictedAt - before} ms, ` +
      `ran out ${ranOutAt - before} ms; replay x${emitted.scale} predicted ${emitted.predictedOnsetMs} ms, ran out ${replay.summary.onset.atMs} ms`,
  );
  const error = Math.abs(replay.summary.onset.atMs - emitted.predictedOnsetMs!) / emitted.predictedOnsetMs!;
  assert.ok(error <= 0.15, `replay ran out at ${replay.summary.onset.atMs} ms, predicted ${emitted.predictedOnsetMs} ms`);
  assert.equal(replay.summary.pass, true, JSON.stringify(replay.summary.expectations));
});

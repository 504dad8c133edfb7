/**
 * The sock_diag netlink reader against the real kernel, in a throwaway user + network namespace holding
 * known sockets: entered through setns from this process, it lists exactly what `ss` and /proc list there;
 * the kernel's state filter returns only the asked states; and where netlink is refused (no CAP_SYS_ADMIN)
 * doctor reads /proc and says why, or fails with --reader netlink.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { openNamespace } from '../../src/doctor/namespace.js';
import { openSocketReader, readProcTable } from '../../src/doctor/socket-reader.js';
import { probeUserns } from '../../src/lab/probe.js';
import { openSockDiag } from '../../src/sampler/sock-diag.js';
import { stateBit } from '../../src/sampler/sock-diag-parse.js';
import { censusOfRows, censusOfSockets } from '../../src/sampler/socket-census.js';
import { tcpStateName } from '../../src/sampler/tcp-state.js';
import { readProcText } from '../../src/util/read-proc.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { parseSsTan } from '../sampler/fixtures.js';
import type { DoctorReport } from '../../src/doctor/types.js';
import { startHolder } from './holder.js';

const RANGE = { low: 40000, high: 40099 };
const userns = probeUserns();
const USERNS = ['unshare', '--user', '--map-root-user', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'];

test('netlink in another namespace: the same sockets as ss and /proc, and the kernel filters by state', { skip: userns.ok ? false : userns.reason, timeout: 60_000 }, async () => {
  const holder = await startHolder(USERNS, [6, 4, 3, 2]);
  const source = await openNamespace({ pid: holder.pid });
  try {
    const ss = parseSsTan(execFileSync('nsenter', ['-t', String(holder.pid), '-U', '-n', '--preserve-credentials', 'ss', '-tan'], { encoding: 'utf8' }));
    const reader = await openSocketReader(source, 'netlink', readProcText);
    const table = reader.read();
    reader.close();
    assert.equal(table.reader.name, 'netlink');
    assert.ok(table.rows);
    const fromNetlink: string[] = [];
    for (let i = 0; i < table.rows.count; i++) fromNetlink.push(`${tcpStateName(table.rows.state[i]!)} ${table.rows.localPort[i]}>${table.rows.remotePort[i]}`);
    assert.deepEqual(fromNetlink.sort(), ss.map((r) => `${r.state} ${r.localPort}>${r.remotePort}`).sort());

    const proc = readProcTable(source.procNetDir, readProcText);
    const byNetlink = censusOfRows(table.rows, { ephemeral: RANGE });
    const byProc = censusOfSockets(proc.tcp, proc.tcp6, { ephemeral: RANGE });
    assert.deepEqual(byNetlink.byState, byProc.byState);
    assert.deepEqual(byNetlink.client, byProc.client);
    assert.equal(byNetlink.tuples.length, byProc.tuples.length);

    // TIME_WAIT only, filtered in the kernel: the 10 of them and nothing else.
    const opened = await openSockDiag(source.nsFile);
    assert.ok(opened.ok, opened.ok ? '' : opened.reason);
    const timeWait = opened.diag.dump(stateBit(6));
    opened.diag.close();
    assert.equal(timeWait.count, 10);
    assert.ok(Array.from(timeWait.state.subarray(0, timeWait.count)).every((s) => s === 6));
  } finally {
    source.close();
    holder.stop();
  }
});

test('netlink refused (no CAP_SYS_ADMIN for setns): auto reads /proc and says why; --reader netlink fails', { skip: userns.ok ? false : userns.reason, timeout: 60_000 }, async () => {
  const holder = await startHolder(USERNS, [2, 0, 1, 0]);
  try {
    // The same root user without CAP_SYS_ADMIN: /proc/PID/net stays readable, setns() is refused.
    const dropped = ['--inh-caps=-sys_admin', '--bounding-set=-sys_admin'];
    const doctorArgs = ['doctor', '--pid', String(holder.pid), '--json', '--window', '100ms'];
    const run = (extra: string[]) => spawnSync('setpriv', [...dropped, process.execPath, BIN, ...doctorArgs, ...extra], { encoding: 'utf8', timeout: 30_000 });
    const auto = run([]);
    const report = JSON.parse(auto.stdout) as DoctorReport;
    assert.equal(report.reader.name, 'proc');
    assert.match(report.reader.note ?? '', /netlink unavailable: setns .*EPERM/);
    assert.equal(report.sockets.byState.TIME_WAIT, 2);
    const strict = run(['--reader', 'netlink']);
    assert.equal(strict.status, 3, strict.stderr);
    assert.match(strict.stderr, /--reader netlink: setns .*EPERM/);
    assert.doesNotMatch(strict.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    holder.stop();
  }
});

test('without koffi: auto reads /proc and says so; --reader netlink fails with the reason', () => {
  const run = (extra: string[]) =>
    spawnSync(process.execPath, ['--import', join(ROOT, 'dist', 'test', 'doctor', 'without-koffi.js'), BIN, 'doctor', '--window', '100ms', ...extra], { encoding: 'utf8', timeout: 30_000 });
  const auto = run(['--json']);
  const report = JSON.parse(auto.stdout) as DoctorReport;
  assert.equal(report.reader.name, 'proc');
  assert.match(report.reader.note ?? '', /netlink unavailable: koffi is not available \(Cannot find package 'koffi'\)/);
  const terminal = run([]);
  assert.match(terminal.stdout, /via \/proc\/net\/tcp \(netlink unavailable: koffi is not available/);
  const strict = run(['--reader', 'netlink']);
  assert.equal(strict.status, 3, strict.stderr);
  assert.match(strict.stderr, /--reader netlink: koffi is not available/);
});

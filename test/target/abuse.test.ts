/**
 * The bundled target under abuse (issue 13), in a user + network namespace so every packet stays on the
 * lab's loopback: clients that send garbage, send nothing, half-close or stop mid-request, one that sends
 * requests and never reads the answers, 10,000 idle connections, and a second target whose accept() fails
 * with EMFILE (its own limit: 128 files). After each, a well-behaved client must still be answered, the
 * non-reader must be stopped by TCP backpressure instead of growing the target's memory, and both targets must live.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readFileLimit } from '../../src/util/file-limit.js';
import { IDLE_CONNECTIONS, type AbuseReport } from './fixtures/abuse-lab.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/abuse-lab.js', import.meta.url));
/** Each side holds the 10,000 idle connections plus the abusers (~700) and its own files. */
const FILES_NEEDED = IDLE_CONNECTIONS + 1500;

function abuse(protocol: 'tcp' | 'http'): AbuseReport {
  // The namespace's root may raise its soft limit to the hard one; both the client and the target inherit it.
  const script = 'ip link set lo up && ulimit -n "$(ulimit -Hn)" && exec "$0" "$1" "$2"';
  const child = spawnSync('unshare', ['--user', '--map-root-user', '--net', '--', 'sh', '-c', script, process.execPath, FIXTURE, protocol], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(child.status, 0, `abuse lab exit ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as AbuseReport;
}

const hard = readFileLimit()?.hard ?? 0;
const skip = hard < FILES_NEEDED ? `the open-file hard limit (${hard}) is below the ${FILES_NEEDED} files 10,000 connections take` : false;

for (const protocol of ['tcp', 'http'] as const) {
  test(`the ${protocol} target keeps serving under abuse and holds 10,000 idle connections`, { timeout: 300_000, skip }, () => {
    const report = abuse(protocol);
    assert.deepEqual(report.served, { garbage: true, silent: true, 'half-open': true, 'non-reader': true, '10k idle': true });
    assert.equal(report.idleHeld, IDLE_CONNECTIONS);
    // 32 MB of 2-byte requests owe 256 MB of answers; a target that reads on without backpressure keeps them.
    assert.ok(report.blastGrowthKb < 64 * 1024, `the target grew by ${report.blastGrowthKb} kB for a client that never reads`);
    assert.equal(report.emfileTargetServed, true, 'the target whose accept() failed with EMFILE still answers');
    assert.equal(report.alive, true, 'both targets still run');
  });
}

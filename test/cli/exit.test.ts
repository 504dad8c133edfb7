// The exit codes are a fixed contract (design.md): the table in errors/, what runs give, what --help says and
// what the README says must all be these numbers, written out here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exitCodeOf } from '../../src/cli/exit.js';
import { runCli } from '../../src/cli/program.js';
import { EXIT } from '../../src/errors/index.js';
import { REPO_ROOT } from '../report/fixture.js';
import { fakeIo } from './fake-io.js';
import type { RunSummary } from '../../src/metrics/types.js';

/** A run's codes; `portlab doctor` adds 10 (warning) and 11 (critical). */
const RUN = [0, 1, 2, 3, 4, 5, 6, 7, 129, 130, 143];
const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 129, 130, 143];

test('the EXIT table', () => {
  assert.deepEqual(
    { ...EXIT },
    {
      OK: 0, EXPECTATION_FAILED: 1, BAD_INPUT: 2, LAB_UNAVAILABLE: 3, INTERNAL: 4, TARGET_FAILED: 5, DRIVER_CRASHED: 6, LAB_LOST: 7,
      DOCTOR_WARNING: 10, DOCTOR_CRITICAL: 11, PARENT_GONE: 129, INTERRUPTED: 130, TERMINATED: 143,
    },
  );
});

/** The codes an epilogue lists, in order, from `--help` text (wrapped or not). */
async function epilogueCodes(args: string[]): Promise<number[]> {
  const io = fakeIo();
  assert.equal(await runCli([...args, '--help'], io), 0);
  const text = io.out().replace(/\s+/g, ' ');
  const match = /Exit codes: (.*?)\.(?: |$)/.exec(text);
  assert.ok(match, `no exit codes in ${args.join(' ')} --help`);
  return match[1]!.split(', ').map((item) => Number(/^\d+/.exec(item)?.[0]));
}

test('--help lists the codes each command can give', async () => {
  assert.deepEqual(await epilogueCodes([]), ALL);
  assert.deepEqual(await epilogueCodes(['run']), RUN);
  assert.deepEqual(await epilogueCodes(['demo']), RUN);
  assert.deepEqual(await epilogueCodes(['compare']), RUN);
  assert.deepEqual(await epilogueCodes(['doctor']), [0, 2, 3, 10, 11]);
  for (const command of ['validate', 'predict', 'report']) assert.deepEqual(await epilogueCodes([command]), [0, 2], command);
});

test('the main epilogue reads as the table', async () => {
  const io = fakeIo();
  await runCli(['--help'], io);
  assert.match(
    io.out().replace(/\s+/g, ' '),
    /Exit codes: 0 ok, 1 an expectation failed, 2 bad input \(scenario file or flags\), 3 the lab could not be created, 4 internal error, 5 the target failed \(partial results written\), 6 the driver crashed \(partial results written\), 7 the lab failed during the run \(partial results written\), 10 doctor: a warning \(a tuple at 70% of its ports or more\), 11 doctor: critical \(a tuple at 90% of its ports or more\), 129 the process that started portlab went away \(partial results written\), 130 interrupted by Ctrl-C \(partial results written\), 143 stopped by SIGTERM \(partial results written\)\./,
  );
});

test('the README table lists the same codes', () => {
  const readme = readFileSync(new URL('README.md', REPO_ROOT), 'utf8');
  const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1));
  assert.deepEqual([...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])), ALL);
});

test('a run exits 0 or 1, or by why it was cut short', () => {
  assert.equal(exitCodeOf({ interrupted: false, pass: true }), 0);
  assert.equal(exitCodeOf({ interrupted: false, pass: false }), 1);
  assert.equal(exitCodeOf({ interrupted: true, pass: true }), 130, 'a summary older than the interruption field');
  assert.equal(exitCodeOf({ interrupted: true, pass: false }), 130);
  const cut = (reason: NonNullable<RunSummary['interruption']>['reason']): number => exitCodeOf({ interrupted: true, pass: true, interruption: { reason, detail: '' } });
  assert.deepEqual(
    (['SIGINT', 'SIGTERM', 'parent-exit', 'target-failure', 'driver-crash', 'lab-failure'] as const).map(cut),
    [130, 143, 129, 5, 6, 7],
  );
});

test('usage errors exit 2, with the message on stderr', async () => {
  for (const args of [['predict', '--rate', '0'], ['predict', '--rate', '5', '--no-such-flag'], ['prdict'], [], ['run', '--rate', '1', '--workers', 'two']]) {
    const io = fakeIo();
    assert.equal(await runCli(args, io), 2, args.join(' '));
    assert.match(io.err(), /^portlab: /, args.join(' '));
  }
});

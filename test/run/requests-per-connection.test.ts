/**
 * client.requestsPerConnection: 0 connects and closes at once (a pure connect-rate load), N exchanges N
 * requests on each connection before the close. Run in the userns lab like a user would.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkScenarioFromFlags } from '../../src/config/loader.js';
import { runJson } from '../helpers/cli.js';
import { assertAccounting } from '../helpers/invariants.js';

const BASE = ['--lab', 'userns', '--rate', '200', '--duration', '1s', '--workers', '2'];

test('requestsPerConnection 0 with reset: every start connects, no request is sent, no TIME_WAIT', { timeout: 60_000 }, async () => {
  const { summary } = await runJson([...BASE, '--close', 'reset', '--requests-per-connection', '0']);
  assert.deepEqual(summary.totals.errors, {});
  assert.ok(summary.totals.connected >= 195, `connected ${summary.totals.connected} of 200`);
  assert.equal(summary.totals.requests, 0);
  assert.equal(summary.peak.clientTimeWait, 0);
  assertAccounting(summary);
});

test('requestsPerConnection 0 with client close: the client still closes first and keeps TIME_WAIT', { timeout: 60_000 }, async () => {
  const { summary } = await runJson([...BASE, '--close', 'client', '--requests-per-connection', '0', '--tw-reuse', '0']);
  assert.equal(summary.totals.requests, 0);
  assert.ok(summary.peak.clientTimeWait >= 150, `client TIME_WAIT ${summary.peak.clientTimeWait}`);
  assertAccounting(summary);
});

test('requestsPerConnection 3: three request/response exchanges per connection', { timeout: 60_000 }, async () => {
  const { summary } = await runJson([...BASE, '--close', 'reset', '--requests-per-connection', '3']);
  assert.deepEqual(summary.totals.errors, {});
  assert.deepEqual(summary.totals.requestErrors, {});
  assert.ok(summary.totals.connected >= 195, `connected ${summary.totals.connected}`);
  assert.equal(summary.totals.requests, 3 * summary.totals.connected);
  assertAccounting(summary);
});

test('close server needs exactly one request per connection', () => {
  const problemsFor = (n: string) =>
    checkScenarioFromFlags([
      { path: ['duration'], value: '1s', flag: '--duration' },
      { path: ['client', 'rate'], value: '10', flag: '--rate' },
      { path: ['client', 'close'], value: 'server', flag: '--close' },
      { path: ['client', 'requestsPerConnection'], value: Number(n), flag: '--requests-per-connection' },
    ]).problems.filter((p) => p.severity === 'error');
  assert.deepEqual(problemsFor('1'), []);
  for (const n of ['0', '2']) {
    const problems = problemsFor(n);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0]!.path, ['client', 'requestsPerConnection']);
  }
});

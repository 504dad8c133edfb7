/**
 * Issue 13: a client TIME_WAIT gate must see the run's last state. 49 connections, each closed by the client
 * (49 client TIME_WAIT that live 60 s), all made after the last periodic /proc read: the sampler reads every
 * 2 s here, so its only periodic read comes as the load starts, as a one-second /proc/net/tcp sample misses
 * what the load's last second left. Before the final read the peak was that start's (0 or 1) and
 * `maxClientTimeWait: 45` passed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runJson, tempDir } from '../helpers/cli.js';

const SCENARIO = `name: final-sample
duration: 1s
lab:
  kind: userns
  sysctls: { net.ipv4.ip_local_port_range: 40000 40199, net.ipv4.tcp_tw_reuse: 0 }
client:
  pattern: churn
  close: client
  rate: 49/s
sampler: { sockstatInterval: 2s, tcpInterval: 2s, reportInterval: 1s }
expect: { maxClientTimeWait: 45 }
`;

test('49 client TIME_WAIT at the end fail maxClientTimeWait: 45, seen by the final read', { timeout: 60_000 }, async () => {
  const file = join(tempDir(), 'final-sample.yaml');
  writeFileSync(file, SCENARIO);
  const { code, summary } = await runJson([file]);
  assert.equal(summary.totals.connected, 49, `49/s for 1 s: ${JSON.stringify(summary.totals)}`);
  // Every connection closed by the client sits in TIME_WAIT for 60 s: the end state holds all of them.
  assert.equal(summary.peak.clientTimeWait, summary.totals.connected);
  assert.deepEqual(
    summary.expectations.map((e) => [e.name, e.pass]),
    [['maxClientTimeWait', false]],
  );
  assert.equal(code, 1);
  assert.equal(summary.final?.clientTimeWait, summary.totals.connected, 'the summary carries the end state');
});

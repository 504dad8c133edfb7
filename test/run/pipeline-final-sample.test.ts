/**
 * The end state read as the load stops (the sampler's final reads, sent in 'done') counts for peaks and
 * gates: the issue-13 case, 49 sockets in TIME_WAIT at the end while the last interval's one-second
 * /proc/net/tcp sample had seen 40, must fail `maxClientTimeWait: 45`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finalStateOf } from '../../src/driver/interval.js';
import { emptyTcpCounts } from '../../src/sampler/classify-tcp.js';
import { TIME_WAIT_COUNTERS } from '../../src/sampler/parse-netstat.js';
import type { SockstatSample, TcpSample } from '../../src/sampler/samples.js';
import { labScenario, summaryOf, type DriverStory } from '../helpers/driver-events.js';

function story(withFinal: boolean): DriverStory {
  return {
    scenario: labScenario('final-sample', '{ rate: 49/s }', { duration: '1s', more: 'expect: { maxClientTimeWait: 45 }\nsampler: { reportInterval: 1s }' }),
    ticks: [{ connected: 49, clientTimeWait: 40, portsInUse: 40 }],
    ...(withFinal && { final: { tMs: 1003, timeWait: 49, clientTimeWait: 49, serverTimeWait: 0, established: 0, portsInUse: 49 } }),
  };
}

test('the final sample raises the peak and fails a gate the last interval alone passed', () => {
  const summary = summaryOf(story(true));
  assert.equal(summary.peak.clientTimeWait, 49);
  assert.equal(summary.peak.timeWait, 49);
  assert.equal(summary.peak.portsInUse, 49);
  assert.deepEqual(summary.final, { tMs: 1003, timeWait: 49, clientTimeWait: 49, serverTimeWait: 0, established: 0, portsInUse: 49 });
  assert.deepEqual(summary.expectations, [{ name: 'maxClientTimeWait', pass: false, detail: 'peak client TIME_WAIT 49 (expected <= 45)' }]);
  assert.equal(summary.pass, false);
});

test('without a final sample (a driver that predates it) the intervals and onset still make the peak', () => {
  const summary = summaryOf(story(false));
  assert.equal(summary.peak.clientTimeWait, 40);
  assert.equal(summary.final, undefined);
  assert.equal(summary.pass, true);
});

test('a final state lower than an earlier interval does not lower the peak', () => {
  const summary = summaryOf({ ...story(true), final: { tMs: 1003, timeWait: 3, clientTimeWait: 3, serverTimeWait: 0, established: 0, portsInUse: 3 } });
  assert.equal(summary.peak.clientTimeWait, 40);
});

const tcp = (tMs: number, clientTimeWait: number): TcpSample => ({
  ...emptyTcpCounts(),
  type: 'tcp',
  tMs,
  costMs: 0,
  final: true,
  netstat: Object.fromEntries(TIME_WAIT_COUNTERS.map((name) => [name, 0])) as TcpSample['netstat'],
  timeWait: clientTimeWait,
  clientTimeWait,
  portsInUse: clientTimeWait,
});
const sockstat = (tMs: number, timeWait: number): SockstatSample => ({ type: 'sockstat', tMs, costMs: 0, final: true, tcpInUse: 0, tcpOrphan: 0, timeWait, tcpAlloc: 0, tcpMemPages: 0 });

test('finalStateOf: sockstat gives the exact TIME_WAIT total, the table the roles; no table, no end state', () => {
  assert.deepEqual(finalStateOf(sockstat(1001, 52), tcp(1002, 49)), { tMs: 1002, timeWait: 52, clientTimeWait: 49, serverTimeWait: 0, established: 0, portsInUse: 49 });
  assert.equal(finalStateOf(null, tcp(1002, 49))?.timeWait, 49, 'the table stands in for a failed sockstat read');
  assert.equal(finalStateOf(sockstat(1001, 52), null), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netstatDelta, parseNetstat, pickCounters, TIME_WAIT_COUNTERS } from '../../src/sampler/parse-netstat.js';
import { readFixture } from './fixtures.js';

test('every section of the fixture is parsed, names paired with values', () => {
  const text = readFixture('mixed-v4v6', 'netstat');
  const parsed = parseNetstat(text);
  const headers = text.split('\n').filter((_, i) => i % 2 === 0 && _ !== '');
  assert.deepEqual(Object.keys(parsed), headers.map((h) => h.split(':')[0]));
  assert.equal(parsed.TcpExt!.TW, 21, '21 TIME_WAIT sockets were created');
  assert.equal(parsed.TcpExt!.TWRecycled, 0);
  assert.equal(parsed.IpExt!.InOctets, 5452);
  assert.equal(Object.keys(parsed.TcpExt!).length, headers[0]!.trim().split(/\s+/).length - 1);
});

test('deltas over the exhausted run: 20 TIME_WAIT created, none recycled (tw_reuse 0)', () => {
  const before = parseNetstat(readFixture('exhausted-v4', 'netstat.before'));
  const after = parseNetstat(readFixture('exhausted-v4', 'netstat'));
  const delta = netstatDelta(before, after, TIME_WAIT_COUNTERS);
  assert.deepEqual(delta, { TW: 20, TWRecycled: 0, TWKilled: 0, TCPTimeWaitOverflow: 0, PAWSTimewait: 0, TCPACKSkippedTimeWait: 0 });
  assert.equal(netstatDelta(before, after, ['InOctets'], 'IpExt').InOctets > 0, true);
});

test('counters this kernel lacks read as 0 so every sample has the same keys', () => {
  const parsed = parseNetstat('TcpExt: TW\nTcpExt: 5\n');
  assert.deepEqual(pickCounters(parsed, ['TW', 'NoSuchCounter']), { TW: 5, NoSuchCounter: 0 });
  assert.deepEqual(netstatDelta({}, parsed, ['TW']), { TW: 5 });
});

test('misaligned sections throw INTERNAL', () => {
  assert.throws(() => parseNetstat('TcpExt: TW TWKilled\nTcpExt: 1\n'), { code: 'INTERNAL' });
  assert.throws(() => parseNetstat('TcpExt: TW\nIpExt: 1\n'), { code: 'INTERNAL' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSockstat } from '../../src/sampler/parse-sockstat.js';
import { readFixture } from './fixtures.js';

test('mixed fixture: the TCP line, tw counting IPv4 and IPv6 together', () => {
  assert.deepEqual(parseSockstat(readFixture('mixed-v4v6', 'sockstat')), {
    tcpInUse: 19,
    tcpOrphan: 0,
    timeWait: 21,
    tcpAlloc: 33,
    tcpMemPages: 267,
  });
});

test('exhausted fixture: tw equals the 20 ports of the range', () => {
  assert.equal(parseSockstat(readFixture('exhausted-v4', 'sockstat')).timeWait, 20);
});

test('the TCP line may come first, and unknown keys are ignored', () => {
  const parsed = parseSockstat('TCP: inuse 3 orphan 1 tw 7 alloc 9 mem 2 future 5\nUDP: inuse 0 mem 0');
  assert.equal(parsed.timeWait, 7);
  assert.equal(parsed.tcpOrphan, 1);
});

test('no TCP line, or no tw, throws INTERNAL; sockstat6 is not mistaken for it', () => {
  assert.throws(() => parseSockstat(readFixture('mixed-v4v6', 'sockstat6')), { code: 'INTERNAL' });
  assert.throws(() => parseSockstat('sockets: used 1\nTCP: inuse 1 orphan 0\n'), { code: 'INTERNAL' });
  assert.throws(() => parseSockstat(''), { code: 'INTERNAL' });
});

test('the live /proc/net/sockstat parses', () => {
  const parsed = parseSockstat(readFileSync('/proc/net/sockstat', 'utf8'));
  assert.ok(Number.isInteger(parsed.timeWait) && parsed.timeWait >= 0);
});

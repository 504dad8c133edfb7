import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConntrack, parseConntrackLine } from '../../src/sampler/parse-conntrack.js';
import { summarizeConntrack } from '../../src/sampler/classify-conntrack.js';
import { conntrackStatDelta, parseConntrackStat } from '../../src/sampler/parse-conntrack-stat.js';
import { readFixture } from './fixtures.js';

test('a NATed TIME_WAIT entry: original and reply tuples, the NAT port in the reply', () => {
  const line = readFixture('nat-gateway', 'nf_conntrack').split('\n')[0]!;
  assert.deepEqual(parseConntrackLine(line), {
    family: 'ipv4',
    protocol: 'tcp',
    timeoutSec: 118,
    state: 'TIME_WAIT',
    original: { src: '198.18.0.2', dst: '198.18.1.2', sport: 52864, dport: 9000 },
    reply: { src: '198.18.1.2', dst: '198.18.1.101', sport: 9000, dport: 40008 },
    assured: true,
    unreplied: false,
  });
});

test('an unanswered SYN is SYN_SENT and [UNREPLIED], its reply tuple still parsed', () => {
  const entries = parseConntrack(readFixture('nat-gateway', 'nf_conntrack'));
  const unanswered = entries.filter((e) => e.unreplied);
  assert.equal(unanswered.length, 1);
  assert.equal(unanswered[0]!.state, 'SYN_SENT');
  assert.deepEqual(unanswered[0]!.original, { src: '198.18.0.2', dst: '198.18.1.3', sport: 50194, dport: 9000 });
  assert.deepEqual(unanswered[0]!.reply, { src: '198.18.1.3', dst: '198.18.1.101', sport: 9000, dport: 40009 });
});

test('the gateway fixture by state and destination: 9001 holds all 10 NAT ports, 9000 holds 3 and 4 are takeable', () => {
  const summary = summarizeConntrack(parseConntrack(readFixture('nat-gateway', 'nf_conntrack')));
  assert.equal(summary.total, 18);
  assert.deepEqual(summary.byState, { TIME_WAIT: 4, ESTABLISHED: 13, SYN_SENT: 1 });
  assert.equal(summary.held, 14);
  assert.equal(summary.timeWait, 4);
  assert.deepEqual(summary.byDestination, {
    '198.18.1.2:9000': { entries: 7, held: 3, timeWait: 4, unreplied: 0 },
    '198.18.1.2:9001': { entries: 10, held: 10, timeWait: 0, unreplied: 0 },
    '198.18.1.3:9000': { entries: 1, held: 1, timeWait: 0, unreplied: 1 },
  });
});

test('each held connection to one destination has its own NAT port', () => {
  const entries = parseConntrack(readFixture('nat-gateway', 'nf_conntrack')).filter((e) => e.original.dport === 9001);
  const ports = new Set(entries.map((e) => e.reply.dport));
  assert.equal(ports.size, 10);
  assert.deepEqual([...ports].sort(), [40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009]);
});

test('other protocols count in the total but not in the TCP figures; an empty table is all zeros', () => {
  const udp = 'ipv4     2 udp      17 29 src=198.18.0.2 dst=198.18.1.2 sport=5353 dport=53 [UNREPLIED] src=198.18.1.2 dst=198.18.1.101 sport=53 dport=40000 mark=0 zone=0 use=2';
  const summary = summarizeConntrack([parseConntrackLine(udp)]);
  assert.equal(summary.total, 1);
  assert.equal(summary.entries, 0);
  assert.deepEqual(summary.byDestination, {});
  assert.equal(parseConntrackLine(udp).state, null);
  assert.deepEqual(parseConntrack(''), []);
});

test('a line without tuples throws INTERNAL', () => {
  assert.throws(() => parseConntrackLine('ipv4 2 tcp 6 118 TIME_WAIT'), { code: 'INTERNAL' });
  assert.throws(() => parseConntrackLine('garbage'), { code: 'INTERNAL' });
});

test('stat: per-CPU rows summed; the 2 timed-out connects dropped 4 SYNs (first + retransmit)', () => {
  const before = parseConntrackStat(readFixture('nat-gateway', 'stat-nf_conntrack.before'));
  const after = parseConntrackStat(readFixture('nat-gateway', 'stat-nf_conntrack'));
  assert.equal(before.entries, 0);
  assert.equal(after.entries, 18);
  assert.equal(after.counters['insert_failed'], 4);
  assert.equal(after.counters['drop'], 4);
  assert.equal(after.counters['search_restart'], 0);
  assert.deepEqual(conntrackStatDelta(before, after), { insert_failed: 4, drop: 4, early_drop: 0 });
  assert.deepEqual(conntrackStatDelta(before, after, ['no_such_counter']), { no_such_counter: 0 });
});

test('stat: a missing header or a short row throws INTERNAL', () => {
  assert.throws(() => parseConntrackStat('00000001 00000002\n'), { code: 'INTERNAL' });
  assert.throws(() => parseConntrackStat('entries drop\n00000001\n'), { code: 'INTERNAL' });
});

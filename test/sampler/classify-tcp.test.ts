import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyTcp, createTcpClassifier, emptyTcpCounts, type ClassifyOptions } from '../../src/sampler/classify-tcp.js';
import { parseProcNetTcp } from '../../src/sampler/parse-proc-net-tcp.js';
import { parseSockstat } from '../../src/sampler/parse-sockstat.js';
import { parseSsTan, readFixture, type SsRow } from './fixtures.js';

const MIXED: ClassifyOptions = { ephemeral: { low: 40000, high: 40199 }, targetPorts: [9000, 9001, 9002, 9003] };

function classifyFixture(name: string, opts: ClassifyOptions) {
  const classify = createTcpClassifier(opts);
  return classify(readFixture(name, 'tcp6'), classify(readFixture(name, 'tcp')));
}

/** The documented rules applied to ss's view of the same moment: an independent oracle. */
function ssCounts(rows: SsRow[], opts: ClassifyOptions) {
  const targets = new Set(opts.targetPorts);
  const isClient = (r: SsRow) =>
    r.localPort >= opts.ephemeral.low && r.localPort <= opts.ephemeral.high && targets.has(r.remotePort) && r.state !== 'LISTEN';
  const count = (f: (r: SsRow) => boolean) => rows.filter(f).length;
  return {
    timeWait: count((r) => r.state === 'TIME_WAIT'),
    clientTimeWait: count((r) => isClient(r) && r.state === 'TIME_WAIT'),
    serverTimeWait: count((r) => targets.has(r.localPort) && r.state === 'TIME_WAIT'),
    established: count((r) => r.state === 'ESTABLISHED'),
    clientEstablished: count((r) => isClient(r) && r.state === 'ESTABLISHED'),
    portsInUse: count(isClient),
    closeWait: count((r) => r.state === 'CLOSE_WAIT'),
    finWait2: count((r) => r.state === 'FIN_WAIT2'),
    rows: rows.length,
  };
}

for (const [name, opts] of [
  ['mixed-v4v6', MIXED],
  ['mixed-v4v6', { ...MIXED, targetPorts: [7000, 9000] }],
  ['exhausted-v4', { ephemeral: { low: 40000, high: 40019 }, targetPorts: new Set([9000]) }],
] as const) {
  test(`${name} targets ${[...opts.targetPorts].join(',')}: counts agree with ss -tan`, () => {
    const counts = classifyFixture(name, opts);
    const expected = ssCounts(parseSsTan(readFixture(name, 'ss-tan.txt')), opts);
    for (const [field, value] of Object.entries(expected)) {
      assert.equal(counts[field as keyof typeof expected], value, field);
    }
    assert.equal(counts.timeWait, parseSockstat(readFixture(name, 'sockstat')).timeWait);
  });
}

test('mixed fixture: client vs server TIME_WAIT follows who closed first', () => {
  const counts = classifyFixture('mixed-v4v6', { ...MIXED, byDestination: true, bySource: true });
  // Capture plan (fixtures/proc/README.md): client closed 8 + 6 to :9000, server closed 4 + 3 on :9001.
  assert.equal(counts.clientTimeWait, 14);
  assert.equal(counts.serverTimeWait, 7);
  assert.equal(counts.clientEstablished, 5);
  assert.equal(counts.portsInUse, 8 + 3 + 2 + 6 + 2 + 1);
  assert.equal(counts.byState.LISTEN, 10);
  assert.deepEqual(counts.byDestination, {
    '127.0.0.1:9000': { portsInUse: 8, timeWait: 8 },
    '127.0.0.1:9002': { portsInUse: 3, timeWait: 0 },
    '127.0.0.1:9003': { portsInUse: 2, timeWait: 0 },
    '[::1]:9000': { portsInUse: 6, timeWait: 6 },
    '[::1]:9002': { portsInUse: 2, timeWait: 0 },
    '[::1]:9003': { portsInUse: 1, timeWait: 0 },
  });
  assert.deepEqual(counts.bySource, {
    '127.0.0.1': { portsInUse: 13, timeWait: 8 },
    '::1': { portsInUse: 9, timeWait: 6 },
  });
});

test('exhausted fixture: every port of the range is a client TIME_WAIT to one destination', () => {
  const counts = classifyFixture('exhausted-v4', { ephemeral: { low: 40000, high: 40019 }, targetPorts: [9000], byDestination: true });
  assert.equal(counts.clientTimeWait, 20);
  assert.equal(counts.portsInUse, 20);
  assert.deepEqual(counts.byDestination, { '127.0.0.1:9000': { portsInUse: 20, timeWait: 20 } });
  assert.deepEqual(counts.bySource, {}, 'not asked for');
});

test('a port outside the ephemeral range is not client-side', () => {
  const counts = classifyFixture('exhausted-v4', { ephemeral: { low: 40010, high: 40019 }, targetPorts: [9000] });
  assert.equal(counts.clientTimeWait, 10);
  assert.equal(counts.timeWait, 20);
});

test('a classifier accumulates into the given counts and keeps no state between calls', () => {
  const classify = createTcpClassifier({ ...MIXED, byDestination: true });
  const tcp = readFixture('mixed-v4v6', 'tcp');
  const once = classify(tcp);
  const twice = classify(tcp, classify(tcp));
  assert.equal(twice.clientTimeWait, 2 * once.clientTimeWait);
  assert.equal(twice.byState.TIME_WAIT, 2 * once.byState.TIME_WAIT);
  assert.equal(twice.byDestination['127.0.0.1:9000']!.timeWait, 16);
  assert.deepEqual(classify(tcp), once);
  assert.deepEqual(classifyTcp(tcp, MIXED, emptyTcpCounts()).clientTimeWait, once.clientTimeWait);
});

function synthesize(rows: number): string {
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  const lines = [readFixture('exhausted-v4', 'tcp').split('\n')[0]!];
  for (let i = 0; i < rows; i++) {
    const state = i % 3 === 0 ? '01' : '06';
    lines.push(`${String(i).padStart(4)}: 0100007F:${hex(1024 + (i % 64000), 4)} 0100007F:${hex(9000 + (i % 4), 4)} ${state} 00000000:00000000 03:00001234 00000000     0        0 0 3 0000000000000000`);
  }
  return `${lines.join('\n')}\n`;
}

// Speed is measured by `npm run bench` (sampler section), not asserted here: this machine is shared.
test('60,000 sockets: exact counts from the parser and the classifier', () => {
  const text = synthesize(60_000);
  assert.equal(parseProcNetTcp(text, 4).length, 60_000);
  const classify = createTcpClassifier({ ephemeral: { low: 1024, high: 65535 }, targetPorts: [9000, 9001, 9002, 9003] });
  const counts = classify(text);
  assert.equal(counts.rows, 60_000);
  assert.equal(counts.clientEstablished, 20_000);
  assert.equal(counts.clientTimeWait, 40_000);
});

test('the live /proc/net/tcp of this process parses and classifies row for row', () => {
  const text = readFileSync('/proc/net/tcp', 'utf8');
  const rows = parseProcNetTcp(text, 4);
  assert.equal(rows.length, text.trim().split('\n').length - 1);
  assert.equal(createTcpClassifier(MIXED)(text).rows, rows.length);
});

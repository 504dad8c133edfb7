import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AF_INET, AF_INET6, ALL_STATES, dumpRequest, parseDumpChunk, REQUEST_BYTES, stateBit } from '../../src/sampler/sock-diag-parse.js';
import { censusOfRows, censusOfSockets, type SocketCensus } from '../../src/sampler/socket-census.js';
import { tcpStateName } from '../../src/sampler/tcp-state.js';
import { SocketRows } from '../../src/sampler/socket-rows.js';
import { parseSsTan, readFixture } from './fixtures.js';

const RANGE = { low: 40000, high: 40099 };

interface Capture {
  littleEndian: boolean;
  chunks: { family: number; hex: string }[];
}

/** The captured dump (test/fixtures/proc/sock-diag/, see its README) parsed chunk by chunk as it came. */
function capturedRows(): { rows: SocketRows; results: string[] } {
  const capture = JSON.parse(readFixture('sock-diag', 'chunks.json')) as Capture;
  const rows = new SocketRows(4);
  const results = capture.chunks.map(({ hex }) => {
    const bytes = Buffer.from(hex, 'hex');
    return parseDumpChunk(bytes, bytes.length, rows, capture.littleEndian).kind;
  });
  return { rows, results };
}

/** A census without the TIME_WAIT expiry histograms (the two reads were a few ms apart), tuples sorted. */
function comparable(c: SocketCensus): unknown {
  const tuples = c.tuples.map(({ timeWaitExpiry, ...t }) => ({ ...t, inRangeTimeWait: timeWaitExpiry.reduce((a, b) => a + b, 0) }));
  return { ...c, tuples: tuples.sort((a, b) => `${a.source}${a.destination}`.localeCompare(`${b.source}${b.destination}`)) };
}

test('dumpRequest: nlmsghdr + inet_diag_req_v2 for one family and a state mask', () => {
  const bytes = dumpRequest(AF_INET6, stateBit(6) | stateBit(10), 7, true);
  const view = new DataView(bytes.buffer);
  assert.equal(bytes.length, REQUEST_BYTES);
  assert.equal(view.getUint32(0, true), 72, 'nlmsg_len');
  assert.equal(view.getUint16(4, true), 20, 'SOCK_DIAG_BY_FAMILY');
  assert.equal(view.getUint16(6, true), 0x301, 'NLM_F_REQUEST | NLM_F_DUMP');
  assert.equal(view.getUint32(8, true), 7, 'seq');
  assert.deepEqual([...bytes.subarray(16, 20)], [10, 6, 0, 0], 'AF_INET6, IPPROTO_TCP, no extensions');
  assert.equal(view.getUint32(20, true), 0x440, 'TIME_WAIT and LISTEN bits');
  assert.ok(bytes.subarray(24).every((b) => b === 0), 'an empty socket id: every socket');
  assert.equal(new DataView(dumpRequest(AF_INET, ALL_STATES, 1, false).buffer).getUint32(0, false), 72, 'big-endian hosts write their own order');
});

test('captured dump: the rows are what ss -tan listed at the same moment, field by field', () => {
  const { rows, results } = capturedRows();
  assert.deepEqual(results, ['more', 'done', 'more', 'done']);
  const ss = parseSsTan(readFixture('sock-diag', 'ss-tan.txt'));
  assert.equal(rows.count, ss.length);
  const fromRows = new Set<string>();
  for (let i = 0; i < rows.count; i++) fromRows.add(`${rows.v6[i] ? 6 : 4} ${tcpStateName(rows.state[i]!)} ${rows.localPort[i]} ${rows.remotePort[i]}`);
  assert.deepEqual(fromRows, new Set(ss.map((r) => `${r.family} ${r.state} ${r.localPort} ${r.remotePort}`)));
  for (let i = 0; i < rows.count; i++) {
    if (rows.state[i] === 6) assert.ok(rows.timerTicks[i]! > 5000 && rows.timerTicks[i]! <= 6000, `TIME_WAIT timer ${rows.timerTicks[i]} ticks`);
    else assert.equal(rows.timerTicks[i], 0);
  }
});

test('captured dump: the census of the netlink rows equals the census of /proc/net/tcp + tcp6', () => {
  const fromNetlink = censusOfRows(capturedRows().rows, { ephemeral: RANGE, recentMs: 30_000 });
  const fromProc = censusOfSockets(readFixture('sock-diag', 'tcp'), readFixture('sock-diag', 'tcp6'), { ephemeral: RANGE, recentMs: 30_000 });
  assert.deepEqual(comparable(fromNetlink), comparable(fromProc));
  assert.deepEqual(fromNetlink.listeners.map((l) => `${l.address}:${l.port}`).sort(), ['127.0.0.1:9000', '127.0.0.1:9001', '127.0.0.1:9002', '::1:9000']);
  assert.ok(fromNetlink.tuples.some((t) => t.source === '::1' && t.destination === '[::1]:9000' && t.timeWait === 4));
});

/** One netlink message: header + payload, padded to 4. */
function message(type: number, payload: Uint8Array): Uint8Array {
  const length = 16 + payload.length;
  const bytes = new Uint8Array((length + 3) & ~3);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, length, true);
  view.setUint16(4, type, true);
  bytes.set(payload, 16);
  return bytes;
}

const int32 = (n: number): Uint8Array => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, n, true);
  return bytes;
};

test('parseDumpChunk: errors, a dump cut short, and a torn chunk', () => {
  const rows = new SocketRows();
  const error = message(2, new Uint8Array([...int32(-1), ...new Uint8Array(16)]));
  assert.deepEqual(parseDumpChunk(error, error.length, rows, true), { kind: 'error', errno: 1 }, 'NLMSG_ERROR -EPERM');
  const cut = message(3, int32(-4));
  assert.deepEqual(parseDumpChunk(cut, cut.length, rows, true), { kind: 'error', errno: 4 }, 'NLMSG_DONE carrying -EINTR');
  const done = message(3, int32(0));
  assert.deepEqual(parseDumpChunk(done, done.length, rows, true), { kind: 'done' });
  const bytes = Buffer.from((JSON.parse(readFixture('sock-diag', 'chunks.json')) as Capture).chunks[0]!.hex, 'hex');
  assert.deepEqual(parseDumpChunk(bytes, bytes.length - 10, rows, true), { kind: 'error', errno: 74 }, 'a message past the end: EBADMSG');
  const short = message(20, new Uint8Array(40));
  assert.deepEqual(parseDumpChunk(short, short.length, rows, true), { kind: 'error', errno: 74 }, 'shorter than inet_diag_msg');
  assert.deepEqual(parseDumpChunk(new Uint8Array(0), 0, rows, true), { kind: 'more' });
});

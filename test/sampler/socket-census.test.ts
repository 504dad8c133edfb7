import { test } from 'node:test';
import assert from 'node:assert/strict';
import { censusOfSockets, EXPIRY_BUCKETS, type TupleCensus } from '../../src/sampler/socket-census.js';
import { parseSsTan, readFixture } from './fixtures.js';

const RANGE = { low: 40000, high: 40199 };

function census(name: string, recentMs = 0, ephemeral = RANGE) {
  return censusOfSockets(readFixture(name, 'tcp'), readFixture(name, 'tcp6'), { ephemeral, recentMs });
}

function tuple(tuples: TupleCensus[], source: string, destination: string): TupleCensus {
  const found = tuples.find((t) => t.source === source && t.destination === destination);
  assert.ok(found, `no tuple ${source} -> ${destination} in ${tuples.map((t) => `${t.source} -> ${t.destination}`).join(', ')}`);
  return found;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

for (const name of ['mixed-v4v6', 'doctor-churn', 'exhausted-v4']) {
  test(`${name}: every state counts exactly what ss -tan counted at the same moment`, () => {
    const rows = parseSsTan(readFixture(name, 'ss-tan.txt'));
    const c = census(name);
    const fromSs: Record<string, number> = {};
    for (const row of rows) fromSs[row.state] = (fromSs[row.state] ?? 0) + 1;
    const fromCensus = Object.fromEntries(Object.entries(c.byState).filter(([, n]) => n > 0));
    assert.deepEqual(fromCensus, fromSs);
    assert.equal(c.rows, rows.length);
  });

  test(`${name}: a socket is server-side exactly when its local port is a listening port`, () => {
    const rows = parseSsTan(readFixture(name, 'ss-tan.txt'));
    const listening = new Set(rows.filter((r) => r.state === 'LISTEN').map((r) => r.localPort));
    const c = census(name);
    const server = rows.filter((r) => r.state !== 'LISTEN' && listening.has(r.localPort)).length;
    const client = rows.filter((r) => r.state !== 'LISTEN' && !listening.has(r.localPort)).length;
    assert.equal(sum(Object.values(c.server)), server);
    assert.equal(sum(Object.values(c.client)), client);
    assert.equal(c.listeners.length, rows.filter((r) => r.state === 'LISTEN').length);
    assert.equal(sum(c.tuples.map((t) => t.sockets)), client);
  });
}

test('mixed-v4v6: tuples per family, with the states the fixture README lists', () => {
  const c = census('mixed-v4v6');
  assert.deepEqual(
    { ...tuple(c.tuples, '127.0.0.1', '127.0.0.1:9000'), timeWaitExpiry: undefined },
    { source: '127.0.0.1', destination: '127.0.0.1:9000', sockets: 8, portsInUse: 8, timeWait: 8, established: 0, closeWait: 0, synSent: 0, recentTimeWait: 0, timeWaitExpiry: undefined },
  );
  assert.equal(tuple(c.tuples, '::1', '[::1]:9000').timeWait, 6);
  assert.equal(tuple(c.tuples, '127.0.0.1', '127.0.0.1:9002').established, 3);
  assert.equal(tuple(c.tuples, '::1', '[::1]:9002').established, 2);
  assert.equal(tuple(c.tuples, '127.0.0.1', '127.0.0.1:9003').closeWait, 2);
  assert.equal(tuple(c.tuples, '::1', '[::1]:9003').closeWait, 1);
  // 7000 listens too, so connections to it are client-side from the caller and server-side at 7000.
  assert.equal(tuple(c.tuples, '127.0.0.1', '127.0.0.1:7000').established, 2);
  assert.equal(c.server.TIME_WAIT, 4 + 3);
  assert.equal(c.client.TIME_WAIT, 8 + 6);
  assert.equal(c.client.CLOSE_WAIT, 3);
  assert.equal(c.server.FIN_WAIT2, 3);
});

test('exhausted-v4: the whole 20-port range in TIME_WAIT to one destination, each with about 60 s left', () => {
  const c = census('exhausted-v4', 0, { low: 40000, high: 40019 });
  assert.equal(c.tuples.length, 1);
  const [t] = c.tuples;
  assert.equal(t!.portsInUse, 20);
  assert.equal(t!.timeWaitExpiry.length, EXPIRY_BUCKETS);
  assert.equal(sum(t!.timeWaitExpiry), 20);
  // Read within a second of the churn: every timer shows 59.xx s (0x175A = 5978 ticks and so on).
  assert.equal(t!.timeWaitExpiry[59], 20);
});

test('ports in use count only local ports inside the range', () => {
  const narrow = census('mixed-v4v6', 0, { low: 40100, high: 40199 });
  const t = tuple(narrow.tuples, '127.0.0.1', '127.0.0.1:9000');
  // ss: 40112, 40124, 40130, 40132, 40148, 40162, 40172, 40188 are all >= 40100.
  assert.equal(t.portsInUse, 8);
  const v6 = tuple(narrow.tuples, '::1', '[::1]:9000');
  // 40098 is below 40100: 5 of the 6.
  assert.equal(v6.portsInUse, 5);
  assert.equal(v6.sockets, 6);
});

test('doctor-churn: TIME_WAIT younger than the window is recent; the whole table is 3 s old', () => {
  const window = census('doctor-churn', 1000);
  const v4 = tuple(window.tuples, '127.0.0.1', '127.0.0.1:9000');
  const v6 = tuple(window.tuples, '::1', '[::1]:9000');
  // 40/s and 10/s for one second, give or take the connections at the window's edges.
  assert.ok(v4.recentTimeWait >= 36 && v4.recentTimeWait <= 44, `v4 recent ${v4.recentTimeWait}`);
  assert.ok(v6.recentTimeWait >= 8 && v6.recentTimeWait <= 12, `v6 recent ${v6.recentTimeWait}`);
  const all = census('doctor-churn', 10_000);
  assert.equal(tuple(all.tuples, '127.0.0.1', '127.0.0.1:9000').recentTimeWait, tuple(all.tuples, '127.0.0.1', '127.0.0.1:9000').timeWait);
  assert.equal(tuple(census('doctor-churn', 0).tuples, '127.0.0.1', '127.0.0.1:9000').recentTimeWait, 0);
  // Buckets 57..59 s left: the churn lasted 3 s.
  assert.equal(sum(v4.timeWaitExpiry.slice(57, 60)), v4.timeWait);
});

test('doctor-churn: the listener inside the range is a listener, and no connection uses its port', () => {
  const c = census('doctor-churn');
  assert.ok(c.listeners.some((l) => l.port === 40150 && l.address === '0.0.0.0'));
  assert.ok(c.listeners.some((l) => l.port === 9000 && l.address === '::1'));
});

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (i: number, localPort: number, state: string, when: string): string =>
  `${String(i).padStart(4)}: 0100007F:${localPort.toString(16).toUpperCase()} 0100007F:2328 ${state} 00000000:00000000 03:${when} 00000000     0        0 0 3 0000000000000000\n`;

test('TIME_WAIT timers: whole seconds left pick the bucket; more than 60 s minus the window is recent', () => {
  const text = HEADER + row(0, 40000, '06', '00001770') + row(1, 40001, '06', '00000BB8') + row(2, 40002, '06', '00000063') + row(3, 40003, '01', '00000000');
  const c = censusOfSockets(text, '', { ephemeral: RANGE, recentMs: 30_000 });
  const [t] = c.tuples;
  // 6000 ticks = 60 s, 3000 = 30 s, 99 = 0.99 s.
  assert.equal(t!.timeWaitExpiry[60], 1);
  assert.equal(t!.timeWaitExpiry[30], 1);
  assert.equal(t!.timeWaitExpiry[0], 1);
  assert.equal(t!.recentTimeWait, 2);
  assert.equal(t!.established, 1);
  assert.equal(t!.portsInUse, 4);
  assert.equal(censusOfSockets(text, '', { ephemeral: RANGE, recentMs: 29_990 }).tuples[0]!.recentTimeWait, 1);
});

test('empty texts: no rows, no tuples', () => {
  const c = censusOfSockets('', '', { ephemeral: RANGE });
  assert.equal(c.rows, 0);
  assert.deepEqual(c.tuples, []);
});

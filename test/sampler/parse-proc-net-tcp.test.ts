import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcNetTcp, type TcpRow } from '../../src/sampler/parse-proc-net-tcp.js';
import { hexToIpv4, hexToIpv6 } from '../../src/sampler/proc-address.js';
import { parseSsTan, readFixture, type SsRow } from './fixtures.js';

const key = (r: TcpRow | SsRow): string =>
  `${r.family} ${r.localAddress} ${r.localPort} ${r.remoteAddress} ${r.remotePort} ${r.state}`;
const sortedKeys = (rows: (TcpRow | SsRow)[]): string[] => rows.map(key).sort();

for (const name of ['mixed-v4v6', 'exhausted-v4']) {
  test(`${name}: every /proc/net/tcp and tcp6 row matches what ss -tan printed at the same moment`, () => {
    const ss = parseSsTan(readFixture(name, 'ss-tan.txt'));
    const v4 = parseProcNetTcp(readFixture(name, 'tcp'), 4);
    const v6 = parseProcNetTcp(readFixture(name, 'tcp6'), 6);
    assert.ok(v4.length > 0);
    assert.deepEqual(sortedKeys(v4), sortedKeys(ss.filter((r) => r.family === 4)));
    assert.deepEqual(sortedKeys(v6), sortedKeys(ss.filter((r) => r.family === 6)));
  });
}

test('IPv6 rows decode ::1 and the ports of both ends', () => {
  const rows = parseProcNetTcp(readFixture('mixed-v4v6', 'tcp6'), 6);
  assert.equal(rows.length, 22);
  assert.ok(rows.every((r) => r.family === 6 && r.localAddress === '::1'));
  const listeners = rows.filter((r) => r.state === 'LISTEN');
  assert.deepEqual(listeners.map((r) => r.localPort).sort(), [7000, 9000, 9001, 9002, 9003]);
  assert.ok(listeners.every((r) => r.remoteAddress === '::' && r.remotePort === 0));
  const clientTimeWait = rows.filter((r) => r.state === 'TIME_WAIT' && r.remotePort === 9000);
  assert.equal(clientTimeWait.length, 6);
  assert.ok(clientTimeWait.every((r) => r.localPort >= 40000 && r.localPort <= 40199));
});

test('a family that does not match the rows is refused', () => {
  assert.throws(() => parseProcNetTcp(readFixture('mixed-v4v6', 'tcp6'), 4), { code: 'INTERNAL' });
  assert.throws(() => parseProcNetTcp(readFixture('mixed-v4v6', 'tcp'), 6), { code: 'INTERNAL' });
});

test('empty input has no rows; a header alone has no rows', () => {
  assert.deepEqual(parseProcNetTcp(''), []);
  const header = readFixture('mixed-v4v6', 'tcp').split('\n')[0]!;
  assert.deepEqual(parseProcNetTcp(`${header}\n`), []);
});

test('malformed text throws INTERNAL instead of miscounting', () => {
  const text = readFixture('exhausted-v4', 'tcp');
  assert.throws(() => parseProcNetTcp(text.split('\n').slice(1).join('\n')), { code: 'INTERNAL' });
  const lines = text.split('\n');
  lines[2] = '   1: 0100007F-9C40 0100007F:2328 06 garbage';
  assert.throws(() => parseProcNetTcp(lines.join('\n')), { code: 'INTERNAL' });
  lines[2] = '   1: 0100007F:9C4Z 0100007F:2328 06 00000000:00000000 03:00001234 00000000     0        0 0 3';
  assert.throws(() => parseProcNetTcp(lines.join('\n')), { code: 'INTERNAL' });
});

test('slot numbers wider than the %4d padding (10000+ sockets) still parse', () => {
  const lines = readFixture('exhausted-v4', 'tcp').split('\n');
  lines[1] = lines[1]!.replace(/^\s*\d+:/, '123456:');
  const rows = parseProcNetTcp(lines.join('\n'), 4);
  assert.equal(rows.length, 21);
  assert.deepEqual(rows[0], parseProcNetTcp(readFixture('exhausted-v4', 'tcp'), 4)[0]);
});

test('hex addresses: each 32-bit word is printed little-endian', () => {
  assert.equal(hexToIpv4('0100007F'), '127.0.0.1');
  assert.equal(hexToIpv4('0200007F'), '127.0.0.2');
  assert.equal(hexToIpv4('00000000'), '0.0.0.0');
  assert.equal(hexToIpv6('00000000000000000000000001000000'), '::1');
  assert.equal(hexToIpv6('00000000000000000000000000000000'), '::');
  assert.equal(hexToIpv6('000080FE000000000000000001000000'), 'fe80::1');
  assert.equal(hexToIpv6('B80D0120000000000000010001000000'), '2001:db8::1:0:0:1');
  assert.equal(hexToIpv6('02000100040003000600050008000700'), '1:2:3:4:5:6:7:8');
  assert.equal(hexToIpv6('00000100040003000600050008000700'), '1:0:3:4:5:6:7:8');
  assert.equal(hexToIpv6('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
  assert.throws(() => hexToIpv4('0100007'), RangeError);
  assert.throws(() => hexToIpv6('0100007F'), RangeError);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReserved, parseReservedPorts, reservedInRange, usablePortsPerTuple } from '../../src/doctor/ports.js';
import { parseGrepH, readOwnSysctls } from '../../src/doctor/sysctls.js';

test('ip_local_reserved_ports as the kernel prints it', () => {
  assert.deepEqual(parseReservedPorts(''), []);
  assert.deepEqual(parseReservedPorts('8080,9000-9010'), [
    [8080, 8080],
    [9000, 9010],
  ]);
  const reserved = parseReservedPorts('40000-40009,40005-40012,50000');
  assert.equal(isReserved(40012, reserved), true);
  assert.equal(isReserved(40013, reserved), false);
  // Overlaps count once: 40000-40012 is 13 ports; 50000 lies outside.
  assert.equal(reservedInRange({ low: 40000, high: 40099, size: 100 }, reserved), 13);
});

test('usable ports per tuple: parity, reserved, listeners; never negative', () => {
  assert.equal(usablePortsPerTuple({ low: 40000, high: 40199, size: 200 }, 0, 0), 200);
  assert.equal(usablePortsPerTuple({ low: 40000, high: 40200, size: 201 }, 10, 2), 188);
  assert.equal(usablePortsPerTuple({ low: 40000, high: 40001, size: 2 }, 5, 0), 0);
});

test("grep -H '' output: path:value per line, empty values kept, other lines skipped", () => {
  const text = [
    '/proc/sys/net/ipv4/ip_local_port_range:40000\t40199',
    '/proc/sys/net/ipv4/ip_local_reserved_ports:',
    '/proc/sys/net/ipv4/tcp_tw_reuse:2',
    'grep: /proc/sys/net/ipv4/tcp_tw_reuse_delay: No such file or directory',
  ].join('\n');
  assert.deepEqual(parseGrepH(text), {
    'net.ipv4.ip_local_port_range': '40000\t40199',
    'net.ipv4.ip_local_reserved_ports': '',
    'net.ipv4.tcp_tw_reuse': '2',
  });
});

test('own sysctls: a key the kernel lacks is left out', () => {
  const files: Record<string, string> = { '/proc/sys/net/ipv4/tcp_tw_reuse': '1\n' };
  const read = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
  assert.deepEqual(readOwnSysctls(['net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_tw_reuse_delay'], read), { 'net.ipv4.tcp_tw_reuse': '1' });
});

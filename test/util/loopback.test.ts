/** The one loopback rule (util/loopback.ts): 127.0.0.0/8 as four octets of 0-255, or ::1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackDestination, isLoopbackLiteral } from '../../src/util/loopback.js';

test('loopback hosts: every 127.x.y.z with octets 0-255, and ::1', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', '127.0.0.0', '127.255.255.255', '127.10.200.99', '127.1.0.250', '::1']) {
    assert.equal(isLoopbackLiteral(host), true, host);
  }
});

test('not loopback, or not an address: octets above 255, leading zeros, other networks, other forms', () => {
  const bad = [
    '127.999.999.999',
    '127.0.0.256',
    '127.256.0.1',
    '127.0.0.01',
    '127.00.0.1',
    '127.0.0',
    '127.0.0.1.1',
    '127.0.0.-1',
    '127.0.0.1 ',
    ' 127.0.0.1',
    '128.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    '1127.0.0.1',
    'localhost',
    '',
    '[::1]',
    '::2',
    '0:0:0:0:0:0:0:1',
    '127.0.0.1:9000',
  ];
  for (const host of bad) assert.equal(isLoopbackLiteral(host), false, JSON.stringify(host));
});

test('loopback destinations: HOST:PORT, IPv6 in brackets; the port\'s range is checked later', () => {
  for (const text of ['127.0.0.1:9000', '127.0.0.2:1', '127.255.255.255:65535', '[::1]:9000', '127.0.0.1:99999']) {
    assert.equal(isLoopbackDestination(text), true, text);
  }
  for (const text of ['127.999.999.999:9000', '127.0.0.1', '127.0.0.1:', '127.0.0.1:123456', '::1:9000', '[::1]', '10.0.0.1:9000', 'localhost:9000', '[127.0.0.1]:9000']) {
    assert.equal(isLoopbackDestination(text), false, text);
  }
});

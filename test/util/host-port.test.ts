import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHostPort, parseHostPort } from '../../src/util/host-port.js';

test('IPv6 hosts are bracketed so the port colon stays unambiguous', () => {
  assert.equal(formatHostPort('127.0.0.1', 9000), '127.0.0.1:9000');
  assert.equal(formatHostPort('::1', 9000), '[::1]:9000');
});

test('parseHostPort inverts formatHostPort and refuses what is not HOST:PORT', () => {
  for (const [host, port] of [['127.0.0.2', 1], ['::1', 65535]] as const) {
    assert.deepEqual(parseHostPort(formatHostPort(host, port)), { host, port });
  }
  for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', '::1:9000', '[::1]', 'a b:1']) {
    assert.equal(parseHostPort(bad), null, bad);
  }
});

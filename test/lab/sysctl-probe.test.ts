import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSysctlProber, parseProbeAnswer, verdictOf } from '../../src/lab/sysctl-probe.js';

test('verdictOf: each answer of the namespace becomes one verdict', () => {
  assert.deepEqual(verdictOf({ key: 'k', readBack: '40000\t40199' }, '40000 40199'), { key: 'k', status: 'ok' });
  assert.deepEqual(verdictOf({ key: 'k', readBack: '6' }, '5'), { key: 'k', status: 'differs', readBack: '6' });
  assert.deepEqual(verdictOf({ key: 'k', stage: 'read', code: 'ENOENT' }, '1'), { key: 'k', status: 'missing' });
  assert.deepEqual(verdictOf({ key: 'k', stage: 'write', code: 'EINVAL' }, '1'), { key: 'k', status: 'refused', code: 'EINVAL' });
  assert.deepEqual(verdictOf({ key: 'k', stage: 'write', code: 'EACCES' }, '1'), { key: 'k', status: 'denied', code: 'EACCES' });
  assert.deepEqual(verdictOf({ key: 'k', stage: 'read', code: 'EACCES' }, '1'), { key: 'k', status: 'refused', code: 'EACCES' });
});

test('parseProbeAnswer: checked, never cast; anything else is null', () => {
  assert.deepEqual(parseProbeAnswer('[{"key":"k","readBack":"1"}]', { k: '1' }), [{ key: 'k', status: 'ok' }]);
  for (const bad of ['', 'not json', '{}', '[{"key":"k"}]', '[{"key":"k","readBack":1}]']) assert.equal(parseProbeAnswer(bad, {}), null, bad);
});

test('a missing unshare makes the prober unavailable, with the reason', async () => {
  const probe = await createSysctlProber({ unshare: ['portlab-no-such-command'] })({ 'net.ipv4.tcp_tw_reuse': '0' });
  assert.equal(probe.available, false);
});

test('the real kernel, in a throwaway namespace: tcp_tw_recycle does not exist, "50000 40000" is refused, the host is untouched', async (t) => {
  const hostRange = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
  const probe = await createSysctlProber()({
    'net.ipv4.tcp_tw_reuse': '0',
    'net.ipv4.tcp_tw_recycle': '0',
    'net.ipv4.ip_local_port_range': '50000 40000',
    'net.ipv4.tcp_fin_timeout': '30',
  });
  if (!probe.available) return t.skip(`no namespace here: ${probe.reason}`);
  assert.deepEqual(probe.verdicts, [
    { key: 'net.ipv4.tcp_tw_reuse', status: 'ok' },
    { key: 'net.ipv4.tcp_tw_recycle', status: 'missing' },
    { key: 'net.ipv4.ip_local_port_range', status: 'refused', code: 'EINVAL' },
    { key: 'net.ipv4.tcp_fin_timeout', status: 'ok' },
  ]);
  assert.equal(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'), hostRange);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySysctls, sysctlPath, type SysctlIo } from '../../src/driver/sysctl.js';

function fakeProc(initial: Record<string, string>, refuse: string[] = [], clamp: Record<string, string> = {}): SysctlIo & { files: Record<string, string> } {
  const files = { ...initial };
  return {
    files,
    read: (path) => {
      if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return `${files[path]}\n`;
    },
    write: (path, value) => {
      if (refuse.includes(path)) throw new Error('EACCES: permission denied');
      files[path] = clamp[path] ?? value;
    },
  };
}

test('sysctlPath maps dots to /proc/sys folders', () => {
  assert.equal(sysctlPath('net.ipv4.tcp_tw_reuse'), '/proc/sys/net/ipv4/tcp_tw_reuse');
});

test('write mode writes, reads back and reports the effective values', () => {
  const io = fakeProc({ '/proc/sys/net/ipv4/ip_local_port_range': '32768\t60999', '/proc/sys/net/ipv4/tcp_tw_reuse': '2' });
  const effective = applySysctls('write', { 'net.ipv4.ip_local_port_range': '40000\t40199', 'net.ipv4.tcp_tw_reuse': '0' }, io);
  assert.equal(effective['net.ipv4.ip_local_port_range'], '40000\t40199');
  assert.equal(effective['net.ipv4.tcp_tw_reuse'], '0');
  assert.equal(effective['net.ipv4.tcp_fin_timeout'], undefined, 'keys the kernel lacks are left out');
});

test('a refused or clamped value is SYSCTL_REFUSED, never silently different', () => {
  const refused = fakeProc({ '/proc/sys/net/ipv4/tcp_tw_reuse': '2' }, ['/proc/sys/net/ipv4/tcp_tw_reuse']);
  assert.throws(() => applySysctls('write', { 'net.ipv4.tcp_tw_reuse': '0' }, refused), { code: 'SYSCTL_REFUSED' });
  const clamped = fakeProc({ '/proc/sys/net/ipv4/tcp_tw_reuse_delay': '1000' }, [], { '/proc/sys/net/ipv4/tcp_tw_reuse_delay': '60000' });
  assert.throws(() => applySysctls('write', { 'net.ipv4.tcp_tw_reuse_delay': '99999' }, clamped), { code: 'SYSCTL_REFUSED' });
});

test('verify mode checks values another party applied; read mode changes nothing', () => {
  const io = fakeProc({ '/proc/sys/net/ipv4/tcp_tw_reuse': '2' });
  assert.throws(() => applySysctls('verify', { 'net.ipv4.tcp_tw_reuse': '0' }, io), { code: 'SYSCTL_REFUSED' });
  applySysctls('read', { 'net.ipv4.tcp_tw_reuse': '0' }, io);
  assert.equal(io.files['/proc/sys/net/ipv4/tcp_tw_reuse'], '2');
});

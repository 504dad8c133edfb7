/**
 * Reading and writing sysctls from inside a lab. /proc/sys/net shows the network namespace of the
 * process that opens it, so the driver, running inside the lab, touches only the lab's values.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PortlabError } from '../errors/index.js';
import { sameSysctlValue } from '../config/sysctl-value.js';
import { PORT_RANGE_SYSCTL } from '../config/types.js';
import { OS_PRESETS } from '../model/presets.js';
import { parsePortRange, type PortRange } from '../util/units.js';
import type { SysctlMode } from './protocol.js';

/** Always read back and reported, so every summary shows the settings that decide exhaustion. */
export const REPORTED_SYSCTLS = [
  PORT_RANGE_SYSCTL,
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_tw_reuse',
  'net.ipv4.tcp_tw_reuse_delay',
  'net.ipv4.tcp_max_tw_buckets',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_timestamps',
  'net.ipv4.ip_autobind_reuse',
  'net.core.somaxconn',
] as const;

export interface SysctlIo {
  read(path: string): string;
  write(path: string, value: string): void;
}

export const procSysIo: SysctlIo = {
  read: (path) => readFileSync(path, 'utf8'),
  write: (path, value) => writeFileSync(path, value),
};

/** net.ipv4.tcp_tw_reuse -> /proc/sys/net/ipv4/tcp_tw_reuse */
export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

/**
 * Applies `wanted` as the mode says and returns the effective values of every wanted and reported key
 * (missing keys, e.g. tcp_tw_reuse_delay before Linux 6.14, are left out).
 */
export function applySysctls(mode: SysctlMode, wanted: Record<string, string>, io: SysctlIo = procSysIo): Record<string, string> {
  if (mode === 'write') {
    for (const [key, value] of Object.entries(wanted)) {
      try {
        io.write(sysctlPath(key), value);
      } catch (err) {
        throw new PortlabError('SYSCTL_REFUSED', `the lab refused ${key} = ${value}: ${(err as Error).message}`, {
          hint: 'check the name (sysctl -a | grep ...) and the value; some sysctls are not per network namespace',
        });
      }
    }
  }
  const effective: Record<string, string> = {};
  for (const key of new Set([...REPORTED_SYSCTLS, ...Object.keys(wanted)])) {
    try {
      effective[key] = io.read(sysctlPath(key)).trim();
    } catch {
      // Not present on this kernel.
    }
  }
  if (mode !== 'read') {
    for (const [key, value] of Object.entries(wanted)) {
      if (effective[key] === undefined || !sameSysctlValue(effective[key]!, value)) {
        throw new PortlabError('SYSCTL_REFUSED', `${key} reads back as "${effective[key] ?? '(missing)'}" in the lab, not "${value}"`, {
          hint: 'the kernel clamps or rejects some values; see its documentation for the valid range',
        });
      }
    }
  }
  return effective;
}

/**
 * The lab's ephemeral range from the values read back; a kernel that does not show it (never seen) is
 * taken at Linux's default rather than guessed from the scenario.
 */
export function portRangeOf(effective: Record<string, string>): PortRange {
  const text = effective[PORT_RANGE_SYSCTL];
  if (text === undefined) return OS_PRESETS.linux.portRange;
  const parsed = parsePortRange(text);
  if (!parsed.ok) throw new PortlabError('SYSCTL_REFUSED', `the lab's ip_local_port_range is unreadable: ${parsed.message}`);
  return parsed.value;
}

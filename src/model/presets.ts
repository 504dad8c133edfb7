/**
 * Operating-system defaults for the exhaustion model: the ephemeral port range connect() draws from and how
 * long the side that closes first keeps TIME_WAIT. Used by `portlab predict --os` to answer "what would this
 * load do on that OS" without a lab.
 */
import { portRange, type PortRange } from '../util/units.js';

export const OS_NAMES = ['linux', 'linux-old', 'windows', 'windows-legacy', 'macos', 'freebsd'] as const;
export type OsName = (typeof OS_NAMES)[number];

export interface OsPreset {
  name: OsName;
  /** What the preset stands for, shown in `predict` output. */
  label: string;
  portRange: PortRange;
  timeWaitMs: number;
  /**
   * Linux's connect() scans the range in steps of 2 and drops one port of an odd-sized range
   * (__inet_hash_connect: `remaining &= ~1`); the other systems pick ports differently, so they keep all.
   */
  parityLoss: boolean;
}

/** The presets, by name. TIME_WAIT on Linux is TCP_TIMEWAIT_LEN (60 s, no sysctl changes it). */
export const OS_PRESETS: Readonly<Record<OsName, OsPreset>> = {
  linux: {
    name: 'linux',
    label: 'Linux (net.ipv4.ip_local_port_range default since 4.x)',
    portRange: portRange(32768, 60999),
    timeWaitMs: 60_000,
    parityLoss: true,
  },
  'linux-old': {
    // 28,233 ports: odd-sized, so the parity scan leaves 28,232 usable.
    name: 'linux-old',
    label: 'Linux, older kernels (32768-61000)',
    portRange: portRange(32768, 61000),
    timeWaitMs: 60_000,
    parityLoss: true,
  },
  windows: {
    // TcpTimedWaitDelay defaults to 240 s (2 x MSL of 120 s).
    name: 'windows',
    label: 'Windows Vista and later (IANA dynamic range)',
    portRange: portRange(49152, 65535),
    timeWaitMs: 240_000,
    parityLoss: false,
  },
  'windows-legacy': {
    name: 'windows-legacy',
    label: 'Windows XP / Server 2003 (1025-5000)',
    portRange: portRange(1025, 5000),
    timeWaitMs: 240_000,
    parityLoss: false,
  },
  macos: {
    // net.inet.tcp.msl is 15 s, and TIME_WAIT lasts 2 x MSL.
    name: 'macos',
    label: 'macOS (net.inet.ip.portrange.first/last)',
    portRange: portRange(49152, 65535),
    timeWaitMs: 30_000,
    parityLoss: false,
  },
  freebsd: {
    // net.inet.tcp.msl is 30 s, and TIME_WAIT lasts 2 x MSL.
    name: 'freebsd',
    label: 'FreeBSD (net.inet.ip.portrange.first/last)',
    portRange: portRange(49152, 65535),
    timeWaitMs: 60_000,
    parityLoss: false,
  },
};

/** True when `name` is one of OS_NAMES. */
export function isOsName(name: string): name is OsName {
  return (OS_NAMES as readonly string[]).includes(name);
}

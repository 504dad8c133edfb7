/**
 * The ports connect() can pick for one tuple: the ephemeral range, less one port of an odd-sized range
 * (Linux scans it in steps of 2), less net.ipv4.ip_local_reserved_ports, less the ports a listener holds
 * (a bound port is skipped for every destination: __inet_hash_connect passes over bind buckets in use).
 */
import { usablePorts } from '../model/predict.js';
import type { PortRange } from '../util/units.js';

/** Inclusive port intervals. */
export type PortIntervals = readonly (readonly [number, number])[];

/**
 * net.ipv4.ip_local_reserved_ports as the kernel prints it ("8080,9000-9010", or empty) -> intervals.
 * Parts that are not ports are skipped: the kernel never prints them.
 */
export function parseReservedPorts(setting: string): PortIntervals {
  const out: [number, number][] = [];
  for (const part of setting.split(',')) {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!match) continue;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low <= high) out.push([low, high]);
  }
  return out;
}

export function isReserved(port: number, reserved: PortIntervals): boolean {
  return reserved.some(([low, high]) => port >= low && port <= high);
}

/** Reserved ports inside the range (overlapping intervals counted once). */
export function reservedInRange(range: PortRange, reserved: PortIntervals): number {
  let count = 0;
  for (let port = range.low; port <= range.high; port++) if (isReserved(port, reserved)) count++;
  return count;
}

/** Usable ports per tuple; `listeningPortsInRange` are distinct, unreserved ports inside the range. */
export function usablePortsPerTuple(range: PortRange, reservedCount: number, listeningPortsInRange: number): number {
  return Math.max(0, usablePorts(range.size) - reservedCount - listeningPortsInRange);
}

/**
 * /proc/net/netstat (and /proc/net/snmp): pairs of lines with the same prefix, names then values:
 *   "TcpExt: SyncookiesSent ... TW TWRecycled TWKilled ..."
 *   "TcpExt: 0 ... 21 0 0 ..."
 * Counters are cumulative per network namespace since it was created; consumers take deltas.
 */
import { PortlabError } from '../errors/index.js';

/** Section ("TcpExt", "IpExt", "MPTcpExt") -> counter name -> value. */
export type NetstatCounters = Record<string, Record<string, number>>;

/** The TcpExt counters that explain TIME_WAIT behaviour (kernel-facts.md "Observing"). */
export const TIME_WAIT_COUNTERS = [
  'TW',
  'TWRecycled',
  'TWKilled',
  'TCPTimeWaitOverflow',
  'PAWSTimewait',
  'TCPACKSkippedTimeWait',
] as const;

export type TimeWaitCounterName = (typeof TIME_WAIT_COUNTERS)[number];

/** Parses every header/value line pair. Throws PortlabError INTERNAL when a pair does not line up. */
export function parseNetstat(text: string): NetstatCounters {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const result: NetstatCounters = {};
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]!.trim().split(/\s+/);
    const values = lines[i + 1]!.trim().split(/\s+/);
    const section = names[0]!.replace(/:$/, '');
    if (values[0] !== names[0] || names.length !== values.length) {
      throw new PortlabError('INTERNAL', `/proc/net/netstat: section "${section}" names and values do not line up`);
    }
    const counters: Record<string, number> = {};
    for (let k = 1; k < names.length; k++) counters[names[k]!] = Number(values[k]);
    result[section] = counters;
  }
  return result;
}

/**
 * `keys` of one section, 0 where this kernel lacks a counter (so every sample has the same shape).
 */
export function pickCounters<K extends string>(counters: NetstatCounters, keys: readonly K[], section = 'TcpExt'): Record<K, number> {
  const source = counters[section] ?? {};
  const picked = {} as Record<K, number>;
  for (const key of keys) picked[key] = source[key] ?? 0;
  return picked;
}

/** after - before for `keys` of one section; a counter missing on either side counts as 0. */
export function netstatDelta<K extends string>(
  before: NetstatCounters,
  after: NetstatCounters,
  keys: readonly K[],
  section = 'TcpExt',
): Record<K, number> {
  const start = pickCounters(before, keys, section);
  const end = pickCounters(after, keys, section);
  const delta = {} as Record<K, number>;
  for (const key of keys) delta[key] = end[key] - start[key];
  return delta;
}

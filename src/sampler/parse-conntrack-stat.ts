/**
 * /proc/net/stat/nf_conntrack: a header of counter names, then one row of hex values per CPU:
 *   "entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop ..."
 *   "00000012  00000000 ... 00000004 00000004 ..."
 * `entries` is the namespace's table size, repeated on every row; the others are per-CPU counters of this
 * namespace since it was created, summed here. A NAT that finds no free tuple for a new connection fails to
 * insert its entry and drops the SYN: insert_failed and drop rise by one per SYN (retransmits included).
 */
import { PortlabError } from '../errors/index.js';

/** The counters that show a NAT dropping new connections. */
export const NAT_DROP_COUNTERS = ['insert_failed', 'drop', 'early_drop'] as const;

export interface ConntrackStat {
  /** Entries in the table now. */
  entries: number;
  /** Counter name -> sum over CPUs (entries excluded). */
  counters: Record<string, number>;
}

/** Parses the file. Throws PortlabError INTERNAL when the header and rows do not line up. */
export function parseConntrackStat(text: string): ConntrackStat {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const names = (lines[0] ?? '').trim().split(/\s+/);
  if (names[0] !== 'entries') throw new PortlabError('INTERNAL', '/proc/net/stat/nf_conntrack has no "entries" header');
  const counters: Record<string, number> = {};
  let entries = 0;
  lines.slice(1).forEach((line, row) => {
    const values = line.trim().split(/\s+/);
    if (values.length !== names.length) {
      throw new PortlabError('INTERNAL', `/proc/net/stat/nf_conntrack: row ${row + 1} has ${values.length} values for ${names.length} names`);
    }
    values.forEach((hex, i) => {
      const value = parseInt(hex, 16);
      if (i === 0) entries = value;
      else counters[names[i]!] = (counters[names[i]!] ?? 0) + value;
    });
  });
  return { entries, counters };
}

/** after - before for the named counters (0 for a counter this kernel lacks). */
export function conntrackStatDelta(before: ConntrackStat, after: ConntrackStat, names: readonly string[] = NAT_DROP_COUNTERS): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const name of names) delta[name] = (after.counters[name] ?? 0) - (before.counters[name] ?? 0);
  return delta;
}

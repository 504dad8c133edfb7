/**
 * What a NAT gateway's conntrack table says about its ports: per destination, how many entries hold their
 * NAT tuple and how many sit in TIME_WAIT. A new connection may take over the NAT tuple of an entry in
 * TIME_WAIT or CLOSE (nf_nat_used_tuple_harder -> nf_nat_may_kill: states from TIME_WAIT on), so only the
 * states before it (SYN_SENT .. LAST_ACK) use up the NAT's ports for a destination (kernel-facts.md, NAT).
 */
import { formatHostPort } from '../util/host-port.js';
import type { ConntrackEntry } from './parse-conntrack.js';

/** TCP states whose NAT tuple a new connection can take over. */
const TAKEOVER_STATES: ReadonlySet<string> = new Set(['TIME_WAIT', 'CLOSE']);

export interface ConntrackCounts {
  /** TCP entries in the table. */
  entries: number;
  /** Entries that hold their NAT tuple (any state before TIME_WAIT). */
  held: number;
  /** Entries in TIME_WAIT: a new connection can take their tuple over. */
  timeWait: number;
  /** Entries the other side never answered (a SYN that got no reply). */
  unreplied: number;
}

export interface ConntrackSummary extends ConntrackCounts {
  /** Every tracked entry, of any protocol. */
  total: number;
  /** TCP entries by conntrack state name. */
  byState: Record<string, number>;
  /** Per original destination "HOST:PORT" (where the clients connected to). */
  byDestination: Record<string, ConntrackCounts>;
}

function emptyCounts(): ConntrackCounts {
  return { entries: 0, held: 0, timeWait: 0, unreplied: 0 };
}

function count(into: ConntrackCounts, entry: ConntrackEntry): void {
  into.entries++;
  if (entry.state === 'TIME_WAIT') into.timeWait++;
  if (entry.state === null || !TAKEOVER_STATES.has(entry.state)) into.held++;
  if (entry.unreplied) into.unreplied++;
}

/** Counts a parsed table (parseConntrack) by TCP state and by destination. */
export function summarizeConntrack(entries: ConntrackEntry[]): ConntrackSummary {
  const summary: ConntrackSummary = { total: entries.length, ...emptyCounts(), byState: {}, byDestination: {} };
  for (const entry of entries) {
    if (entry.protocol !== 'tcp') continue;
    count(summary, entry);
    const state = entry.state ?? 'NONE';
    summary.byState[state] = (summary.byState[state] ?? 0) + 1;
    const label = formatHostPort(entry.original.dst, entry.original.dport);
    count((summary.byDestination[label] ??= emptyCounts()), entry);
  }
  return summary;
}

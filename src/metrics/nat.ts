/**
 * The nat lab's vocabulary: what the driver samples of the gateway's conntrack (per interval, at the onset,
 * over the run) and what the summary says about the NAT. Counts are of TCP entries in the gateway's table;
 * "held" entries keep their NAT tuple (any state before TIME_WAIT), TIME_WAIT ones can be taken over.
 */
import type { NatPrediction } from '../model/nat.js';

/** One destination's entries in the gateway. */
export interface NatDestinationCounts {
  entries: number;
  held: number;
  timeWait: number;
}

/** The gateway in one report interval: the table at its last sample, the drop counters' deltas over it. */
export interface IntervalNat {
  entries: number;
  held: number;
  timeWait: number;
  /** Held entries per destination "HOST:PORT". */
  heldByDestination: Record<string, number>;
  /** conntrack insert_failed in this interval: a new connection found no free NAT tuple. */
  insertFailed: number;
  /** conntrack drop in this interval: the packets (SYNs) dropped for it. */
  drop: number;
}

/** The gateway right when the first client error came (sampled then, not at the next interval). */
export interface NatSnapshot {
  entries: number;
  held: number;
  timeWait: number;
  byDestination: Record<string, NatDestinationCounts>;
  /** insert_failed and drop since the load started. */
  insertFailed: number;
  drop: number;
}

/** What the driver reports about the gateway over the whole run. */
export interface NatDriverTotals {
  /** The gateway namespace's nf_conntrack_tcp_timeout_time_wait, s. */
  conntrackTimeWaitSec: number;
  /** False when the kernel has no per-entry view (/proc/net/nf_conntrack, CONFIG_NF_CONNTRACK_PROCFS). */
  tableReadable: boolean;
  /** insert_failed, drop, early_drop over the run. */
  drops: Record<string, number>;
  peak: { entries: number; held: number; timeWait: number; byDestination: Record<string, NatDestinationCounts> };
}

/**
 * What the run showed about the NAT: it ran out of tuples for a destination ('exhausted'); more
 * connections went through a destination than it has tuples, so closed ones were taken over
 * ('reused-time-wait'); it stayed within its tuples ('within-capacity'); or clients timed out while the
 * gateway dropped nothing ('timeouts-not-nat').
 */
export type NatVerdict = 'exhausted' | 'reused-time-wait' | 'within-capacity' | 'timeouts-not-nat';

export interface NatDestinationResult {
  connected: number;
  /** Connect errors to this destination, all codes. */
  failed: number;
  /** Held entries at the peak sample. */
  peakHeld: number;
  peakTimeWait: number;
}

/** summary.json "nat": only in runs of the nat lab. */
export interface NatRunSummary {
  portRange: { low: number; high: number; size: number };
  /** The gateway's NAT addresses. */
  addresses: string[];
  randomFully: boolean;
  conntrackTimeWaitSec: number;
  tableReadable: boolean;
  /** Connections one client can hold open to one destination at once. */
  capacityPerDestination: number;
  drops: Record<string, number>;
  peak: NatDriverTotals['peak'];
  byDestination: Record<string, NatDestinationResult>;
  /** The gateway when the first client error came; null when none came. */
  atOnset: NatSnapshot | null;
  verdict: NatVerdict;
  prediction: NatPrediction;
}

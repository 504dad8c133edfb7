/** Inputs and outputs of the exhaustion model (model/predict.ts). Pure data. */
import type { PortRange } from '../util/units.js';

/** Who closes first decides who holds TIME_WAIT (kernel-facts.md "Who gets TIME_WAIT"). */
export type Closer = 'client' | 'server' | 'reset';

export interface PredictInput {
  /** New connections per second (churn), or requests per second over a pool. */
  ratePerSec: number;
  /** The ephemeral range connect() draws from. */
  portRange: PortRange;
  /** How long the closing side keeps a tuple: 60 s on Linux, fixed (TCP_TIMEWAIT_LEN). */
  timeWaitMs: number;
  /** Distinct (destination IP, destination port) pairs, round-robin: each has its own ports. */
  destinations: number;
  /** Distinct source addresses, round-robin: each has its own ports. */
  sourceAddresses: number;
  /** Persistent connections; set for the pool pattern. */
  poolSize?: number;
  closer?: Closer;
  /** tcp_tw_reuse on (1, or 2 on loopback): a TIME_WAIT tuple is reused once older than the delay. */
  twReuse?: boolean;
  /** tcp_tw_reuse_delay in ms (default 1000). */
  twReuseDelayMs?: number;
  /** tcp_max_tw_buckets: above it new TIME_WAIT sockets are destroyed, which frees their ports. */
  maxTwBuckets?: number;
}

export interface Prediction {
  /** Ports one (source, destination) tuple can use; an odd-sized range loses one to the parity scan. */
  usablePortsPerTuple: number;
  /** (source, destination) combinations the load is spread over. */
  tuples: number;
  /** usablePortsPerTuple x tuples. */
  capacity: number;
  /** TIME_WAIT sockets held at steady state on the side that closes first (rate x time-wait). */
  steadyStateTimeWait: number;
  /** Client-side TIME_WAIT at steady state, capped by max buckets; what eats ports. */
  steadyStateClientTimeWait: number;
  /** Ports needed at steady state / capacity, in percent. */
  utilizationPct: number;
  exhausts: boolean;
  /** When connect() first fails, from the start of the load; null when it never does. */
  timeToFirstFailureMs: number | null;
  /** The highest rate that never exhausts with these settings. */
  maxSustainableRatePerSec: number;
  /** One plain sentence: what happens and what to change. */
  advice: string;
}

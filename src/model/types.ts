/** Inputs and outputs of the exhaustion model (model/predict.ts). Pure data. */
import type { PortRange } from '../util/units.js';

/**
 * Who closes first decides who holds TIME_WAIT (kernel-facts.md "Who gets TIME_WAIT"); 'never' is a leak:
 * nobody closes, and each connection keeps its port while it stays open.
 */
export type Closer = 'client' | 'server' | 'reset' | 'never';

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
  /**
   * Connections bind their source address before connect() (Node's localAddress), even from one address:
   * exhaustion then shows as EADDRINUSE. Default: true when sourceAddresses > 1.
   */
  boundSources?: boolean;
  /** Persistent connections; set for the pool pattern. */
  poolSize?: number;
  /** A pool that replaces its connections: after this long (maxLifetime) or this many requests. */
  poolRecycle?: { lifetimeMs?: number; requestsPerConnection?: number };
  /**
   * How bound source addresses get their ports: 'bind' (bind(ip, 0): exclusive per port, EADDRINUSE) or
   * 'no-port' (IP_BIND_ADDRESS_NO_PORT: per 4-tuple, EADDRNOTAVAIL). Only with sourceAddresses > 1.
   */
  bindStrategy?: 'bind' | 'no-port';
  closer?: Closer;
  /**
   * udp: Node's dgram connect() binds port 0 first (each port exclusive whatever the destination, EADDRINUSE
   * when none is free), and a closed socket frees its port at once (no TIME_WAIT). Default tcp.
   */
  transport?: 'tcp' | 'udp';
  /** tcp_tw_reuse on (1, or 2 on loopback): a TIME_WAIT tuple is reused once older than the delay. */
  twReuse?: boolean;
  /** tcp_tw_reuse_delay in ms (default 1000). */
  twReuseDelayMs?: number;
  /** tcp_max_tw_buckets: above it new TIME_WAIT sockets are destroyed, which frees their ports. */
  maxTwBuckets?: number;
  /**
   * Drop one port of an odd-sized range (Linux's connect() scans in steps of 2). Default true; false for
   * the non-Linux OS presets.
   */
  parityLoss?: boolean;
  /** tcp_tw_reuse=2: reuse applies to loopback destinations only. Only adds a note; `twReuse` decides. */
  twReuseLoopbackOnly?: boolean;
  /** tcp_timestamps (default true): reuse needs them on both ends, so false disables twReuse. */
  tcpTimestamps?: boolean;
  /** tcp_fin_timeout the user set, if any: it does not shorten TIME_WAIT, and the prediction says so. */
  finTimeoutSec?: number;
}

export interface Prediction {
  /** churn: a new connection per request; pool: `poolSize` persistent connections. */
  pattern: 'churn' | 'pool';
  /** Ports one (source, destination) tuple can use; an odd-sized range loses one to the parity scan. */
  usablePortsPerTuple: number;
  /** (source, destination) combinations the load is spread over. */
  tuples: number;
  /** usablePortsPerTuple x tuples. */
  capacity: number;
  /**
   * TIME_WAIT sockets held at steady state on the side that closes first (rate x time-wait), after the
   * kernel's own limits (max buckets; reuse; server-side tuples being taken over). Not capped by exhaustion:
   * when it exceeds capacity, a run tops out at capacity and the rest of the connects fail.
   */
  steadyStateTimeWait: number;
  /** Client-side TIME_WAIT at steady state, capped by max buckets (and by capacity with reuse); what eats ports. */
  steadyStateClientTimeWait: number;
  /** Server-side TIME_WAIT at steady state (server closes first); it costs the client no ports. */
  steadyStateServerTimeWait: number;
  /**
   * Client ports the load needs held at once: TIME_WAIT that cannot be reused, or the pool. With tcp_tw_reuse
   * and more demand than ports, rate x reuse delay (the fewest ports that sustain the rate).
   */
  portsNeeded: number;
  /** portsNeeded / capacity, in percent. */
  utilizationPct: number;
  exhausts: boolean;
  /** When connect() first fails, from the start of the load; null when it never does. */
  timeToFirstFailureMs: number | null;
  /**
   * The highest rate that never exhausts with these settings. null when ports do not limit the rate at all
   * (server closes first, reset, a pool that fits, max buckets at or below capacity): JSON has no Infinity.
   * 0 when nothing works (a pool larger than capacity).
   */
  maxSustainableRatePerSec: number | null;
  /** A recycling pool: connections it replaces per second, each leaving a client TIME_WAIT. */
  recycleRatePerSec?: number;
  /** One plain sentence: what happens and what to change. */
  advice: string;
  /** Caveats that apply to these inputs (tcp_fin_timeout does nothing, reuse is loopback-only ...). */
  notes: string[];
}

/** The numbers of a prediction, before its words (advice, notes) are written. */
export type Figures = Omit<Prediction, 'advice' | 'notes'>;

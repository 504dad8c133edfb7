/** What the poller emits; the driver forwards these as NDJSON events, so they are plain JSON data. */
import type { TcpCounts } from './classify-tcp.js';
import type { TimeWaitCounterName } from './parse-netstat.js';
import type { SockstatTcp } from './parse-sockstat.js';

interface SampleTiming {
  /** `now()` when the read began, on the driver's clock (the same one the engine stamps intervals with). */
  tMs: number;
  /** Read + parse time, to show what sampling cost the load. */
  costMs: number;
  /** True for the samples taken by stop(), which record the end state. */
  final: boolean;
}

/** /proc/net/sockstat: the exact TIME_WAIT total, sampled often. */
export interface SockstatSample extends SockstatTcp, SampleTiming {
  type: 'sockstat';
}

/** /proc/net/tcp + tcp6 classified, with TcpExt counters; sampled less often. */
export interface TcpSample extends TcpCounts, SampleTiming {
  type: 'tcp';
  /** Cumulative TcpExt values since the namespace was created (0 where the kernel lacks one); take deltas. */
  netstat: Record<TimeWaitCounterName, number>;
}

export type Sample = SockstatSample | TcpSample;

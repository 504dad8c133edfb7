/** What `portlab doctor` reports about one namespace at one moment (`--json` prints it). Pure data. */
import type { TcpStateName } from '../sampler/tcp-state.js';

export type Level = 'ok' | 'warning' | 'critical';

/** Utilization (percent of usable ports) from which a tuple is a warning, and critical. */
export const WARNING_PCT = 70;
export const CRITICAL_PCT = 90;

/** The findings, in the order the report shows them. */
export const FINDING_IDS = [
  'port-range',
  'sockets',
  'time-wait',
  'busiest-tuple',
  'tw-settings',
  'listeners-in-range',
  'new-connections',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export interface Finding {
  id: FindingId;
  level: Level;
  /** What was seen, one or two sentences with the figures. */
  summary: string;
  /** One plain thing to do (or to keep doing). */
  recommendation: string;
}

/** Which reader produced the socket table. */
export interface ReaderInfo {
  /** netlink: a sock_diag dump (what `ss` uses); proc: /proc/net/tcp + tcp6. */
  name: 'netlink' | 'proc';
  /** Why /proc ran instead of netlink (koffi missing, the kernel refused, --reader proc); null otherwise. */
  note: string | null;
}

/** Where the namespace came from. */
export interface DoctorTarget {
  kind: 'self' | 'netns' | 'pid' | 'container';
  /** "the current namespace", "netns portlab-ab12", "pid 4242", "container web (pid 4242)". */
  label: string;
}

/** Client-side sockets of one (source, destination) tuple, with its headroom. */
export interface TupleReport {
  source: string;
  destination: string;
  /** Client sockets holding a port of the ephemeral range, any state. */
  portsInUse: number;
  /** Ports connect() can pick for this tuple: the range, less parity loss, reserved ports and listeners. */
  usablePorts: number;
  utilizationPct: number;
  level: Level;
  timeWait: number;
  established: number;
  closeWait: number;
  /** Every client socket of the tuple, inside the range or not. */
  sockets: number;
  /** New connections per second over the window (those that entered TIME_WAIT in it). */
  newPerSec: number;
  /** Ports held at steady state at that rate, in percent of usablePorts (the model's utilization). */
  steadyUtilizationPct: number | null;
  /** From now, at that rate; null when it never runs out. */
  exhaustsInMs: number | null;
  /** The model's highest rate that never runs out; null when ports do not limit it. */
  maxSustainableRatePerSec: number | null;
}

export interface ListenerInRange {
  address: string;
  port: number;
}

/** How connections come and go, read from the window. */
export interface ObservedPattern {
  /** churn: connections live shorter than TIME_WAIT; pool: they outlive it; idle: nothing opens or stays. */
  pattern: 'churn' | 'pool' | 'idle';
  /** Who closes first, judged from TIME_WAIT and resets; null when nothing closed in the window. */
  close: 'client' | 'server' | 'reset' | null;
  /** Mean life of a client connection (open client sockets / opens per second), Little's law; null when idle. */
  meanLifeMs: number | null;
}

export interface DoctorReport {
  version: string;
  /** Wall-clock time of the reading. */
  takenAt: string;
  target: DoctorTarget;
  /** Time between the two readings the rates come from. */
  windowMs: number;
  /** Read + analysis time of one refresh. */
  costMs: { read: number; analyze: number };
  /** How the socket table was read. */
  reader: ReaderInfo;
  portRange: { low: number; high: number; size: number; usable: number };
  reservedPorts: { setting: string; inRange: number };
  /** Effective values read in the namespace, as strings; a sysctl that could not be read is absent. */
  sysctls: Record<string, string>;
  sockets: {
    total: number;
    byState: Partial<Record<TcpStateName, number>>;
    clientByState: Partial<Record<TcpStateName, number>>;
    serverByState: Partial<Record<TcpStateName, number>>;
    listeners: number;
  };
  timeWait: {
    total: number;
    client: number;
    server: number;
    /** /proc/net/sockstat's tw: includes orphaned FIN_WAIT2, so it may exceed total. */
    sockstat: number | null;
    /** Client TIME_WAIT per destination, busiest first (top N). */
    byDestination: { destination: string; timeWait: number }[];
  };
  /** Busiest tuples first (top N). */
  tuples: TupleReport[];
  /** Tuples with client sockets, all of them (tuples lists only the top N). */
  tupleCount: number;
  listenersInRange: ListenerInRange[];
  rates: {
    /** Tcp ActiveOpens over the window: every connect() that sent a SYN. */
    newConnectionsPerSec: number;
    /** Client-side TIME_WAIT entered per second (connections the client closed first). */
    clientClosesPerSec: number;
    /** Tcp OutRsts per second. */
    resetsPerSec: number;
    /** TcpExt over the window: TIME_WAIT ports taken over by connect() (reuse), and TIME_WAIT destroyed by the cap. */
    twRecycledPerSec: number;
    twOverflowPerSec: number;
  };
  observed: ObservedPattern;
  findings: Finding[];
  level: Level;
}

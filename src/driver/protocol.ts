/**
 * The one protocol between the driver (engine + sampler + target, inside the lab) and the orchestrator
 * on the host, for every lab kind: the orchestrator writes the DriverConfig as the first line of the
 * driver's stdin and later "stop" to end early; the driver writes one DriverEvent per line on stdout.
 * Closing the driver's stdin means the orchestrator is gone: the driver stops at once.
 */
import type { Scenario } from '../config/types.js';
import { PortlabError, type ErrorCode } from '../errors/index.js';
import type { Interval } from '../metrics/types.js';
import type { IntervalCounters } from '../metrics/counters.js';
import type { NatDriverTotals, NatSnapshot } from '../metrics/nat.js';

/** How the driver treats sysctls: write them (namespaces it owns), verify them (docker set them), or only read. */
export type SysctlMode = 'write' | 'verify' | 'read';

export interface DriverConfig {
  scenario: Scenario;
  sysctlMode: SysctlMode;
  /** The sysctls to write or verify (scenario's plus lab defaults); ignored in 'read' mode. */
  sysctls: Record<string, string>;
  /**
   * The target already runs in the lab (docker: its own container sharing the namespace); the driver
   * then only waits until every target port accepts connections.
   */
  externalTarget?: boolean;
  /** nat lab: the gateway to sample (the target already listens in the backend: nothing to wait for). */
  natGateway?: NatGatewayInfo;
}

/** The nat lab's gateway, as the driver (in the clients' namespace) can observe it. */
export interface NatGatewayInfo {
  /** /proc/<gateway pid>/net: the gateway namespace's own conntrack files, readable from the clients'. */
  procNetDir: string;
  /** nf_conntrack_tcp_timeout_time_wait in the gateway, s. */
  conntrackTimeWaitSec: number;
}

export interface DriverReady {
  type: 'ready';
  /** Effective values read back inside the lab. */
  sysctls: Record<string, string>;
  portRange: { low: number; high: number; size: number };
}

export interface DriverOnset {
  type: 'onset';
  atMs: number;
  code: string;
  /** Measured right when the first error came: an immediate /proc/net/tcp sample. */
  clientTimeWait: number;
  portsInUse: number;
  timeWait: number;
  /** nat lab: the gateway at that moment. */
  nat?: NatSnapshot;
}

export interface DriverDone {
  type: 'done';
  interrupted: boolean;
  durationMs: number;
  totals: IntervalCounters;
  connectHist: string | null;
  requestHist: string | null;
  lagHist: string | null;
  /** TcpExt counter deltas over the whole run. */
  netstat: Record<string, number>;
  /** nat lab: the gateway over the run. */
  nat?: NatDriverTotals;
}

export type DriverEvent =
  | DriverReady
  /** The load has begun; plannedStarts is every start (connection or request) the arrival plan asks for. */
  | { type: 'started'; plannedStarts: number }
  | { type: 'interval'; interval: Interval }
  | DriverOnset
  | DriverDone
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'error'; code: ErrorCode; message: string; hint?: string };

/** The line the orchestrator sends to end a run early (Ctrl-C). */
export const STOP_LINE = 'stop';

/** Checks the config line the host sent (it crosses a process boundary). */
export function parseDriverConfig(value: unknown): DriverConfig {
  const config = value as Partial<DriverConfig> | null;
  if (typeof config !== 'object' || config === null || typeof config.scenario !== 'object' || typeof config.sysctlMode !== 'string') {
    throw new PortlabError('DRIVER_FAILED', 'the driver config line lacks scenario or sysctlMode');
  }
  return config as DriverConfig;
}

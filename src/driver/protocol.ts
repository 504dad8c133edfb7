/**
 * The one protocol between the driver (engine + sampler + target, inside the lab) and the orchestrator
 * on the host, for every lab kind: the orchestrator writes the DriverConfig as the first line of the
 * driver's stdin and later "stop" to end early; the driver writes one DriverEvent per line on stdout.
 * Closing the driver's stdin means the orchestrator is gone: the driver stops at once.
 *
 * Both directions cross a process boundary, so each side checks what it reads against a schema proven equal
 * to the types here: the driver its config (refused with DRIVER_CONFIG_INVALID), the host every event line
 * (a line that does not fit becomes a warning naming the field, never a cast).
 */
import { z } from 'zod';
import { describeIssues } from '../config/issues.js';
import { resolvedScenarioSchema } from '../config/resolved-schema.js';
import type { Scenario } from '../config/types.js';
import { isErrorCode, PortlabError, type ErrorCode } from '../errors/index.js';
import { countersSchema, finalStateSchema, intervalSchema, portRangeSchema } from '../metrics/schemas.js';
import type { FinalState, Interval } from '../metrics/types.js';
import type { IntervalCounters } from '../metrics/counters.js';
import type { NatDriverTotals, NatSnapshot } from '../metrics/nat.js';
import { natDriverTotalsSchema, natSnapshotSchema } from '../metrics/nat-schemas.js';
import { proxyDriverTotalsSchema, type ProxyDriverTotals } from '../metrics/proxy.js';
import type { Same } from '../util/same-type.js';
import type { PortRange } from '../util/units.js';

export const SYSCTL_MODES = ['write', 'verify', 'read'] as const;
/** How the driver treats sysctls: write them (namespaces it owns), verify them (docker set them), or only read. */
export type SysctlMode = (typeof SYSCTL_MODES)[number];

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
  /**
   * Start the load only on the host's "go" line, after saying 'armed' (workers and target up): cells of a
   * comparison start together, so no cell's start-up (processes, threads, JIT) lands in another's load.
   */
  holdUntilGo?: boolean;
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
  portRange: PortRange;
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
  /** The lab as the load stopped (the sampler's final reads); absent when they failed. */
  final?: FinalState;
  /** nat lab: the gateway over the run. */
  nat?: NatDriverTotals;
  /** target.proxy: the proxy over the run. */
  proxy?: ProxyDriverTotals;
}

export type DriverEvent =
  | DriverReady
  /** The load has begun; plannedStarts is every start (connection or request) the arrival plan asks for. */
  | { type: 'started'; plannedStarts: number }
  /** Everything is up and waiting for the host's "go" line (only with holdUntilGo). */
  | { type: 'armed' }
  | { type: 'interval'; interval: Interval }
  | DriverOnset
  | DriverDone
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'error'; code: ErrorCode; message: string; hint?: string };

/** The line the orchestrator sends to end a run early (Ctrl-C). */
export const STOP_LINE = 'stop';
/** The line that starts a held load (holdUntilGo). */
export const GO_LINE = 'go';

/** Strict: an option the driver does not know must not be silently ignored (see config/resolved-schema.ts). */
export const driverConfigSchema = z.strictObject({
  scenario: resolvedScenarioSchema,
  sysctlMode: z.enum(SYSCTL_MODES),
  sysctls: z.record(z.string(), z.string()),
  externalTarget: z.boolean().optional(),
  holdUntilGo: z.boolean().optional(),
  natGateway: z.strictObject({ procNetDir: z.string(), conntrackTimeWaitSec: z.number().nonnegative() }).optional(),
});

const count = z.number().int().nonnegative();
const errorCode = z.custom<ErrorCode>((v) => typeof v === 'string' && isErrorCode(v), 'expected a portlab error code');
const histogram = z.string().nullable();

/** One schema per event type, told apart by `type`. */
export const driverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), sysctls: z.record(z.string(), z.string()), portRange: portRangeSchema }),
  z.object({ type: z.literal('started'), plannedStarts: z.number().nonnegative() }),
  z.object({ type: z.literal('armed') }),
  z.object({ type: z.literal('interval'), interval: intervalSchema }),
  z.object({
    type: z.literal('onset'),
    atMs: z.number(),
    code: z.string(),
    clientTimeWait: count,
    portsInUse: count,
    timeWait: count,
    nat: natSnapshotSchema.optional(),
  }),
  z.object({
    type: z.literal('done'),
    interrupted: z.boolean(),
    durationMs: z.number().nonnegative(),
    totals: countersSchema,
    connectHist: histogram,
    requestHist: histogram,
    lagHist: histogram,
    netstat: z.record(z.string(), z.number()),
    final: finalStateSchema.optional(),
    nat: natDriverTotalsSchema.optional(),
    proxy: proxyDriverTotalsSchema.optional(),
  }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn']), message: z.string() }),
  z.object({ type: z.literal('error'), code: errorCode, message: z.string(), hint: z.string().optional() }),
]);

const _configAgrees: Same<z.output<typeof driverConfigSchema>, DriverConfig> = true;
const _eventsAgree: Same<z.output<typeof driverEventSchema>, DriverEvent> = true;

const HINT = 'the lab runs a driver that does not match this portlab: rebuild its image (`portlab lab build`), or report a bug';

/** Checks the config line the host sent (it crosses a process boundary): a config that does not fit is refused, by field. */
export function parseDriverConfig(value: unknown): DriverConfig {
  const parsed = driverConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new PortlabError('DRIVER_CONFIG_INVALID', `the driver's config line is invalid: ${describeIssues(parsed.error.issues, value)}`, { hint: HINT });
  }
  return parsed.data;
}

/** How much of an unusable line a warning quotes. */
const QUOTE_CHARS = 200;

/**
 * One line of the driver's stdout as an event. Text that is not an event (a Node warning) becomes an info
 * log rather than being lost; an event that does not fit its schema becomes a warning that names the field.
 * Blank lines are null.
 */
export function parseEventLine(line: string): DriverEvent | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { type: 'log', level: 'info', message: trimmed };
  }
  const type = typeof value === 'object' && value !== null && 'type' in value ? value.type : undefined;
  if (typeof type !== 'string') return { type: 'log', level: 'info', message: trimmed };
  const parsed = driverEventSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const quote = trimmed.length > QUOTE_CHARS ? `${trimmed.slice(0, QUOTE_CHARS)}...` : trimmed;
  return {
    type: 'log',
    level: 'warn',
    message: `the driver sent an invalid "${type}" event, ignored (${describeIssues(parsed.error.issues, value)}): ${quote}`,
  };
}

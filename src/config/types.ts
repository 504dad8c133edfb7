/** The resolved scenario: every default applied, every unit a number. What labs and engines consume. */
import type { AGENT_DEFAULTS, ARRIVALS, BIND_STRATEGIES, CLOSE_MODES, ENGINES, LAB_KINDS, PATTERNS, PROTOCOLS, UNDICI_APIS } from './schema.js';
import type { PortRange } from '../util/units.js';
import type { ProxySettings } from './proxy.js';

export type LabKind = (typeof LAB_KINDS)[number];
export type Pattern = (typeof PATTERNS)[number];
export type CloseMode = (typeof CLOSE_MODES)[number];
export type Protocol = (typeof PROTOCOLS)[number];
export type EngineKind = (typeof ENGINES)[number];
export type Arrival = (typeof ARRIVALS)[number];
export type BindStrategy = (typeof BIND_STRATEGIES)[number];
export type AgentDefaults = (typeof AGENT_DEFAULTS)[number];
export type UndiciApi = (typeof UNDICI_APIS)[number];

/** The node-agent engine's http.Agent, its defaults applied. */
export interface AgentSettings {
  /** Whose defaults the keys below started from: `new http.Agent()` or http.globalAgent. */
  defaults: AgentDefaults;
  keepAlive: boolean;
  maxSockets?: number;
  /** http.Agent `timeout`: an idle kept-alive socket is closed after this long; absent: never. */
  timeoutMs?: number;
}

/** The undici engine's dispatcher. */
export interface UndiciSettings {
  api: UndiciApi;
  /** Connections per origin; absent: unlimited (undici's default). */
  connections?: number;
  /** Idle keep-alive timeout when the server sends no Keep-Alive hint. */
  keepAliveTimeoutMs: number;
}

/** The sysctl that holds the ephemeral port range connect() draws from. */
export const PORT_RANGE_SYSCTL = 'net.ipv4.ip_local_port_range';

export interface Stage {
  durationMs: number;
  ratePerSec: number;
}

export interface Destination {
  host: string;
  port: number;
}

export interface Expectations {
  eaddrnotavail?: boolean;
  exhaustion?: boolean;
  onsetWithinMs?: [number, number];
  maxErrors?: number;
  minConnected?: number;
  maxClientTimeWait?: number;
  minClientTimeWait?: number;
  maxServerTimeWait?: number;
  minServerTimeWait?: number;
  maxConnectionsOpened?: number;
  maxRequestErrors?: number;
  minRequestErrors?: number;
  errors?: Record<string, boolean>;
  /** nat lab: the gateway drops new connections (true) or never does (false). */
  natDrops?: boolean;
}

/** nat lab: how the gateway translates (lab.nat, defaults applied). */
export interface NatLabSettings {
  /** The ports the gateway SNATs to, on each address. */
  portRange: PortRange;
  addresses: number;
  randomFully: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  /** The file it came from, if any (for messages and the report). */
  sourceFile?: string;
  durationMs: number;
  lab: {
    kind: LabKind;
    /**
     * As the scenario asks, values normalised to strings; the port range in the kernel's form ("40000\t40199"),
     * written from `portRange`.
     */
    sysctls: Record<string, string>;
    /** net.ipv4.ip_local_port_range as the scenario sets it; null when it sets none (the lab keeps its kernel's). */
    portRange: PortRange | null;
    cpus?: number;
    memory?: string;
    image?: string;
    /** Set for lab.kind nat only. */
    nat?: NatLabSettings;
  };
  target: {
    protocol: Protocol;
    ports: number[];
    responseDelayMs: number;
    responseBytes: number;
    connectionClose: boolean;
    /** http: the server closes a keep-alive connection idle this long. */
    keepAliveTimeoutMs: number;
    /** http: keep-alive responses carry "Keep-Alive: timeout=N". */
    keepAliveHint: boolean;
    /** http: the server closes after this many requests on one connection (0: never). */
    maxRequestsPerSocket: number;
    /** The bundled proxy in front of the target (target.proxy). */
    proxy?: ProxySettings;
  };
  client: {
    engine: EngineKind;
    pattern: Pattern;
    close: CloseMode;
    /** The arrival plan; a constant `rate` becomes one stage as long as the run. */
    stages: Stage[];
    arrival: Arrival;
    /** arrival: poisson draws its gaps from this seed, so a run can be repeated exactly. */
    seed: number;
    pool: { size: number; maxRequestsPerConnection: number; maxLifetimeMs: number };
    agent: AgentSettings;
    undici: UndiciSettings;
    pipelining: number;
    /** churn: request/response exchanges per connection before it closes (0: connect, then close). */
    requestsPerConnection: number;
    sourceAddresses: string[];
    /** How bound sources get their port: bind(ip, 0) (exclusive per port) or IP_BIND_ADDRESS_NO_PORT (per 4-tuple). */
    bindStrategy: BindStrategy;
    /** no-port: the per-socket port range (IP_LOCAL_PORT_RANGE); null: the lab's whole range. */
    socketPortRange: PortRange | null;
    destinations: Destination[];
    maxInFlight: number;
    /** node-agent, undici: a request whose keep-alive connection was reset is sent again, up to this many times. */
    retries: number;
    connectTimeoutMs: number;
    workers: number;
  };
  expect: Expectations;
  sampler: { sockstatIntervalMs: number; tcpIntervalMs: number; reportIntervalMs: number };
}

/** A problem found in a scenario: an error stops the run, a warning is printed and the run goes on. */
export interface Problem {
  severity: 'error' | 'warning';
  /** Path inside the scenario, e.g. ["client", "rate"]. */
  path: (string | number)[];
  message: string;
  /** Where it is: file:line:col, or the flag that set it. */
  location?: string;
}

export type { PortRange };

/**
 * The scenario schema: the one source of truth that validates scenario files and flags and emits
 * scenarios/schema.json for editors. Values keep the user's units here ("10s", "100/s"); resolve.ts turns
 * them into numbers. Defaults live here so the JSON Schema shows them too.
 */
import { z } from 'zod';
import { labAddressProblem, labDestinationProblem } from '../util/loopback.js';
import { parseDurationMs, parseRatePerSec } from '../util/units.js';
import { proxyTargetSchema } from './proxy.js';

/** Longest run portlab accepts: every load loop must stop by itself. */
export const MAX_DURATION_MS = 3_600_000;
/** Highest arrival rate accepted; far above what one machine can drive, so only a typo hits it. */
export const MAX_RATE_PER_SEC = 1_000_000;
/**
 * Lengths of lists and texts, so that nothing a scenario holds is copied unbounded into every report (the
 * description is) or checked pairwise; the file as a whole is bounded by config/bounds.ts.
 */
export const SCHEMA_LIMITS = {
  nameChars: 100,
  descriptionChars: 2000,
  targetPorts: 1000,
  addresses: 1000,
  stages: 1000,
  sysctls: 200,
} as const;

const atMost = (n: number, what: string) => `at most ${n} ${what}`;

const duration = (what: string) =>
  z
    .string({ error: `expected a duration like "10s" for ${what}` })
    .superRefine((text, ctx) => {
      const parsed = parseDurationMs(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
      else if (parsed.value > MAX_DURATION_MS) ctx.addIssue({ code: 'custom', message: `${text} is longer than the 1h limit` });
    })
    .meta({ pattern: '^\\d+(\\.\\d+)?(ms|s|m|h)$' });

const positiveDuration = (what: string) =>
  duration(what).superRefine((text, ctx) => {
    const parsed = parseDurationMs(text);
    if (parsed.ok && parsed.value <= 0) ctx.addIssue({ code: 'custom', message: `${what} must be longer than 0` });
  });

const rate = z
  .union([z.string(), z.number()], { error: 'expected a rate like "100/s" or a number per second' })
  .superRefine((value, ctx) => {
    const parsed = parseRatePerSec(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    else if (parsed.value <= 0) ctx.addIssue({ code: 'custom', message: 'a rate must be above 0 (a rate of 0 opens nothing)' });
    else if (parsed.value > MAX_RATE_PER_SEC) ctx.addIssue({ code: 'custom', message: `a rate above ${MAX_RATE_PER_SEC}/s is not supported` });
  })
  .meta({ description: 'Connections per second (churn) or requests per second (pool): "100/s", "6000/m" or a number.' });

const port = z.number({ error: 'expected a port number' }).int('a port must be a whole number').min(1, 'ports start at 1').max(65535, 'ports end at 65535');

// For editors (the JSON Schema); the checks below are the ones that decide.
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LOOPBACK_PATTERN = `(127\\.${OCTET}\\.${OCTET}\\.${OCTET}|::1)`;

/**
 * Only loopback IP literals (and the nat lab's own 198.18.0.0/15, which config/nat.ts allows in that lab
 * only), never host names: portlab never sends traffic anywhere else, nor resolves.
 */
export const labAddress = z
  .string({ error: 'expected an IP address like "127.0.0.2"' })
  .superRefine((text, ctx) => {
    const problem = labAddressProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: `^${LOOPBACK_PATTERN}$` });

const destination = z
  .string({ error: 'expected "HOST:PORT", like "127.0.0.1:9000"' })
  .superRefine((text, ctx) => {
    const problem = labDestinationProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: `^(127\\.${OCTET}\\.${OCTET}\\.${OCTET}|\\[::1\\]):\\d{1,5}$` });

const sysctlValue = z.union([z.string(), z.number()], { error: 'expected a sysctl value (a string or a number)' });

export const LAB_KINDS = ['auto', 'userns', 'netns', 'docker', 'host', 'nat'] as const;
export const PATTERNS = ['churn', 'pool'] as const;
export const CLOSE_MODES = ['client', 'server', 'reset', 'never'] as const;
/** udp: connected UDP sockets (raw engine only) against a UDP echo target on the same ports. */
export const PROTOCOLS = ['tcp', 'http', 'udp'] as const;
export const ENGINES = ['raw', 'autocannon', 'node-agent', 'undici'] as const;
/** How arrivals are spaced: evenly, or as a Poisson process (random gaps, the same mean rate). */
export const ARRIVALS = ['uniform', 'poisson'] as const;
/** bind: bind(ip, 0) then connect (Node's localAddress); no-port: IP_BIND_ADDRESS_NO_PORT, the port chosen at connect. */
export const BIND_STRATEGIES = ['bind', 'no-port'] as const;
/** Which http.Agent the node-agent engine starts from: `new http.Agent()`'s defaults or http.globalAgent's. */
export const AGENT_DEFAULTS = ['new', 'global'] as const;
/** How the undici engine sends a request: its `request` API or its `fetch`. */
export const UNDICI_APIS = ['request', 'fetch'] as const;

// The port range's value is parsed (and checked) by the resolver, once, into the Scenario's portRange.
const sysctls = z
  .record(z.string().regex(/^net\.[a-z0-9_.-]+$/, 'only net.* sysctls can be set in a lab'), sysctlValue)
  .refine((record) => Object.keys(record).length <= SCHEMA_LIMITS.sysctls, atMost(SCHEMA_LIMITS.sysctls, 'sysctls'))
  .meta({ description: 'Any net.* sysctl, applied inside the lab only and read back.' });

// --- nat lab (lab.kind: nat): a gateway namespace between the clients and the backend SNATs to a port range.
/** Most NAT addresses a lab gives its gateway (198.18.1.101 upward). */
export const NAT_MAX_ADDRESSES = 16;
/** lab.nat when the nat lab's scenario leaves it out. */
export const NAT_DEFAULTS = { portRange: '40000-40099', addresses: 1, randomFully: false } as const;

// The port range is parsed (and checked) by the resolver, once, into the Scenario's lab.nat.portRange.
const natLab = z
  .strictObject({
    portRange: z
      .string({ error: 'expected a port range "LOW-HIGH", like "40000-40099"' })
      .default(NAT_DEFAULTS.portRange)
      .meta({ description: 'the ports the gateway SNATs to, on each NAT address' }),
    addresses: z.number().int('nat.addresses must be a whole number').min(1).max(NAT_MAX_ADDRESSES).default(NAT_DEFAULTS.addresses).meta({ description: 'NAT addresses (198.18.1.101 upward)' }),
    randomFully: z.boolean().default(NAT_DEFAULTS.randomFully).meta({ description: 'SNAT --random-fully: pick each NAT port at random' }),
  })
  .optional()
  .meta({ description: 'nat lab: how the gateway translates the clients\' connections' });

const natExpect = {
  natDrops: z.boolean().optional().meta({ description: 'nat lab: the gateway drops new connections (conntrack insert_failed/drop rise); false: never' }),
};
// --- end nat lab

const lab = z
  .strictObject({
    kind: z.enum(LAB_KINDS, { error: `expected one of ${LAB_KINDS.join(', ')}` }).default('auto'),
    sysctls: sysctls.default({}),
    cpus: z.number().positive('cpus must be above 0').optional().meta({ description: 'docker lab: CPU limit per container' }),
    memory: z
      .string()
      .regex(/^\d+[kmg]?$/i, 'expected a size like "512m" or "1g"')
      .optional()
      .meta({ description: 'docker lab: memory limit per container, like "512m"' }),
    image: z.string().optional().meta({ description: 'docker lab: image to run (default: the one `portlab lab build` makes)' }),
    nat: natLab,
  })
  .default({ kind: 'auto', sysctls: {} });

const target = z
  .strictObject({
    protocol: z.enum(PROTOCOLS, { error: `expected one of ${PROTOCOLS.join(', ')}` }).default('tcp'),
    ports: z.array(port).min(1, 'at least one target port').max(SCHEMA_LIMITS.targetPorts, atMost(SCHEMA_LIMITS.targetPorts, 'target ports')).default([9000]),
    responseDelay: duration('target.responseDelay').default('0ms'),
    responseBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(16).meta({ description: 'bytes in each response' }),
    connectionClose: z.boolean().default(false).meta({ description: 'http: answer with "Connection: close" (server closes first)' }),
    keepAliveTimeout: positiveDuration('target.keepAliveTimeout')
      .default('65s')
      .meta({ description: 'http: the server closes a keep-alive connection idle this long (Node\'s server.keepAliveTimeout)' }),
    keepAliveHint: z.boolean().default(true).meta({ description: 'http: send "Keep-Alive: timeout=N" with keep-alive responses (Node\'s server does)' }),
    maxRequestsPerSocket: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(0)
      .meta({ description: 'http: after this many requests the server answers "Connection: close" and closes (0: no limit)' }),
    proxy: proxyTargetSchema,
  })
  .default({
    protocol: 'tcp',
    ports: [9000],
    responseDelay: '0ms',
    responseBytes: 16,
    connectionClose: false,
    keepAliveTimeout: '65s',
    keepAliveHint: true,
    maxRequestsPerSocket: 0,
  });

const stage = z.strictObject({
  duration: positiveDuration('a stage duration'),
  rate,
});

const pool = z
  .strictObject({
    size: z.number().int('pool.size must be a whole number').min(1, 'pool.size must be at least 1').max(200_000).default(10),
    maxRequestsPerConnection: z.number().int().min(0).default(0).meta({ description: '0: never recycle for this reason' }),
    maxLifetime: duration('pool.maxLifetime').default('0s').meta({ description: '0s: never recycle for this reason' }),
  })
  .default({ size: 10, maxRequestsPerConnection: 0, maxLifetime: '0s' });

const agent = z
  .strictObject({
    defaults: z
      .enum(AGENT_DEFAULTS, { error: `expected one of ${AGENT_DEFAULTS.join(', ')}` })
      .default('new')
      .meta({ description: "new: new http.Agent()'s defaults (keepAlive off); global: http.globalAgent's (Node 19+: keepAlive on, timeout 5s)" }),
    keepAlive: z.boolean().optional().meta({ description: 'default: false (defaults: new), true (defaults: global)' }),
    maxSockets: z.number().int().min(1).optional().meta({ description: 'default: unlimited (Infinity)' }),
    timeout: positiveDuration('client.agent.timeout')
      .optional()
      .meta({ description: "the agent's socket timeout: an idle kept-alive socket is closed after it (default: none; 5s with defaults: global)" }),
  })
  .default({ defaults: 'new' });

const undici = z
  .strictObject({
    api: z.enum(UNDICI_APIS, { error: `expected one of ${UNDICI_APIS.join(', ')}` }).default('request'),
    connections: z.number().int().min(1).optional().meta({ description: 'connections per origin (default: unlimited)' }),
    keepAliveTimeout: positiveDuration('client.undici.keepAliveTimeout')
      .default('4s')
      .meta({ description: 'idle keep-alive timeout when the server sends no Keep-Alive hint (undici: 4s); with a hint undici uses hint - 2s' }),
  })
  .default({ api: 'request', keepAliveTimeout: '4s' });

const client = z
  .strictObject({
    engine: z.enum(ENGINES, { error: `expected one of ${ENGINES.join(', ')}` }).default('raw'),
    pattern: z.enum(PATTERNS, { error: `expected one of ${PATTERNS.join(', ')} (churn: a new connection per request, pool: persistent connections)` }).default('churn'),
    close: z
      .enum(CLOSE_MODES, { error: `expected one of ${CLOSE_MODES.join(', ')}` })
      .default('client')
      .meta({ description: 'churn: who ends a connection: client (FIN first), server, reset (RST), or never (a leak: open until the run ends)' }),
    rate: rate.optional(),
    stages: z.array(stage).min(1, 'stages needs at least one stage').max(SCHEMA_LIMITS.stages, atMost(SCHEMA_LIMITS.stages, 'stages')).optional(),
    arrival: z
      .enum(ARRIVALS, { error: `expected one of ${ARRIVALS.join(', ')}` })
      .default('uniform')
      .meta({ description: 'uniform: evenly spaced starts; poisson: random gaps with the same mean rate (reproducible with seed)' }),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).meta({ description: 'arrival: poisson draws its gaps from this seed' }),
    pool,
    agent,
    undici,
    pipelining: z.number().int().min(1).max(1024).default(1).meta({ description: 'autocannon, undici: requests in flight per connection' }),
    requestsPerConnection: z
      .number()
      .int('requestsPerConnection must be a whole number')
      .min(0)
      .max(1_000_000)
      .default(1)
      .meta({ description: 'churn: request/response exchanges before the close; 0 connects and closes at once (a pure connect-rate load)' }),
    sourceAddresses: z
      .array(labAddress)
      .min(1, 'at least one source address')
      .max(SCHEMA_LIMITS.addresses, atMost(SCHEMA_LIMITS.addresses, 'source addresses'))
      .default(['127.0.0.1']),
    bindStrategy: z
      .enum(BIND_STRATEGIES, { error: `expected one of ${BIND_STRATEGIES.join(', ')}` })
      .default('bind')
      .meta({ description: 'with source addresses: bind (bind(ip, 0), each port exclusive) or no-port (IP_BIND_ADDRESS_NO_PORT, ports per 4-tuple; needs koffi)' }),
    socketPortRange: z
      .union([z.string(), z.number()], { error: 'expected a port range like "40000-40009"' })
      .optional()
      .meta({ description: 'no-port: each socket draws its port from this narrower range, "LOW-HIGH" (IP_LOCAL_PORT_RANGE, Linux 6.3; needs koffi)' }),
    destinations: z.array(destination).min(1).max(SCHEMA_LIMITS.addresses, atMost(SCHEMA_LIMITS.addresses, 'destinations')).optional().meta({ description: 'default: every target port on 127.0.0.1 (in the nat lab: on its backend 198.18.1.2)' }),
    maxInFlight: z.number().int().min(1, 'maxInFlight must be at least 1').max(1_000_000).default(1000),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .meta({ description: 'node-agent, undici: retry a request whose keep-alive connection was reset, up to this many times (GET is idempotent)' }),
    connectTimeout: positiveDuration('client.connectTimeout').default('2s'),
    workers: z.number().int().min(1, 'workers must be at least 1').max(64).default(2),
  })
  .default({
    engine: 'raw',
    pattern: 'churn',
    close: 'client',
    arrival: 'uniform',
    seed: 1,
    pool: { size: 10, maxRequestsPerConnection: 0, maxLifetime: '0s' },
    agent: { defaults: 'new' },
    undici: { api: 'request', keepAliveTimeout: '4s' },
    pipelining: 1,
    requestsPerConnection: 1,
    sourceAddresses: ['127.0.0.1'],
    bindStrategy: 'bind',
    maxInFlight: 1000,
    retries: 0,
    connectTimeout: '2s',
    workers: 2,
  });

const expect = z
  .strictObject({
    eaddrnotavail: z.boolean().optional().meta({ description: 'exhaustion must (true) or must not (false) happen' }),
    exhaustion: z.boolean().optional().meta({ description: 'like eaddrnotavail, but EADDRINUSE from bound sources counts too' }),
    onsetWithin: z.tuple([duration('expect.onsetWithin'), duration('expect.onsetWithin')]).optional(),
    maxErrors: z.number().int().min(0).optional(),
    minConnected: z.number().int().min(0).optional(),
    maxClientTimeWait: z.number().int().min(0).optional(),
    minClientTimeWait: z.number().int().min(0).optional(),
    maxServerTimeWait: z.number().int().min(0).optional(),
    minServerTimeWait: z.number().int().min(0).optional(),
    maxConnectionsOpened: z.number().int().min(0).optional().meta({ description: 'pool: at most this many connections opened' }),
    maxRequestErrors: z.number().int().min(0).optional().meta({ description: 'at most this many failed requests (resets, timeouts ...)' }),
    minRequestErrors: z.number().int().min(0).optional().meta({ description: 'at least this many failed requests (a reset race must show)' }),
    errors: z.record(z.string().regex(/^E[A-Z0-9_]+$/, 'expected a Node error code like EADDRINUSE'), z.boolean()).optional()
      .meta({ description: 'error codes that must (true) or must not (false) appear' }),
    ...natExpect,
  })
  .optional();

const sampler = z
  .strictObject({
    sockstatInterval: positiveDuration('sampler.sockstatInterval').default('100ms'),
    tcpInterval: positiveDuration('sampler.tcpInterval').default('1s'),
    reportInterval: positiveDuration('sampler.reportInterval').default('250ms').meta({ description: 'width of one interval in the report' }),
  })
  .default({ sockstatInterval: '100ms', tcpInterval: '1s', reportInterval: '250ms' });

/** A scenario file as written (and as flags override it). */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string({ error: 'expected a name' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" in a name')
      .max(SCHEMA_LIMITS.nameChars, `a name has ${atMost(SCHEMA_LIMITS.nameChars, 'characters')} (it names the results folder)`)
      .default('adhoc'),
    description: z
      .string()
      .max(SCHEMA_LIMITS.descriptionChars, `a description has ${atMost(SCHEMA_LIMITS.descriptionChars, 'characters')} (every report repeats it)`)
      .default(''),
    duration: positiveDuration('duration').optional(),
    lab,
    target,
    client,
    expect,
    sampler,
  })
  .meta({ title: 'portlab scenario', description: 'A connection pattern to run in an isolated lab: see design.md.' });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioParsed = z.output<typeof scenarioSchema>;

/** The JSON Schema editors use (scenarios/schema.json), generated from the same schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * The resolved Scenario as a zod schema, for where it crosses a process boundary: the driver checks the
 * config line the host sent with it (driver/protocol.ts). The `Same` line proves it equal to the Scenario
 * type, so neither can change alone. Objects are strict: a key the driver does not know would be an option
 * silently ignored (a host newer than the lab's image), so it is refused by name instead. Numbers are
 * checked as the resolver makes them; addresses are loopback (or the nat lab's 198.18.0.0/15), as in the
 * scenario schema.
 */
import { z } from 'zod';
import { portRangeSchema } from '../metrics/schemas.js';
import type { Same } from '../util/same-type.js';
import { AGENT_DEFAULTS, ARRIVALS, BIND_STRATEGIES, CLOSE_MODES, ENGINES, LAB_KINDS, labAddress, NAT_MAX_ADDRESSES, PATTERNS, PROTOCOLS, UNDICI_APIS } from './schema.js';
import type { Scenario } from './types.js';
import { resolvedProxySchema } from './proxy.js';

const ms = z.number().nonnegative();
const whole = z.number().int().nonnegative();
const atLeastOne = z.number().int().min(1);
const port = z.number().int().min(1).max(65535);

const expectations = z.strictObject({
  eaddrnotavail: z.boolean().optional(),
  exhaustion: z.boolean().optional(),
  onsetWithinMs: z.tuple([ms, ms]).optional(),
  maxErrors: whole.optional(),
  minConnected: whole.optional(),
  maxClientTimeWait: whole.optional(),
  minClientTimeWait: whole.optional(),
  maxServerTimeWait: whole.optional(),
  minServerTimeWait: whole.optional(),
  maxConnectionsOpened: whole.optional(),
  maxRequestErrors: whole.optional(),
  minRequestErrors: whole.optional(),
  errors: z.record(z.string(), z.boolean()).optional(),
  natDrops: z.boolean().optional(),
});

const natLab = z.strictObject({
  portRange: portRangeSchema,
  addresses: z.number().int().min(1).max(NAT_MAX_ADDRESSES),
  randomFully: z.boolean(),
});

export const resolvedScenarioSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  sourceFile: z.string().optional(),
  durationMs: ms,
  lab: z.strictObject({
    kind: z.enum(LAB_KINDS),
    sysctls: z.record(z.string(), z.string()),
    portRange: portRangeSchema.nullable(),
    cpus: z.number().positive().optional(),
    memory: z.string().optional(),
    image: z.string().optional(),
    nat: natLab.optional(),
  }),
  target: z.strictObject({
    protocol: z.enum(PROTOCOLS),
    ports: z.array(port).min(1),
    responseDelayMs: ms,
    responseBytes: atLeastOne,
    connectionClose: z.boolean(),
    keepAliveTimeoutMs: ms,
    keepAliveHint: z.boolean(),
    maxRequestsPerSocket: whole,
    proxy: resolvedProxySchema.optional(),
  }),
  client: z.strictObject({
    engine: z.enum(ENGINES),
    pattern: z.enum(PATTERNS),
    close: z.enum(CLOSE_MODES),
    stages: z.array(z.strictObject({ durationMs: ms, ratePerSec: z.number().nonnegative() })).min(1),
    arrival: z.enum(ARRIVALS),
    seed: whole,
    pool: z.strictObject({ size: atLeastOne, maxRequestsPerConnection: whole, maxLifetimeMs: ms }),
    agent: z.strictObject({ defaults: z.enum(AGENT_DEFAULTS), keepAlive: z.boolean(), maxSockets: atLeastOne.optional(), timeoutMs: ms.optional() }),
    undici: z.strictObject({ api: z.enum(UNDICI_APIS), connections: atLeastOne.optional(), keepAliveTimeoutMs: ms }),
    pipelining: atLeastOne,
    requestsPerConnection: whole,
    sourceAddresses: z.array(labAddress).min(1),
    bindStrategy: z.enum(BIND_STRATEGIES),
    socketPortRange: portRangeSchema.nullable(),
    destinations: z.array(z.strictObject({ host: labAddress, port })).min(1),
    maxInFlight: atLeastOne,
    retries: whole,
    connectTimeoutMs: ms,
    workers: atLeastOne,
  }),
  expect: expectations,
  sampler: z.strictObject({ sockstatIntervalMs: ms, tcpIntervalMs: ms, reportIntervalMs: ms }),
});

const _scenarioAgrees: Same<z.output<typeof resolvedScenarioSchema>, Scenario> = true;

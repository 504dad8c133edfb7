/**
 * The loads a worker can run, and what each can run against: part of resolving a scenario, so `portlab
 * validate` reports them, located, before any lab is made.
 *
 * Why the checks live here and not beside each load's factory in engine/loads/: config sits below engine
 * (config may not import it), and validate must find these problems on every path that resolves a scenario.
 * Injecting the checks from the caller would let a caller that forgets (a test, bench, a new command)
 * skip them silently. So each load's spec (the protocol it speaks, its checks) lives here, keyed by the
 * load's name, and engine/loads/registry.ts pairs each spec with its factory under the same name: both
 * tables are typed `{[name in LoadName]: ...}`, so a load missing from either side fails to compile.
 */
import { assertNever } from '../util/assert.js';
import { canResolve } from '../util/optional-module.js';
import { bindsSource } from './binding.js';
import type { EngineKind, Problem, Protocol, Scenario } from './types.js';

export const LOAD_NAMES = ['churn', 'pool', 'node-agent', 'autocannon', 'undici', 'udp'] as const;
export type LoadName = (typeof LOAD_NAMES)[number];

/**
 * The load a scenario's client runs: the raw engine by its pattern (both patterns over UDP are one load),
 * the HTTP engines by their name.
 */
export function loadNameOf(client: Pick<Scenario['client'], 'engine' | 'pattern'>, protocol: Protocol = 'tcp'): LoadName {
  switch (client.engine) {
    case 'raw':
      return protocol === 'udp' ? 'udp' : client.pattern;
    case 'node-agent':
    case 'autocannon':
    case 'undici':
      return client.engine;
    default:
      return assertNever(client.engine);
  }
}

/** One check of a scenario against a load; returns what it finds (usually nothing). */
type Check = (scenario: Scenario) => Problem[];

export interface LoadSpec {
  /** The client.engine that runs it. */
  engine: EngineKind;
  /** What the load sends: portlab's line protocol (tcp), HTTP, or datagrams (udp). The target must speak it too. */
  protocol: Protocol;
  /** Checks beyond the protocol, in the order validate reports them. */
  checks: readonly Check[];
}

const error = (path: Problem['path'], message: string): Problem[] => [{ severity: 'error', path, message }];

const noReset: Check = ({ client }) =>
  client.close === 'reset' ? error(['client', 'close'], `the ${client.engine} engine cannot end connections with RST: use the raw engine for close: reset`) : [];

const constantRate: Check = ({ client }) =>
  new Set(client.stages.map((s) => s.ratePerSec)).size > 1
    ? error(['client', 'stages'], 'autocannon runs one constant rate: give client.rate instead of a ramp of stages')
    : [];

const noBoundSources: Check = ({ client }) =>
  bindsSource(client) ? error(['client', 'sourceAddresses'], 'autocannon cannot bind source addresses: use client.engine node-agent or raw') : [];

const pipeliningIgnored: Check = ({ client }) =>
  client.pipelining > 1 ? [{ severity: 'warning', path: ['client', 'pipelining'], message: 'client.pipelining applies to the autocannon and undici engines only' }] : [];

const retriesIgnored: Check = ({ client }) =>
  client.retries > 0 ? [{ severity: 'warning', path: ['client', 'retries'], message: 'client.retries applies to the node-agent and undici engines only' }] : [];

const noLeak: Check = ({ client }) =>
  client.close === 'never' ? error(['client', 'close'], `close: never (a leak) is a raw-engine churn pattern: use client.engine raw with pattern churn`) : [];

const ownPacing: Check = ({ client }) =>
  client.arrival !== 'uniform' ? error(['client', 'arrival'], 'autocannon paces its own requests: arrival poisson needs the raw, node-agent or undici engine') : [];

/** IP_BIND_ADDRESS_NO_PORT needs setsockopt(), which Node lacks: the optional FFI package koffi provides it. */
const noPortNeedsKoffi: Check = ({ client }) =>
  client.bindStrategy === 'no-port' && bindsSource(client) && !canResolve('koffi')
    ? error(['client', 'bindStrategy'], 'no-port needs the optional package koffi to call setsockopt(IP_BIND_ADDRESS_NO_PORT), and it is not installed: `npm install koffi`, or use bindStrategy: bind')
    : [];

/** UDP has no connection for the server to end and no RST: a socket is closed by the client or held. */
const udpClose: Check = ({ client }) =>
  client.pattern === 'churn' && (client.close === 'server' || client.close === 'reset')
    ? error(['client', 'close'], `UDP has no connection to end by the server or by RST: use close: client (close the socket) or never (hold it)`)
    : [];

/** The UDP load connects unbound sockets only: one source address, the kernel's choice. */
const udpNoBoundSources: Check = ({ client }) =>
  bindsSource(client) ? error(['client', 'sourceAddresses'], 'the udp load does not bind source addresses: leave client.sourceAddresses at its default') : [];

/** The UDP pool holds its sockets for the whole run; recycling is a TCP pool's feature. */
const udpNoRecycling: Check = ({ client }) =>
  client.pool.maxLifetimeMs > 0 || client.pool.maxRequestsPerConnection > 0
    ? error(['client', 'pool'], 'a UDP pool holds its sockets for the whole run: maxLifetime and maxRequestsPerConnection apply to TCP pools only')
    : [];

/** HTTP server keys mean nothing to the UDP echo target: an error, not a silent default. */
const udpNoHttpKeys: Check = ({ target }) => {
  const set: [string, boolean][] = [
    ['connectionClose', target.connectionClose],
    ['keepAliveTimeout', target.keepAliveTimeoutMs !== HTTP_DEFAULTS.keepAliveTimeoutMs],
    ['keepAliveHint', target.keepAliveHint !== HTTP_DEFAULTS.keepAliveHint],
    ['maxRequestsPerSocket', target.maxRequestsPerSocket !== 0],
  ];
  return set.filter(([, given]) => given).flatMap(([key]) => error(['target', key], 'an HTTP server key: the udp target echoes datagrams and closes nothing'));
};

/**
 * The docker lab probes its target container over TCP, and the nat lab translates TCP only (its SNAT rule is
 * `-p tcp`): UDP would never reach the one or pass the other's NAT.
 */
const udpLab: Check = ({ lab }) =>
  lab.kind === 'docker' || lab.kind === 'nat' ? error(['lab', 'kind'], `the ${lab.kind} lab carries TCP only: run target.protocol udp in the userns, netns or host lab`) : [];

/** Every load, by name: what it speaks and what it checks. */
export const LOAD_SPECS: { readonly [N in LoadName]: LoadSpec } = {
  churn: { engine: 'raw', protocol: 'tcp', checks: [pipeliningIgnored, retriesIgnored, noPortNeedsKoffi] },
  pool: { engine: 'raw', protocol: 'tcp', checks: [pipeliningIgnored, retriesIgnored, noPortNeedsKoffi] },
  'node-agent': { engine: 'node-agent', protocol: 'http', checks: [noReset, noLeak, pipeliningIgnored, noPortNeedsKoffi] },
  autocannon: { engine: 'autocannon', protocol: 'http', checks: [noReset, noLeak, constantRate, ownPacing, noBoundSources, retriesIgnored] },
  undici: { engine: 'undici', protocol: 'http', checks: [noReset, noLeak, noPortNeedsKoffi] },
  udp: { engine: 'raw', protocol: 'udp', checks: [udpClose, udpNoBoundSources, udpNoRecycling, udpNoHttpKeys, udpLab, pipeliningIgnored, retriesIgnored] },
};

/** The http target's defaults (schema.ts), against which the UDP checks see a key that was set. */
const HTTP_DEFAULTS = { keepAliveTimeoutMs: 65_000, keepAliveHint: true } as const;

/** Why a load cannot talk to a target of another protocol; null when they match. */
export function protocolMismatch(spec: LoadSpec, target: Protocol): Problem | null {
  const { engine, protocol: spoken } = spec;
  if (spoken === target) return null;
  switch (spoken) {
    case 'http':
      return {
        severity: 'error',
        path: ['target', 'protocol'],
        message: target === 'udp'
          ? `client.engine ${engine} sends HTTP requests, which UDP cannot carry: use client.engine raw with target.protocol udp`
          : `client.engine ${engine} sends HTTP requests: set target.protocol to http`,
      };
    case 'tcp':
      return {
        severity: 'error',
        path: ['client', 'engine'],
        message: "the raw engine speaks portlab's line protocol, not HTTP: use client.engine node-agent, undici or autocannon with target.protocol http",
      };
    case 'udp':
      return { severity: 'error', path: ['target', 'protocol'], message: 'the udp load sends datagrams: set target.protocol to udp' };
    default:
      return assertNever(spoken);
  }
}

/** What the scenario's load cannot run, errors and warnings, as validate reports them. */
export function engineProblems(scenario: Scenario): Problem[] {
  const spec = LOAD_SPECS[loadNameOf(scenario.client, scenario.target.protocol)];
  const mismatch = protocolMismatch(spec, scenario.target.protocol);
  return [...(mismatch ? [mismatch] : []), ...spec.checks.flatMap((check) => check(scenario))];
}

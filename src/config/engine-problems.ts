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
import { bindsSource } from './binding.js';
import type { EngineKind, Problem, Protocol, Scenario } from './types.js';

export const LOAD_NAMES = ['churn', 'pool', 'node-agent', 'autocannon'] as const;
export type LoadName = (typeof LOAD_NAMES)[number];

/** The load a scenario's client runs: the raw engine by its pattern, the HTTP engines by their name. */
export function loadNameOf(client: Pick<Scenario['client'], 'engine' | 'pattern'>): LoadName {
  switch (client.engine) {
    case 'raw':
      return client.pattern;
    case 'node-agent':
    case 'autocannon':
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
  /** What the load sends: portlab's line protocol (tcp) or HTTP. The target must speak it too. */
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
  client.pipelining > 1 ? [{ severity: 'warning', path: ['client', 'pipelining'], message: 'client.pipelining applies to the autocannon engine only' }] : [];

/** Every load, by name: what it speaks and what it checks. */
export const LOAD_SPECS: { readonly [N in LoadName]: LoadSpec } = {
  churn: { engine: 'raw', protocol: 'tcp', checks: [pipeliningIgnored] },
  pool: { engine: 'raw', protocol: 'tcp', checks: [pipeliningIgnored] },
  'node-agent': { engine: 'node-agent', protocol: 'http', checks: [noReset, pipeliningIgnored] },
  autocannon: { engine: 'autocannon', protocol: 'http', checks: [noReset, constantRate, noBoundSources] },
};

/** Why a load cannot talk to a target of another protocol; null when they match. */
export function protocolMismatch(spec: LoadSpec, target: Protocol): Problem | null {
  const { engine, protocol: spoken } = spec;
  if (spoken === target) return null;
  switch (spoken) {
    case 'http':
      return { severity: 'error', path: ['target', 'protocol'], message: `client.engine ${engine} sends HTTP requests: set target.protocol to http` };
    case 'tcp':
      return {
        severity: 'error',
        path: ['client', 'engine'],
        message: "the raw engine speaks portlab's line protocol, not HTTP: use client.engine node-agent or autocannon with target.protocol http",
      };
    default:
      return assertNever(spoken);
  }
}

/** What the scenario's load cannot run, errors and warnings, as validate reports them. */
export function engineProblems(scenario: Scenario): Problem[] {
  const spec = LOAD_SPECS[loadNameOf(scenario.client)];
  const mismatch = protocolMismatch(spec, scenario.target.protocol);
  return [...(mismatch ? [mismatch] : []), ...spec.checks.flatMap((check) => check(scenario))];
}

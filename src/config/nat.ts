/**
 * The nat lab's addresses and the checks that keep them inside it. The lab is three namespaces on two
 * links, numbered from 198.18.0.0/15 (RFC 2544, set aside for test networks): the clients' link
 * 198.18.0.0/24 (gateway .1, clients .2 upward) and the backend's link 198.18.1.0/24 (gateway .1, backend
 * .2 to .99, NAT addresses .101 upward). These addresses exist only inside that lab, so every other lab
 * refuses them, and the nat lab refuses anything else (its clients' namespace has nothing on loopback).
 */
import { NAT_DEFAULTS, type ScenarioParsed } from './schema.js';
import type { Destination, NatLabSettings, Problem } from './types.js';
import { isNatLabHost } from '../util/loopback.js';
import { parsePortRange } from '../util/units.js';

export const NAT_NET = {
  clientsPrefixLength: 24,
  /** The gateway on the clients' link, their route to the backend. */
  gatewayClients: '198.18.0.1',
  /** The clients' own address, used when the scenario names no source addresses. */
  client: '198.18.0.2',
  gatewayBackend: '198.18.1.1',
  /** The backend, and the default destination host. */
  backend: '198.18.1.2',
  backendNetwork: '198.18.1.0/24',
  /** Last octet of the first NAT address. */
  natFirstOctet: 101,
} as const;

/** The gateway's NAT addresses: 198.18.1.101 upward. */
export function natAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `198.18.1.${NAT_NET.natFirstOctet + i}`);
}

function octets(address: string): number[] | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

/** True for an IPv4 literal in 198.18.0.0/15 (util/loopback.ts holds the one rule). */
export const inLabNetwork = isNatLabHost;

/** 198.18.<third>.<last> with last inside [low, high]. */
function onLink(address: string, third: number, low: number, high: number): boolean {
  const o = octets(address);
  return o !== null && o[0] === 198 && o[1] === 18 && o[2] === third && o[3]! >= low && o[3]! <= high;
}

/** The host every default destination uses: the nat lab's backend, else loopback. */
export function defaultDestinationHost(kind: string): string {
  return kind === 'nat' ? NAT_NET.backend : '127.0.0.1';
}

/**
 * Checks the addresses against the lab kind and resolves lab.nat (defaults applied) for the nat lab;
 * problems carry paths like every other check.
 */
export function resolveNat(input: ScenarioParsed, destinations: Destination[], problems: Problem[]): NatLabSettings | undefined {
  const { kind } = input.lab;
  const sources = input.client.sourceAddresses;
  if (kind !== 'nat') {
    if (input.lab.nat !== undefined) problems.push({ severity: 'error', path: ['lab', 'nat'], message: 'lab.nat applies to lab.kind: nat only' });
    destinations.forEach((d, i) => {
      if (inLabNetwork(d.host)) problems.push({ severity: 'error', path: ['client', 'destinations', i], message: `${d.host} is a nat lab address (198.18.0.0/15): use lab.kind: nat, or a loopback address` });
    });
    sources.forEach((s, i) => {
      if (inLabNetwork(s)) problems.push({ severity: 'error', path: ['client', 'sourceAddresses', i], message: `${s} is a nat lab address (198.18.0.0/15): use lab.kind: nat, or a loopback address` });
    });
    return undefined;
  }
  destinations.forEach((d, i) => {
    if (!onLink(d.host, 1, 2, NAT_NET.natFirstOctet - 2)) {
      problems.push({
        severity: 'error',
        path: ['client', 'destinations', i],
        message: `in the nat lab the backend is ${NAT_NET.backend} (any of 198.18.1.2 to 198.18.1.99), beyond the gateway; ${d.host} is not`,
      });
    }
  });
  const defaultSource = sources.length === 1 && sources[0] === '127.0.0.1';
  if (!defaultSource) {
    sources.forEach((s, i) => {
      if (!onLink(s, 0, 2, 254)) {
        problems.push({ severity: 'error', path: ['client', 'sourceAddresses', i], message: `in the nat lab the clients' addresses are 198.18.0.2 to 198.18.0.254; ${s} is not` });
      }
    });
  }
  const nat = input.lab.nat ?? NAT_DEFAULTS;
  // Parsed here, once, as the clients' own port range is (resolve.ts).
  const range = parsePortRange(nat.portRange);
  const path = ['lab', 'nat', 'portRange'];
  if (!range.ok) {
    problems.push({ severity: 'error', path, message: range.message });
    return undefined;
  }
  if (range.value.low < 1024) problems.push({ severity: 'error', path, message: 'NAT ports start at 1024 (below are system ports)' });
  return { portRange: range.value, addresses: nat.addresses, randomFully: nat.randomFully };
}

/**
 * What the nat lab builds, as data: three network namespaces in one user namespace, two veth pairs between
 * them and nothing else, addresses from 198.18.0.0/15, forwarding and the SNAT rule in the gateway only.
 *
 *   clients 198.18.0.2 --veth-- 198.18.0.1 gateway 198.18.1.1 (+ NAT .101 ..) --veth-- 198.18.1.2 backend
 *
 * Every command names the namespace it runs in; lab.ts runs them through nsenter. Pure, so the plan is
 * tested without a kernel.
 */
import { NAT_NET, natAddresses } from '../../config/nat.js';
import type { NatLabSettings } from '../../config/types.js';

export type NsRole = 'clients' | 'gateway' | 'backend';

/** The lab's interfaces, by the namespace each must end up in. Distinctive: the host must have none of them. */
export const NAT_LINKS = {
  clients: ['pl-nat-c0'],
  gateway: ['pl-nat-g0', 'pl-nat-g1'],
  backend: ['pl-nat-b0'],
} as const satisfies Record<NsRole, readonly string[]>;

export interface SetupStep {
  ns: NsRole;
  argv: string[];
}

export interface NatPlanInput {
  nat: NatLabSettings;
  /** The clients' addresses: NAT_NET.client and any scenario source addresses. */
  clientAddresses: string[];
  /** The backend's addresses (destination hosts). */
  backendAddresses: string[];
  gatewayPid: number;
  backendPid: number;
  /** Paths of the tools (lab/nat/tools.ts). */
  ip: string;
  iptables: string;
}

/** The iptables arguments of the SNAT rule: every TCP connection leaving towards the backend. */
export function snatRule(nat: NatLabSettings): string[] {
  const addresses = natAddresses(nat.addresses);
  const first = addresses[0]!;
  const last = addresses[addresses.length - 1]!;
  const to = `${first === last ? first : `${first}-${last}`}:${nat.portRange.low}-${nat.portRange.high}`;
  const [, backendLink] = NAT_LINKS.gateway;
  return ['-t', 'nat', '-A', 'POSTROUTING', '-o', backendLink, '-p', 'tcp', '-j', 'SNAT', '--to-source', to, ...(nat.randomFully ? ['--random-fully'] : [])];
}

/** Writes a sysctl of the namespace the command runs in (/proc/sys/net shows the caller's namespace). */
function writeSysctl(path: string, value: string): string[] {
  return ['sh', '-c', 'echo "$1" > "$0"', path, value];
}

/** The commands, in order. */
export function natSetupSteps(input: NatPlanInput): SetupStep[] {
  const { ip } = input;
  const [clientLink] = NAT_LINKS.clients;
  const [gatewayClientLink, gatewayBackendLink] = NAT_LINKS.gateway;
  const [backendLink] = NAT_LINKS.backend;
  const steps: SetupStep[] = [];
  const on = (ns: NsRole, ...argv: string[]): void => {
    steps.push({ ns, argv });
  };
  const clientsPrefix = NAT_NET.clientsPrefixLength;
  // The two links, each created from one end with its peer moved straight into the other lab namespace.
  on('clients', ip, 'link', 'add', clientLink, 'type', 'veth', 'peer', 'name', gatewayClientLink, 'netns', String(input.gatewayPid));
  on('gateway', ip, 'link', 'add', gatewayBackendLink, 'type', 'veth', 'peer', 'name', backendLink, 'netns', String(input.backendPid));

  for (const address of input.clientAddresses) on('clients', ip, 'addr', 'add', `${address}/${clientsPrefix}`, 'dev', clientLink);
  on('clients', ip, 'link', 'set', clientLink, 'up');
  on('clients', ip, 'route', 'add', NAT_NET.backendNetwork, 'via', NAT_NET.gatewayClients);

  on('gateway', ip, 'link', 'set', 'lo', 'up');
  on('gateway', ip, 'addr', 'add', `${NAT_NET.gatewayClients}/${clientsPrefix}`, 'dev', gatewayClientLink);
  on('gateway', ip, 'link', 'set', gatewayClientLink, 'up');
  for (const address of [NAT_NET.gatewayBackend, ...natAddresses(input.nat.addresses)]) {
    on('gateway', ip, 'addr', 'add', `${address}/24`, 'dev', gatewayBackendLink);
  }
  on('gateway', ip, 'link', 'set', gatewayBackendLink, 'up');
  on('gateway', ...writeSysctl('/proc/sys/net/ipv4/ip_forward', '1'));
  on('gateway', input.iptables, ...snatRule(input.nat));

  on('backend', ip, 'link', 'set', 'lo', 'up');
  for (const address of input.backendAddresses) on('backend', ip, 'addr', 'add', `${address}/24`, 'dev', backendLink);
  on('backend', ip, 'link', 'set', backendLink, 'up');
  return steps;
}

/** Interface names in `ip -o link show` output ("2: pl-nat-c0@if3: <...>" -> "pl-nat-c0"). */
export function parseLinkNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (match) names.push(match[1]!);
  }
  return names;
}

/** What one namespace looked like when checked. */
export interface NsView {
  role: NsRole | 'host';
  /** readlink /proc/<pid>/ns/net, e.g. "net:[4026532290]". */
  netns: string;
  links: string[];
}

/**
 * Why the lab must not start, if anything: a lab namespace that is the host's (or another lab namespace's),
 * one of the lab's interfaces in the host namespace, or an interface where the plan did not put it.
 */
export function isolationProblems(views: NsView[]): string[] {
  const problems: string[] = [];
  const host = views.find((v) => v.role === 'host');
  const labViews = views.filter((v) => v.role !== 'host');
  const ours: string[] = Object.values(NAT_LINKS).flat();
  if (!host) problems.push('the host namespace was not checked');
  const seen = new Map<string, string>();
  for (const view of labViews) {
    if (host && view.netns === host.netns) problems.push(`the ${view.role} namespace is the host's (${view.netns})`);
    const other = seen.get(view.netns);
    if (other !== undefined) problems.push(`the ${view.role} and ${other} namespaces are the same (${view.netns})`);
    seen.set(view.netns, view.role);
    const expected: readonly string[] = NAT_LINKS[view.role as NsRole];
    for (const name of expected) if (!view.links.includes(name)) problems.push(`${name} is missing from the ${view.role} namespace`);
    // Other names are the kernel's own per-namespace devices (lo, and tunl0, sit0 ... when those modules are loaded).
    for (const name of view.links) {
      if (ours.includes(name) && !expected.includes(name)) problems.push(`${name} is in the ${view.role} namespace, not where it belongs`);
    }
  }
  for (const name of host?.links ?? []) if (ours.includes(name)) problems.push(`${name} is attached to the host's namespace`);
  return problems;
}

/**
 * The NAT model (pure): a source NAT runs out of *concurrent* connections per destination, not of closed
 * ones. Each connection through it needs one (NAT address, NAT port) for its (destination IP, port); a SYN
 * that finds none is dropped, so the client sees a connect timeout, never EADDRNOTAVAIL. On Linux conntrack a
 * closed connection costs nothing: a new one takes over the tuple of an entry in TIME_WAIT (kernel-facts.md,
 * NAT). Clouds state their limits the same way, per destination; some keep a closed tuple for a while.
 */
import { PortlabError } from '../errors/index.js';
import { formatAboutMs, formatRatePerSec } from './advice.js';
import { trimNumber } from '../util/units.js';

export const NAT_PRESET_NAMES = ['aws', 'azure-default', 'gcp-default'] as const;
export type NatPresetName = (typeof NAT_PRESET_NAMES)[number];

/** How a NAT picks the address for a connection. */
export type NatAddressChoice =
  /** Linux SNAT over an address range: a hash of (client address, destination address), one address per pair. */
  | 'per-client-hash'
  /** Any address for any connection (the clouds allocate ports per VM across their addresses). */
  | 'any';

export interface NatPreset {
  name: NatPresetName;
  label: string;
  /** Ports one client (VM) gets per NAT address, for each destination. */
  portsPerAddress: number;
  /** Addresses by default. */
  addresses: number;
  addressChoice: NatAddressChoice;
  /** How long a closed connection keeps its NAT tuple; null when the provider does not document it. */
  closedHoldMs: number | null;
  /** What the figure is, in the provider's words (shown with the prediction). */
  source: string;
}

export const NAT_PRESETS: Readonly<Record<NatPresetName, NatPreset>> = {
  aws: {
    name: 'aws',
    label: 'AWS NAT Gateway',
    portsPerAddress: 55_000,
    addresses: 1,
    addressChoice: 'any',
    closedHoldMs: null,
    source: 'up to 55,000 simultaneous connections to each unique destination per NAT address (up to 8 addresses)',
  },
  'azure-default': {
    name: 'azure-default',
    label: 'Azure default SNAT (load balancer default port allocation)',
    portsPerAddress: 1_024,
    addresses: 1,
    addressChoice: 'any',
    closedHoldMs: null,
    source: 'at most 1,024 SNAT ports per VM by default (fewer in pools above 50 VMs), one per flow to the same destination IP and port',
  },
  'gcp-default': {
    name: 'gcp-default',
    label: 'Google Cloud NAT (default minimum ports per VM)',
    portsPerAddress: 64,
    addresses: 1,
    addressChoice: 'any',
    // tcpTimeWaitTimeoutSec: 120 s by default.
    closedHoldMs: 120_000,
    source: '64 ports per VM by default (minPortsPerVm), one per connection to the same destination IP, port and protocol',
  },
};

export function isNatPresetName(name: string): name is NatPresetName {
  return (NAT_PRESET_NAMES as readonly string[]).includes(name);
}

export interface NatInput {
  /** NAT ports per address (the SNAT port range, or a preset's ports per VM). */
  portsPerAddress: number;
  addresses: number;
  addressChoice: NatAddressChoice;
  /** Distinct (IP, port) destinations the load is spread over evenly. */
  destinations: number;
  /** Distinct client source addresses (pods, VMs behind the NAT). */
  clientAddresses: number;
  /** pool: `poolSize` connections opened at once and kept; churn: `ratePerSec` new connections, each open `openMs`. */
  pattern: 'pool' | 'churn';
  poolSize?: number;
  ratePerSec?: number;
  /** How long each churned connection stays open (connect to close); Infinity for connections never closed. */
  openMs?: number;
  /** How long a closed connection still keeps its NAT tuple: 0 on Linux conntrack. */
  closedHoldMs: number;
  /** The client's connect timeout: a dropped SYN shows as ETIMEDOUT this long after it was sent. */
  connectTimeoutMs?: number;
}

export interface NatPrediction {
  /** NAT addresses one client can use for one destination. */
  usableAddresses: number;
  /** portsPerAddress x usableAddresses: concurrent connections per destination. */
  capacityPerDestination: number;
  /** Concurrent connections per destination the load needs (at its peak). */
  concurrentPerDestination: number;
  exhausts: boolean;
  /** Connections that get a NAT tuple: all of them unless it exhausts (a pool: capacity per destination each). */
  connectableConcurrent: number;
  /** When the first SYN is dropped, ms from the start; null if never. */
  firstDropMs: number | null;
  /** When the client sees it: the first dropped SYN + the connect timeout; null if never. */
  firstTimeoutMs: number | null;
  /** The highest churn rate that never drops; null when the NAT does not limit the rate. */
  maxSustainableRatePerSec: number | null;
  advice: string;
  notes: string[];
}

function validate(input: NatInput): void {
  const whole = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 1;
  if (!whole(input.portsPerAddress) || !whole(input.addresses) || !whole(input.destinations) || !whole(input.clientAddresses)) {
    throw new PortlabError('USAGE', 'NAT ports, addresses, destinations and client addresses must be whole numbers of at least 1');
  }
  if (input.pattern === 'pool' && !whole(input.poolSize)) throw new PortlabError('USAGE', 'a pool needs a size of at least 1');
  if (input.pattern === 'churn' && !(input.ratePerSec !== undefined && input.ratePerSec > 0)) {
    throw new PortlabError('USAGE', 'a churn needs a rate above 0');
  }
}

const n = (value: number): string => trimNumber(value, 0);

/** Predicts whether and when the NAT drops new connections. Throws PortlabError('USAGE') on impossible input. */
export function predictNat(input: NatInput): NatPrediction {
  validate(input);
  const usableAddresses = input.addressChoice === 'any' ? input.addresses : Math.min(input.addresses, input.clientAddresses);
  const capacityPerDestination = input.portsPerAddress * usableAddresses;
  const capacity = capacityPerDestination * input.destinations;
  const timeoutMs = input.connectTimeoutMs ?? 0;
  let concurrent: number;
  let firstDropMs: number | null = null;
  let maxSustainableRatePerSec: number | null = null;
  if (input.pattern === 'pool') {
    concurrent = input.poolSize!;
    // A pool opens its connections at once: the first one past capacity is dropped right away.
    if (concurrent > capacity) firstDropMs = 0;
    maxSustainableRatePerSec = concurrent > capacity ? 0 : null;
  } else {
    const rate = input.ratePerSec!;
    const holdMs = (input.openMs ?? 0) + input.closedHoldMs;
    concurrent = Number.isFinite(holdMs) ? (rate * holdMs) / 1000 : Infinity;
    // Tuples held at t are the starts in (t - hold, t]: capacity is reached at capacity / rate if ever.
    if (concurrent > capacity) firstDropMs = (capacity / rate) * 1000;
    if (holdMs > 0) maxSustainableRatePerSec = Number.isFinite(holdMs) ? capacity / (holdMs / 1000) : 0;
  }
  const concurrentPerDestination = concurrent / input.destinations;
  const exhausts = firstDropMs !== null;
  const prediction: NatPrediction = {
    usableAddresses,
    capacityPerDestination,
    concurrentPerDestination,
    exhausts,
    connectableConcurrent: Math.min(concurrent, capacity),
    firstDropMs,
    firstTimeoutMs: firstDropMs === null ? null : firstDropMs + timeoutMs,
    maxSustainableRatePerSec,
    advice: '',
    notes: [],
  };
  prediction.advice = natAdvice(input, prediction);
  prediction.notes = natNotes(input, prediction);
  return prediction;
}

function capacityText(input: NatInput, p: NatPrediction): string {
  return `${n(p.capacityPerDestination)} NAT ports per destination (${n(input.portsPerAddress)} x ${n(p.usableAddresses)} address${p.usableAddresses === 1 ? '' : 'es'})`;
}

function natAdvice(input: NatInput, p: NatPrediction): string {
  const cap = capacityText(input, p);
  const per = Number.isFinite(p.concurrentPerDestination) ? `about ${n(Math.ceil(p.concurrentPerDestination))}` : 'ever more';
  if (!p.exhausts) {
    const closed =
      input.closedHoldMs === 0 ? ' Closed connections are counted as costing the NAT nothing (Linux conntrack lets a new connection take over an entry in TIME_WAIT).' : '';
    return `No NAT exhaustion: the load keeps ${per} connections open per destination, within ${cap}.${closed}`;
  }
  const dropped = p.firstDropMs === 0 ? 'right away' : `after ${formatAboutMs(p.firstDropMs!)}`;
  const seen = input.connectTimeoutMs !== undefined ? `, seen as connect timeouts ${formatAboutMs(input.connectTimeoutMs)} later` : '';
  const fixes = ['add NAT addresses', 'spread over more destinations', 'hold fewer connections open'];
  if (p.maxSustainableRatePerSec !== null && p.maxSustainableRatePerSec > 0) fixes.push(`stay under ${formatRatePerSec(p.maxSustainableRatePerSec)}`);
  const fixText = `${fixes.slice(0, -1).join(', ')}, or ${fixes[fixes.length - 1]}`;
  return (
    `The NAT runs out: the load needs ${per} concurrent connections per destination but has ${cap}; new SYNs are ` +
    `dropped ${dropped}${seen}, and the clients see no EADDRNOTAVAIL. ${fixText[0]!.toUpperCase()}${fixText.slice(1)}.`
  );
}

function natNotes(input: NatInput, p: NatPrediction): string[] {
  const notes: string[] = [];
  if (input.addressChoice === 'per-client-hash' && input.addresses > 1) {
    notes.push(
      `Linux SNAT picks the NAT address by a hash of (client address, destination address): one client uses one NAT address per destination, so ${n(input.addresses)} addresses help only across ${n(input.addresses)} or more clients, and unevenly.`,
    );
  }
  if (input.closedHoldMs > 0) {
    notes.push(`A closed connection keeps its NAT tuple ${formatAboutMs(input.closedHoldMs)}, so churn holds ports too: rate x (open time + ${formatAboutMs(input.closedHoldMs)}).`);
  }
  if (p.exhausts && input.pattern === 'pool') {
    notes.push(`About ${n(p.connectableConcurrent)} of the ${n(input.poolSize!)} pooled connections connect; the rest keep timing out while the others stay open.`);
  }
  return notes;
}

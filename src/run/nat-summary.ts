/**
 * summary.json's "nat" for a run of the nat lab: what the gateway did (drops, peaks, its state at the first
 * client error), per destination against the NAT's tuples, the NAT model's prediction, and the verdict the
 * diagnosis explains. Also the `expect.natDrops` gate.
 */
import { bindsSource } from '../config/binding.js';
import { natAddresses } from '../config/nat.js';
import type { Expectations, Scenario } from '../config/types.js';
import type { DriverDone, DriverOnset } from '../driver/protocol.js';
import type { NatDestinationResult, NatRunSummary, NatVerdict } from '../metrics/nat.js';
import type { Expectation, RunSummary } from '../metrics/types.js';
import { predictNat, type NatInput } from '../model/nat.js';
import { modelledPoolSize } from './prediction.js';

/** The NAT model's inputs for a scenario of the nat lab. */
export function natInputFor(scenario: Scenario): NatInput {
  const nat = scenario.lab.nat!;
  const { client, target } = scenario;
  const poolSize = modelledPoolSize(scenario);
  const clientAddresses = bindsSource(client) ? new Set(client.sourceAddresses).size : 1;
  const base = {
    portsPerAddress: nat.portRange.size,
    addresses: nat.addresses,
    // iptables SNAT over an address range hashes (client address, destination address) to one address.
    addressChoice: 'per-client-hash' as const,
    destinations: new Set(client.destinations.map((d) => `${d.host}:${d.port}`)).size,
    clientAddresses,
    // conntrack lets a new connection take over an entry in TIME_WAIT: a closed connection holds nothing.
    closedHoldMs: 0,
    connectTimeoutMs: client.connectTimeoutMs,
  };
  if (poolSize !== undefined) return { ...base, pattern: 'pool', poolSize };
  // A churned connection is open for its exchanges: each waits at least the target's response delay.
  const openMs = target.responseDelayMs * Math.max(client.requestsPerConnection, 1);
  return { ...base, pattern: 'churn', ratePerSec: Math.max(...client.stages.map((s) => s.ratePerSec)), openMs };
}

/** SYNs the gateway could not translate: insert_failed + drop. */
export function sumDrops(drops: Record<string, number>): number {
  return (drops['insert_failed'] ?? 0) + (drops['drop'] ?? 0);
}

/**
 * Dropped SYNs with client timeouts: exhausted. Dropped SYNs alone are not: a takeover of a TIME_WAIT tuple
 * also needs the new connection's sequence number past the old one's (nf_nat_used_tuple_harder), so with
 * few tuples free a SYN now and then finds none, and its retransmit gets through.
 */
function verdictOf(drops: Record<string, number>, timeouts: number, byDestination: Record<string, NatDestinationResult>, capacity: number): NatVerdict {
  if (timeouts > 0) return sumDrops(drops) > 0 ? 'exhausted' : 'timeouts-not-nat';
  return Object.values(byDestination).some((d) => d.connected > capacity) ? 'reused-time-wait' : 'within-capacity';
}

/** The run's NAT summary; undefined unless the scenario ran in the nat lab (and the driver reported its gateway). */
export function natSummary(
  scenario: Scenario,
  data: { onset: DriverOnset | null; done: DriverDone | null },
  totals: Pick<RunSummary['totals'], 'errors' | 'byDestination'>,
): NatRunSummary | undefined {
  const nat = scenario.lab.nat;
  if (scenario.lab.kind !== 'nat' || !nat) return undefined;
  const gateway = data.done?.nat;
  const prediction = predictNat(natInputFor(scenario));
  const peak = gateway?.peak ?? { entries: 0, held: 0, timeWait: 0, byDestination: {} };
  const byDestination: Record<string, NatDestinationResult> = {};
  for (const [label, row] of Object.entries(totals.byDestination)) {
    const failed = Object.values(row.errors).reduce((a, b) => a + b, 0);
    byDestination[label] = { connected: row.connected, failed, peakHeld: peak.byDestination[label]?.held ?? 0, peakTimeWait: peak.byDestination[label]?.timeWait ?? 0 };
  }
  const drops = gateway?.drops ?? { insert_failed: 0, drop: 0, early_drop: 0 };
  return {
    portRange: nat.portRange,
    addresses: natAddresses(nat.addresses),
    randomFully: nat.randomFully,
    conntrackTimeWaitSec: gateway?.conntrackTimeWaitSec ?? 120,
    tableReadable: gateway?.tableReadable ?? false,
    capacityPerDestination: prediction.capacityPerDestination,
    drops,
    peak,
    byDestination,
    atOnset: data.onset?.nat ?? null,
    verdict: verdictOf(drops, totals.errors['ETIMEDOUT'] ?? 0, byDestination, prediction.capacityPerDestination),
    prediction,
  };
}

/** expect.natDrops against the run. */
export function natExpectations(expect: Expectations, nat: NatRunSummary | undefined): Expectation[] {
  if (expect.natDrops === undefined) return [];
  const drops = nat ? nat.drops : {};
  const dropped = sumDrops(drops);
  const detail = nat
    ? `gateway insert_failed ${drops['insert_failed'] ?? 0}, drop ${drops['drop'] ?? 0}`
    : 'not a nat lab run: no gateway to observe';
  return [{ name: expect.natDrops ? 'natDrops: the NAT drops new connections' : 'natDrops: the NAT drops nothing', pass: nat !== undefined && (expect.natDrops ? dropped > 0 : dropped === 0), detail }];
}

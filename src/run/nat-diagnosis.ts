/**
 * The diagnosis of a nat lab run: whether the NAT ran out of tuples for a destination (the clients saw
 * connect timeouts, never EADDRNOTAVAIL), or churn went through far more connections than it has tuples
 * because conntrack took over entries in TIME_WAIT, and which SNAT mode the gateway ran.
 */
import { bindsSource } from '../config/binding.js';
import { NAT_NET } from '../config/nat.js';
import type { Scenario } from '../config/types.js';
import type { NatRunSummary } from '../metrics/nat.js';
import { formatDurationMs, trimNumber } from '../util/units.js';
import { diagnose } from './diagnosis.js';
import { sumDrops } from './nat-summary.js';

type Facts = Parameters<typeof diagnose>[0];

const n = (value: number): string => trimNumber(value, 0);

function mode(nat: NatRunSummary): string {
  return nat.randomFully ? 'SNAT --random-fully' : 'SNAT without --random-fully';
}

/** "its 100 NAT ports (40000-40099) on 1 address", "... on 1 of its 2 addresses". */
function tuplesText(nat: NatRunSummary): string {
  const { low, high, size } = nat.portRange;
  const usable = nat.capacityPerDestination / size;
  const of = usable === nat.addresses.length ? '' : ` of its ${n(nat.addresses.length)}`;
  return `its ${n(size)} NAT ports (${low}-${high}) on ${n(usable)}${of} address${usable === 1 && of === '' ? '' : 'es'}`;
}

/** The destination the gateway held most connections to, at the onset if there was one, else at the peak. */
function busiest(nat: NatRunSummary): { label: string; held: number } | null {
  const counts = nat.atOnset ? Object.entries(nat.atOnset.byDestination).map(([label, c]) => [label, c.held] as const) : Object.entries(nat.byDestination).map(([label, d]) => [label, d.peakHeld] as const);
  let best: { label: string; held: number } | null = null;
  for (const [label, held] of counts) if (!best || held > best.held) best = { label, held };
  return best;
}

function dropsText(nat: NatRunSummary): string {
  return `insert_failed ${n(nat.drops['insert_failed'] ?? 0)}, drop ${n(nat.drops['drop'] ?? 0)}`;
}

function exhaustedSentence(f: Facts, nat: NatRunSummary, connectTimeoutMs: number): string {
  const timeouts = f.totals.errors['ETIMEDOUT'] ?? 0;
  const eaddr = f.totals.errors['EADDRNOTAVAIL'] ?? 0;
  const where = busiest(nat);
  const dest = where ? where.label : 'its destination';
  const when =
    f.onset && f.onset.code === 'ETIMEDOUT'
      ? `from ${formatDurationMs(f.onset.atMs)} clients got connect timeouts (ETIMEDOUT ${n(timeouts)}, each SYN dropped ${formatDurationMs(connectTimeoutMs)} before it timed out)`
      : `clients got ${n(timeouts)} connect timeouts`;
  const held = where && nat.tableReadable ? `The gateway held ${n(where.held)} connections to it, ` : 'The gateway had ';
  const predicted = nat.prediction.firstTimeoutMs === null ? 'the model predicted none' : `the model predicted the first timeout at ${formatDurationMs(nat.prediction.firstTimeoutMs)}`;
  return (
    `The NAT ran out of ports for ${dest}: ${when} and ${eaddr === 0 ? 'no' : n(eaddr)} EADDRNOTAVAIL. ${held}` +
    `all that ${tuplesText(nat)} allow one client per destination (${mode(nat)}), and dropped every SYN it could not ` +
    `translate (${dropsText(nat)}); ${predicted}. A NAT runs out of concurrent connections per destination, not of ` +
    `closed ones: hold fewer connections open (a smaller pool, no leaks, faster responses), add NAT addresses (Linux ` +
    `picks one per client and destination address), or spread over more destinations.`
  );
}

function reusedSentence(f: Facts, nat: NatRunSummary, durationMs: number): string {
  const [label, d] = Object.entries(nat.byDestination).sort((a, b) => b[1].connected - a[1].connected)[0]!;
  const failed = Object.values(f.totals.errors).reduce((a, b) => a + b, 0);
  const within = durationMs < nat.conntrackTimeWaitSec * 1000;
  const peaks = nat.tableReadable ? ` (at most ${n(d.peakTimeWait)} of them sat in TIME_WAIT and ${n(d.peakHeld)} were open at once)` : '';
  return (
    `No NAT exhaustion: ${n(d.connected)} connections to ${label} went through ${nat.capacityPerDestination === 1 ? 'its one NAT tuple' : `its ${n(nat.capacityPerDestination)} NAT tuples`} ` +
    `in ${formatDurationMs(durationMs)} (${mode(nat)}), because the NAT reused its TIME_WAIT entries: each connection closed ` +
    `and conntrack let a new one take over a tuple whose entry was in TIME_WAIT` +
    (within ? `, which would otherwise hold it ${n(nat.conntrackTimeWaitSec)} s (nf_conntrack_tcp_timeout_time_wait)` : ' or had expired') +
    `${peaks}; ${retriedText(nat)}; ${failed === 0 ? 'no connect errors' : `${n(failed)} connect errors`}. ` +
    `A NAT runs out of concurrent connections per destination, not of TIME_WAIT.`
  );
}

/** Drops without client timeouts: what they were, after a sentence that says the NAT held. */
function retriedText(nat: NatRunSummary): string {
  if (sumDrops(nat.drops) === 0) return 'the gateway dropped nothing (insert_failed 0, drop 0)';
  return (
    `the gateway dropped a few SYNs (${dropsText(nat)}) and each retransmit got through: a takeover also needs the new ` +
    `connection's sequence number past the old one's, so with few tuples free a SYN now and then finds none`
  );
}

function withinSentence(nat: NatRunSummary): string {
  const where = busiest(nat);
  const held = where ? `at most ${n(where.held)} connections to ${where.label} held NAT tuples at once` : 'no connection held a NAT tuple';
  return `No NAT exhaustion: ${held}, within what ${tuplesText(nat)} allow (${mode(nat)}); ${retriedText(nat)}.`;
}

function notNatSentence(f: Facts, nat: NatRunSummary): string {
  const where = busiest(nat);
  return (
    `Clients got ${n(f.totals.errors['ETIMEDOUT'] ?? 0)} connect timeouts, but the gateway dropped no SYN (${dropsText(nat)}): ` +
    `the NAT had tuples left${where ? ` (at most ${n(where.held)} held to ${where.label} of ${n(nat.capacityPerDestination)})` : ''}; look at the backend (its accept queue) instead.`
  );
}

/** The diagnosis of a nat lab run; the client's own port exhaustion keeps the usual sentence, with the NAT's after it. */
export function diagnoseNat(f: Facts, nat: NatRunSummary, durationMs: number, connectTimeoutMs: number): string {
  switch (nat.verdict) {
    case 'exhausted':
      return f.onset && f.onset.code !== 'ETIMEDOUT' ? `${diagnose(f)} ${exhaustedSentence(f, nat, connectTimeoutMs)}` : exhaustedSentence(f, nat, connectTimeoutMs);
    case 'reused-time-wait':
      return f.onset ? `${diagnose(f)} ${reusedSentence(f, nat, durationMs)}` : reusedSentence(f, nat, durationMs);
    case 'within-capacity':
      return f.onset ? `${diagnose(f)} ${withinSentence(nat)}` : withinSentence(nat);
    case 'timeouts-not-nat':
      return notNatSentence(f, nat);
  }
}

/** How to read a nat lab run. */
export function natLabNotes(nat: NatRunSummary, scenario: Scenario): string[] {
  const clients = bindsSource(scenario.client) ? scenario.client.sourceAddresses : [NAT_NET.client];
  const addresses = nat.addresses.length === 1 ? nat.addresses[0]! : `${nat.addresses[0]}-${nat.addresses[nat.addresses.length - 1]}`;
  const notes = [
    `nat lab: clients (${clients.join(', ')}) -> gateway, ${mode(nat)} to ${addresses}:${nat.portRange.low}-${nat.portRange.high} -> backend; ` +
      'the port range, TIME_WAIT and ports-in-use figures are the clients\' own, the NAT\'s are under "nat".',
  ];
  if (!nat.tableReadable) notes.push('this kernel has no /proc/net/nf_conntrack: the gateway\'s drop counters were sampled, its entries were not.');
  if (nat.addresses.length > 1 && clients.length < nat.addresses.length) {
    notes.push(`Linux SNAT picks one NAT address per (client address, destination address): with ${clients.length} client address(es), ${nat.addresses.length - clients.length} NAT address(es) cannot help.`);
  }
  return notes;
}

/**
 * The words of a prediction: one plain advice sentence (what happens, what to change) and the caveats that
 * apply. Kept apart from the arithmetic in predict.ts so either can change alone.
 */
import { trimNumber } from '../util/units.js';
import type { Figures, PredictInput } from './types.js';

/** A count of sockets or ports, whole, with thousands separators. */
function count(value: number): string {
  return trimNumber(value, 0);
}

/** Small rates keep two decimals: 10 ports over 60 s is 0.17/s, not 0.2/s. */
export function formatRatePerSec(ratePerSec: number): string {
  return `${trimNumber(ratePerSec, ratePerSec < 10 ? 2 : 1)}/s`;
}

const rate = formatRatePerSec;

/** "60 s", "100 ms": a plain length of time in a sentence. */
export function formatSpanMs(ms: number): string {
  return ms < 1000 ? `${trimNumber(ms)} ms` : `${trimNumber(ms / 1000)} s`;
}

const span = formatSpanMs;

/** "about 56 s" style: ms below 1 s, one decimal below 10 s, whole seconds, minutes past 2 minutes. */
export function formatAboutMs(ms: number): string {
  if (ms >= 120_000) return `${trimNumber(ms / 60_000)} min`;
  if (ms >= 10_000) return `${count(ms / 1000)} s`;
  if (ms >= 1000) return `${trimNumber(ms / 1000)} s`;
  return `${count(ms)} ms`;
}

/**
 * Whether connections bind their source address before connect(): when the input says so, else when there
 * are several source addresses (the only way to use more than one is to bind).
 */
export function bindsBeforeConnect(input: Pick<PredictInput, 'boundSources' | 'sourceAddresses'>): boolean {
  return input.boundSources ?? input.sourceAddresses > 1;
}

/**
 * Whether bound ports are exclusive: bind(ip, 0) before connect() (Node's localAddress) reserves each port for
 * every destination; IP_BIND_ADDRESS_NO_PORT (bindStrategy no-port) defers the choice to connect(), per 4-tuple.
 */
export function bindsExclusively(input: Pick<PredictInput, 'boundSources' | 'sourceAddresses' | 'bindStrategy'>): boolean {
  return bindsBeforeConnect(input) && input.bindStrategy !== 'no-port';
}

/** Which error exhaustion shows as for these inputs: UDP's bind(0) and exclusively bound TCP ports say EADDRINUSE. */
export function failureCode(input: Pick<PredictInput, 'boundSources' | 'sourceAddresses' | 'bindStrategy' | 'transport'>): 'EADDRINUSE' | 'EADDRNOTAVAIL' {
  return exhaustionCode(input.transport === 'udp' || bindsExclusively(input));
}

/** A recycling pool: its churn, what it holds, and the setting that matters (the lifetime or the request cap). */
function recyclingAdvice(input: PredictInput, f: Figures): string {
  const pool = count(input.poolSize ?? 0);
  const churn = rate(f.recycleRatePerSec ?? 0);
  const held = `${pool} open connections plus about ${count(f.steadyStateClientTimeWait)} recycled ones in client TIME_WAIT`;
  if (!f.exhausts) {
    return `A pool of ${pool} that recycles its connections replaces ${churn}: it holds ${held}, ${trimNumber(f.utilizationPct)}% of the ${count(f.capacity)} ports: no exhaustion.`;
  }
  return (
    `A pool of ${pool} that recycles its connections replaces ${churn}, and the client closes each one first: ${held} ` +
    `need more than the ${count(f.capacity)} ports, so connect() fails with ${failureCode(input)} after about ` +
    `${formatAboutMs(f.timeToFirstFailureMs ?? 0)}. Recycle less often (a maxLifetime of minutes, not seconds), or spread over more destinations.`
  );
}

/**
 * The error that exhaustion shows as. Plain connect() runs out with EADDRNOTAVAIL; bind(ip, 0) before
 * connect, even from one address, runs out in bind with EADDRINUSE (kernel-facts.md "Port selection").
 */
export function exhaustionCode(bound: boolean): 'EADDRINUSE' | 'EADDRNOTAVAIL' {
  return bound ? 'EADDRINUSE' : 'EADDRNOTAVAIL';
}

/**
 * What to change when the ports run out, ending the sentence. Bound ports are exclusive across
 * destinations, so more destinations only help plain connect().
 */
export function fixesSentence(bound: boolean, maxSustainableRatePerSec: number | null): string {
  const fixes = bound
    ? 'Add source addresses or reuse connections (a keep-alive pool)'
    : 'Reuse connections (a keep-alive pool), spread over more destinations or source addresses';
  return maxSustainableRatePerSec === null ? `${fixes}.` : `${fixes}, or stay under ${rate(maxSustainableRatePerSec)}.`;
}

/** The note for bound sources, in the prediction and in the run's lab notes alike. */
export const BOUND_SOURCES_NOTE =
  'Sources are bound before connect (bind(ip, 0)): ports are allocated per source address and refused to every ' +
  'plain connect(), and running out shows as EADDRINUSE rather than EADDRNOTAVAIL.';

/** The note for a tcp_fin_timeout the user set, in the prediction and in the run's lab notes alike. */
export function finTimeoutNote(finTimeoutSec: number, timeWaitMs: number): string {
  return (
    `tcp_fin_timeout=${finTimeoutSec} changes nothing here: it only limits orphaned FIN_WAIT2 sockets, ` +
    `and TIME_WAIT still lasts ${span(timeWaitMs)} (on Linux TCP_TIMEWAIT_LEN, which no sysctl changes).`
  );
}

/** One plain sentence (sometimes two): what this load does to the client's ports and what to change. */
export function adviseOn(input: PredictInput, f: Figures): string {
  const at = `At ${rate(input.ratePerSec)}`;
  const ports = count(f.capacity);
  if (f.pattern === 'pool' && f.recycleRatePerSec !== undefined) return recyclingAdvice(input, f);
  if (f.pattern === 'pool') {
    const pool = count(input.poolSize ?? 0);
    return f.exhausts
      ? `A pool of ${pool} connections needs more ports than the ${ports} that exist: connect() fails with ` +
          `${failureCode(input)} as soon as the pool fills. Use a smaller pool, or spread it over more ` +
          'destinations or source addresses.'
      : `A pool of ${pool} connections holds ${pool} of the ${ports} ports and leaves no TIME_WAIT: ports ` +
          `never run out, at ${rate(input.ratePerSec)} or any other request rate.`;
  }
  const closer = input.closer ?? 'client';
  if (input.transport === 'udp' && closer !== 'never') {
    return (
      `UDP has no TIME_WAIT: each socket frees its port the moment it closes, so sockets that close never run out ` +
      `of the ${ports} ports at ${rate(input.ratePerSec)} or any other rate; only sockets held open at once count.`
    );
  }
  if (closer === 'never') {
    return (
      `Connections are never closed (a leak): each keeps its port for as long as it stays open, with no TIME_WAIT ` +
      `involved, so at ${rate(input.ratePerSec)} the ${ports} ports are gone after about ${formatAboutMs(f.timeToFirstFailureMs ?? 0)} ` +
      `and connect() fails with ${failureCode(input)}. Close connections when done, or reuse them from a pool.`
    );
  }
  if (closer === 'server') {
    return (
      `The server closes first, so TIME_WAIT (about ${count(f.steadyStateServerTimeWait)} sockets) sits on the ` +
      "server, costs the client no ports, and the client's port is free as soon as the connection ends: " +
      'no exhaustion at any rate.'
    );
  }
  if (closer === 'reset') {
    return (
      'Connections end with a reset (RST), so neither side keeps TIME_WAIT and every port is free at once: ' +
      'no exhaustion at any rate, but a reset discards unsent data and the peer sees an error.'
    );
  }
  const demand = input.ratePerSec * (input.timeWaitMs / 1000);
  const buckets = input.maxTwBuckets;
  if (buckets !== undefined && buckets <= f.capacity && demand > buckets) {
    return (
      `${at} the client would keep ${count(demand)} sockets in TIME_WAIT, but tcp_max_tw_buckets=${count(buckets)} ` +
      `destroys every one above ${count(buckets)} (TCPTimeWaitOverflow), which frees their ports: no exhaustion, ` +
      "at the cost of TIME_WAIT's protection against late packets of old connections."
    );
  }
  // Reuse only matters once TIME_WAIT would outgrow the ports.
  const reuseOn = (input.twReuse ?? false) && input.tcpTimestamps !== false && demand > f.capacity;
  const delay = span(input.twReuseDelayMs ?? 1000);
  if (f.exhausts) {
    const when = `connect() fails with ${failureCode(input)} after about ${formatAboutMs(f.timeToFirstFailureMs ?? 0)}`;
    const fixes = fixesSentence(bindsExclusively(input), f.maxSustainableRatePerSec);
    return reuseOn
      ? `${at}, even with tcp_tw_reuse (a TIME_WAIT port comes back after ${delay}) the client needs ` +
          `${count(f.portsNeeded)} ports but only ${ports} exist: ${when}. ${fixes}`
      : `${at} the client keeps ${count(f.steadyStateClientTimeWait)} sockets in TIME_WAIT but only ${ports} ` +
          `ports exist: ${when}. ${fixes}`;
  }
  if (reuseOn) {
    return (
      `${at} the client would need ${count(demand)} ports for TIME_WAIT but only ${ports} exist; tcp_tw_reuse ` +
      `takes a TIME_WAIT port back after ${delay}, so it gets by with ${count(f.portsNeeded)} and runs out only ` +
      `above ${rate(f.maxSustainableRatePerSec ?? 0)}.`
    );
  }
  const above = f.maxSustainableRatePerSec === null ? '' : `; it would start above ${rate(f.maxSustainableRatePerSec)}`;
  return (
    `${at} the client keeps about ${count(f.steadyStateClientTimeWait)} sockets in TIME_WAIT, ` +
    `${trimNumber(f.utilizationPct)}% of the ${ports} ports: no exhaustion${above}.`
  );
}

/** Caveats for these inputs, each one sentence. */
export function notesFor(input: PredictInput, f: Figures): string[] {
  const notes: string[] = [];
  if (input.finTimeoutSec !== undefined) {
    notes.push(finTimeoutNote(input.finTimeoutSec, input.timeWaitMs));
  } else if (f.exhausts && f.pattern === 'churn' && input.closer !== 'never') {
    notes.push(`Lowering tcp_fin_timeout will not help: it does not shorten TIME_WAIT (${span(input.timeWaitMs)}).`);
  }
  if (input.twReuse && input.tcpTimestamps === false) {
    notes.push('tcp_tw_reuse needs TCP timestamps on both ends; with tcp_timestamps=0 it does nothing.');
  } else if (input.twReuse && input.twReuseLoopbackOnly) {
    notes.push(
      'tcp_tw_reuse=2 (the Linux default) reuses TIME_WAIT ports only toward loopback addresses; toward a ' +
        'remote backend it acts like 0, so predict with --tw-reuse 0 for production.',
    );
  }
  if (bindsBeforeConnect(input) && input.bindStrategy === 'no-port') {
    notes.push(
      'Sources bound with IP_BIND_ADDRESS_NO_PORT: connect() picks the port per (source, destination) 4-tuple, ' +
        'so destinations multiply the ports again, and running out shows as EADDRNOTAVAIL.',
    );
  } else if (bindsBeforeConnect(input)) notes.push(BOUND_SOURCES_NOTE);
  return notes;
}

/**
 * The diagnosis of what pooling strategies do wrong, from what was measured: a leak (ports held by open
 * connections, not TIME_WAIT), a recycling pool (ports churned at size / lifetime), a server hint that turns
 * keep-alive off, and the keep-alive reset race (requests reset on connections the server was closing).
 * diagnosis.ts asks these first and falls back to its TIME_WAIT sentences.
 */
import type { Interval, RunSummary, StrategyFacts } from '../metrics/types.js';
import { RESET_CODES } from '../model/keep-alive.js';
import { formatDurationMs, formatRate, trimNumber } from '../util/units.js';

export type StrategyFactsInput = Pick<RunSummary, 'totals' | 'onset' | 'peak' | 'lab' | 'scenario' | 'prediction'> & {
  intervals?: Interval[];
};


const n = (value: number): string => trimNumber(value, 0);

function rangeText(lab: StrategyFactsInput['lab']): string {
  return `${n(lab.portRange.size)} ports (${lab.portRange.low}-${lab.portRange.high})`;
}

function predictedText(onset: NonNullable<StrategyFactsInput['onset']>): string {
  return onset.predictedAtMs === null ? 'the model predicted none' : `predicted ${formatDurationMs(onset.predictedAtMs)}`;
}

function idleText(ms: number | null): string {
  return ms === null ? 'until the server closes them' : formatDurationMs(ms);
}

/**
 * A leak: the range ran out while most ports were held by connections still open (ESTABLISHED, or
 * CLOSE_WAIT when the server had closed its end), not by TIME_WAIT.
 */
function leakSentence(f: StrategyFactsInput): string | null {
  const { onset, scenario } = f;
  if (!onset) return null;
  const open = Math.max(0, onset.portsInUse - onset.clientTimeWait);
  const measuredLeak = scenario.pattern === 'churn' && open > 2 * onset.clientTimeWait;
  if (scenario.close !== 'never' && !measuredLeak) return null;
  const failed = f.totals.errors[onset.code] ?? 0;
  return (
    `connect() failed with ${onset.code} from ${formatDurationMs(onset.atMs)} (${predictedText(onset)}; ${n(failed)} failures): the client never ` +
    `closed its connections (a leak), so when the ${rangeText(f.lab)} ran out ${n(open)} ports were held by open connections ` +
    `(ESTABLISHED, or CLOSE_WAIT where the server had closed its end) and only ${n(onset.clientTimeWait)} by client TIME_WAIT. ` +
    'TIME_WAIT is not the cause here: tcp_tw_reuse, tcp_max_tw_buckets or a shorter TIME_WAIT would change nothing. ' +
    'Close each connection when done (destroy() or end()), or reuse them from a pool.'
  );
}

function recycleCause(recycle: NonNullable<StrategyFacts['recycle']>): string {
  const why = [
    recycle.lifetimeMs > 0 ? `maxLifetime ${formatDurationMs(recycle.lifetimeMs)}` : '',
    recycle.requestsPerConnection > 0 ? `maxRequestsPerConnection ${n(recycle.requestsPerConnection)}` : '',
  ].filter((s) => s !== '');
  return `the pool of ${n(recycle.poolSize)} recycles its connections (${why.join(', ')}), replacing about ${formatRate(recycle.ratePerSec)}`;
}

/** A recycling pool: each replaced connection is closed by the client and keeps its port in TIME_WAIT. */
function recyclingSentence(f: StrategyFactsInput): string | null {
  const recycle = f.scenario.strategy?.recycle;
  if (!recycle) return null;
  const { onset, totals, peak } = f;
  if (!onset) {
    return (
      `No exhaustion: ${recycleCause(recycle)}; it opened ${n(totals.connected)} connections in all, and the recycled ones ` +
      `held at most ${n(peak.clientTimeWait)} client TIME_WAIT of the ${rangeText(f.lab)}.`
    );
  }
  const failed = totals.errors[onset.code] ?? 0;
  return (
    `connect() failed with ${onset.code} from ${formatDurationMs(onset.atMs)} (${predictedText(onset)}; ${n(failed)} failures): ${recycleCause(recycle)}, ` +
    `and the client closes each one first, so ${n(onset.clientTimeWait)} recycled connections in client TIME_WAIT plus the ` +
    `${n(recycle.poolSize)} open ones had used up the ${rangeText(f.lab)}. The pool itself is not the fix here: recycle less often ` +
    '(a lifetime of minutes, not seconds), or spread the pool over more destinations.'
  );
}

/**
 * Bound sources: bind(ip, 0) takes a port for every destination at once (EADDRINUSE when they run out);
 * IP_BIND_ADDRESS_NO_PORT lets connect() choose it per (source, destination) pair.
 */
function boundSentence(f: StrategyFactsInput): string | null {
  const strategy = f.scenario.strategy?.bindStrategy;
  const { onset } = f;
  if (!onset || (strategy !== 'bind' && strategy !== 'no-port')) return null;
  const sources = new Set(f.scenario.sourceAddresses).size;
  const destinations = new Set(f.scenario.destinations).size;
  // With one destination, exclusive ports cost nothing extra: diagnosis.ts's bound-sources sentence says it all.
  if (strategy === 'bind' && destinations < 2) return null;
  const ports = f.prediction.usablePortsPerTuple;
  const start = `connect() failed with ${onset.code} from ${formatDurationMs(onset.atMs)} (${predictedText(onset)}; ${n(f.totals.errors[onset.code] ?? 0)} failures): `;
  const tw = `${n(onset.clientTimeWait)} of them sat in client TIME_WAIT (the client closes first)`;
  if (strategy === 'no-port') {
    return (
      `${start}the sources were bound with IP_BIND_ADDRESS_NO_PORT, so connect() picked each port per (source, destination) pair: ` +
      `${n(sources)} sources x ${n(destinations)} destinations x ${n(ports)} ports = ${n(sources * destinations * ports)} connections, and ${tw}. ` +
      `bind(ip, 0) alone would have run out at ${n(sources * ports)}, with EADDRINUSE. Pool connections, or add sources or destinations.`
    );
  }
  return (
    `${start}each connection was bound to its source address first (bind(ip, 0), what Node's localAddress does), which takes a port for ` +
    `every destination at once: ${n(sources)} sources x ${n(ports)} ports = ${n(sources * ports)} connections for all ${n(destinations)} ` +
    `destinations together, and ${tw}. With IP_BIND_ADDRESS_NO_PORT (bindStrategy: no-port) connect() reuses each port per destination: ` +
    `${n(sources * destinations * ports)}. Or pool connections.`
  );
}

/**
 * The sentence that replaces diagnosis.ts's main one when the strategy explains the run better (a leak, a
 * recycling pool, bound sources); null otherwise.
 */
export function strategySentence(f: StrategyFactsInput): string | null {
  return leakSentence(f) ?? recyclingSentence(f) ?? boundSentence(f);
}

/** When request errors of the reset kind first came, from the intervals; null without them. */
function firstResetMs(intervals: readonly Interval[] | undefined): number | null {
  const hit = intervals?.find((iv) => RESET_CODES.some((code) => (iv.requestErrors?.[code] ?? 0) > 0));
  return hit ? hit.tMs : null;
}

function clientSetting(keepAlive: NonNullable<StrategyFacts['keepAlive']>): string {
  return keepAlive.client === 'undici' ? "undici's keepAliveTimeout" : "the http.Agent's timeout";
}

/**
 * Keep-alive against the server's idle timeout: the reset race (named, dated, with its fix), a hint that
 * turned reuse off, or a race that could happen but did not. null for clients without keep-alive facts.
 */
export function keepAliveSentence(f: StrategyFactsInput): string | null {
  const keepAlive = f.scenario.strategy?.keepAlive;
  if (!keepAlive) return null;
  const server = formatDurationMs(keepAlive.serverTimeoutMs);
  if (keepAlive.disabledByHint) {
    const margin = keepAlive.client === 'undici' ? 'undici keeps a socket for the hint minus 2 s' : "Node's agent keeps a socket for the hint minus 1 s";
    return (
      `Keep-alive was on, but the server's hint "Keep-Alive: timeout=${Math.floor(keepAlive.serverTimeoutMs / 1000)}" leaves the client no safe ` +
      `idle time (${margin}), so the client closed every connection after its response: a new connection per request, as without keep-alive.`
    );
  }
  const resets = RESET_CODES.map((code) => [code, f.totals.requestErrors[code] ?? 0] as const).filter(([, count]) => count > 0);
  const fix =
    `Fix: keep idle connections shorter than the server does (${clientSetting(keepAlive)} below ${server}), or retry idempotent ` +
    'requests once when a reused connection fails.';
  if (resets.length > 0) {
    const first = firstResetMs(f.intervals);
    const codes = resets.map(([code, count]) => `${code} ${n(count)}`).join(', ');
    const why = keepAlive.raceProne
      ? `the server closes connections idle for ${server} and the client keeps them ${idleText(keepAlive.clientIdleMs)}, so a request ` +
        'sometimes went out on a connection the server was closing'
      : `the client keeps idle connections ${idleText(keepAlive.clientIdleMs)}, under the server's ${server}, yet requests still met closing connections`;
    return `Requests failed on reused keep-alive connections (${codes}${first === null ? '' : `, the first in the interval from ${formatDurationMs(first)}`}): the keep-alive reset race: ${why}. ${fix}`;
  }
  if (!keepAlive.reuses) return null;
  const retries = f.scenario.strategy?.retries ?? 0;
  if (keepAlive.raceProne && retries > 0) {
    return (
      `The client keeps idle connections ${idleText(keepAlive.clientIdleMs)} and the server closes them after ${server}, so the keep-alive ` +
      `reset race can happen, but a request reset on its connection was sent again (up to ${n(retries)} time${retries === 1 ? '' : 's'}): ` +
      'no request failed, at the cost of a retry and a new connection each time.'
    );
  }
  if (keepAlive.raceProne) {
    return (
      `The client keeps idle connections ${idleText(keepAlive.clientIdleMs)} and the server closes them after ${server}: the keep-alive ` +
      `reset race can happen here, though no request hit it in this run. ${fix}`
    );
  }
  return `No reset race: the client closes idle connections after ${idleText(keepAlive.clientIdleMs)}, before the server's ${server}.`;
}

/**
 * summary.json's "proxy" for a run with target.proxy, and the diagnosis sentence that says which hop ran
 * out: the proxy's backend side (its own connects failed: EADDRNOTAVAIL, while its clients saw 502s or
 * resets), the clients' side (the clients' connects to the proxy failed), or neither.
 */
import type { Scenario } from '../config/types.js';
import type { DriverDone } from '../driver/protocol.js';
import type { ProxyHop, ProxyRunSummary } from '../metrics/proxy.js';
import type { RunSummary } from '../metrics/types.js';
import { predictProxy } from '../model/proxy.js';
import { formatDurationMs, trimNumber, type PortRange } from '../util/units.js';
import { modelledPoolSize, type RunPrediction } from './prediction.js';

const n = (value: number): string => trimNumber(value, 0);
/** Connect errors that mean a hop found no free port (EADDRINUSE: bound sources). */
const EXHAUSTION_CODES = ['EADDRNOTAVAIL', 'EADDRINUSE'];
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const listOf = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, c]) => c > 0)
    .map(([code, c]) => `${code} ${n(c)}`)
    .join(', ');

function hopOf(upstreamErrors: Record<string, number>, clientErrors: Record<string, number>): ProxyHop | null {
  if (EXHAUSTION_CODES.some((code) => (upstreamErrors[code] ?? 0) > 0)) return 'proxy-backend';
  if (EXHAUSTION_CODES.some((code) => (clientErrors[code] ?? 0) > 0)) return 'client-proxy';
  return null;
}

/** The proxy model for a scenario, with the lab's range and the client model's TIME_WAIT and rate. */
function predictedFor(scenario: Scenario, run: RunPrediction, portRange: PortRange): ProxyRunSummary['predicted'] {
  const settings = scenario.target.proxy!;
  const clientPoolSize = modelledPoolSize(scenario);
  const p = predictProxy({
    upstream: settings.upstream,
    requestsPerSec: run.input.ratePerSec,
    ...(clientPoolSize !== undefined && { clientPoolSize }),
    proxyPoolSize: settings.poolSize,
    backendDestinations: settings.backendPorts.length,
    portRange,
    timeWaitMs: run.input.timeWaitMs,
  });
  return { hop: p.firstHop, atMs: p.timeToFirstFailureMs };
}

/** The run's proxy summary; undefined without target.proxy. */
export function proxySummary(
  scenario: Scenario,
  done: DriverDone | null,
  clientErrors: Record<string, number>,
  run: RunPrediction,
  portRange: PortRange,
): ProxyRunSummary | undefined {
  const settings = scenario.target.proxy;
  if (!settings) return undefined;
  const totals = done?.proxy;
  const stats = totals?.stats;
  const upstreamErrors = stats?.upstreamErrors ?? {};
  return {
    upstream: settings.upstream,
    poolSize: settings.upstream === 'pooled' ? settings.poolSize : null,
    backendPorts: settings.backendPorts,
    upstreamOpened: stats?.upstreamOpened ?? 0,
    upstreamConnected: stats?.upstreamConnected ?? 0,
    upstreamErrors,
    firstUpstreamErrorAtMs: totals?.firstErrorAtMs ?? null,
    firstUpstreamErrorCode: stats?.firstErrorCode ?? null,
    clientAnswers: stats?.clientAnswers ?? {},
    peak: totals?.peak ?? { clientHop: { portsInUse: 0, timeWait: 0 }, backendHop: { portsInUse: 0, timeWait: 0 } },
    exhaustedHop: hopOf(upstreamErrors, clientErrors),
    predicted: predictedFor(scenario, run, portRange),
  };
}

function upstreamText(proxy: ProxyRunSummary): string {
  switch (proxy.upstream) {
    case 'per-connection':
      return 'a backend connection per client connection (L4)';
    case 'per-request':
      return 'a backend connection per request, closed by the proxy after each response';
    default:
      return `a pool of ${n(proxy.poolSize ?? 0)} backend connections`;
  }
}

/** What the clients saw: their own connect and request errors (502, reset, timeout). */
function clientSide(totals: RunSummary['totals']): string {
  const seen = { ...totals.errors, ...totals.requestErrors };
  return sum(seen) === 0 ? 'the clients saw no errors' : `the clients saw ${listOf(seen)}`;
}

function predictedText({ predicted }: ProxyRunSummary): string {
  return predicted.atMs === null ? '' : ` (predicted ${formatDurationMs(predicted.atMs)} on the ${predicted.hop} hop)`;
}

/** The proxy's sentence: which hop ran out, with what each side counted. */
export function diagnoseProxy(proxy: ProxyRunSummary, totals: RunSummary['totals'], portRange: RunSummary['lab']['portRange']): string {
  const { backendHop, clientHop } = proxy.peak;
  const hops = `(peaks: client -> proxy ${n(clientHop.portsInUse)} ports, proxy -> backend ${n(backendHop.portsInUse)} ports, ${n(backendHop.timeWait)} of them in TIME_WAIT)`;
  const range = `the ${n(portRange.size)} ports of ${portRange.low}-${portRange.high}`;
  switch (proxy.exhaustedHop) {
    case 'proxy-backend':
      return (
        `The proxy ran out of ports on its backend hop: with ${upstreamText(proxy)}, its own connects failed from ` +
        `${formatDurationMs(proxy.firstUpstreamErrorAtMs ?? 0)}${predictedText(proxy)} (${listOf(proxy.upstreamErrors)} of ${n(proxy.upstreamOpened)}), because the ` +
        `connections it closed held ${range} in TIME_WAIT on its side ${hops}; it answered ${listOf(proxy.clientAnswers) || 'nothing'} ` +
        `and ${clientSide(totals)}. Keep-alive on the client side does not help: reuse the backend connections (a pooled upstream).`
      );
    case 'client-proxy':
      return `The clients ran out of ports on their hop to the proxy ${hops}: ${clientSide(totals)}; the proxy's own connects ${sum(proxy.upstreamErrors) === 0 ? 'all succeeded' : `failed ${listOf(proxy.upstreamErrors)}`}.`;
    default:
      return (
        `Neither hop ran out of ports: with ${upstreamText(proxy)}, the proxy opened ${n(proxy.upstreamOpened)} backend connection(s) ${hops}; ` +
        `${sum(proxy.upstreamErrors) === 0 ? 'none of its connects failed' : `its connects failed ${listOf(proxy.upstreamErrors)}`} and ${clientSide(totals)}.`
      );
  }
}

/** How to read the run's port figures when a proxy sat in the middle. */
export function proxyLabNote(proxy: ProxyRunSummary): string {
  return (
    `proxy (${proxy.upstream}) on the target ports, backend on ${proxy.backendPorts.join(', ')}: both hops start in this lab, so its ` +
    '"client" TIME_WAIT and ports in use count the clients\' sockets and the proxy\'s backend connections together; summary.proxy splits them by hop.'
  );
}

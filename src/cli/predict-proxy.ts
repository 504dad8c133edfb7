/**
 * `portlab predict --proxy per-connection|per-request|pooled`: the proxy model on its own, ports on both
 * hops (client -> proxy, proxy -> backend). --rate is the clients' requests/s, --pool-size their keep-alive
 * connections (none: a new connection per request); the range and TIME_WAIT come from predict's own flags.
 */
import type { Options } from 'yargs';
import { formatAboutMs, formatRatePerSec } from '../model/advice.js';
import { PROXY_MODES, predictProxy, type ProxyInput, type ProxyMode, type ProxyPrediction } from '../model/proxy.js';
import type { Prediction } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { trimNumber } from '../util/units.js';
import type { PredictArgs } from './predict.js';
import type { PredictInput } from '../model/types.js';
import { destinationCount, positiveInt, usage } from './predict-flags.js';

export interface ProxyPredictArgs extends PredictArgs {
  proxy?: string | undefined;
  proxyPoolSize?: string | undefined;
  /** Backend ports as a list (9900,9901) or a count. */
  backendPorts?: string | undefined;
}

/** What `predict --proxy --json` prints. */
export interface ProxyPredictReport {
  input: ProxyInput;
  prediction: ProxyPrediction;
}

/** The flags this file adds to `portlab predict`. */
export const PROXY_PREDICT_OPTIONS = {
  proxy: { type: 'string', describe: `predict a proxy's two hops: ${PROXY_MODES.join(', ')} (--pool-size: the clients' keep-alive connections)` },
  'proxy-pool-size': { type: 'string', describe: 'with --proxy pooled: the proxy\'s backend connections (default 10)' },
  'backend-ports': { type: 'string', describe: 'with --proxy: backend ports, a list like 9900,9901 or a count (default 1)' },
} as const satisfies Record<string, Options>;

function isMode(text: string): text is ProxyMode {
  return (PROXY_MODES as readonly string[]).includes(text);
}

function backendCount(text: string | undefined): number | undefined {
  if (text === undefined || /^\s*\d+\s*$/.test(text)) return positiveInt('backend-ports', text);
  // A list of ports: each backend port is one more destination for the proxy.
  return destinationCount(text.split(',').map((p) => `127.0.0.1:${p.trim()}`).join(','));
}

/**
 * Flags -> proxy model input; `input` is predict's own reading of the shared flags (range, TIME_WAIT, rate,
 * --pool-size as the clients' pool). Throws PortlabError('USAGE') on the first bad flag.
 */
export function proxyInputFromArgs(args: ProxyPredictArgs, input: PredictInput): ProxyInput {
  const mode = args.proxy ?? '';
  if (!isMode(mode)) {
    const guess = didYouMean(mode, PROXY_MODES);
    throw usage(`--proxy: expected ${PROXY_MODES.join(', ')}, got "${mode}"`, guess ? `did you mean "${guess}"?` : undefined);
  }
  return {
    upstream: mode,
    requestsPerSec: input.ratePerSec,
    ...(input.poolSize !== undefined && { clientPoolSize: input.poolSize }),
    proxyPoolSize: positiveInt('proxy-pool-size', args.proxyPoolSize) ?? 10,
    backendDestinations: backendCount(args.backendPorts) ?? 1,
    portRange: input.portRange,
    timeWaitMs: input.timeWaitMs,
    parityLoss: input.parityLoss ?? true,
  };
}

const n = (value: number): string => trimNumber(value, 0);

function hopRow(p: Prediction): string {
  const failure = p.timeToFirstFailureMs === null ? 'never runs out' : `runs out after ~${formatAboutMs(p.timeToFirstFailureMs)}`;
  return `${n(p.portsNeeded)} of ${n(p.capacity)} ports needed (${trimNumber(p.utilizationPct)}%), ${failure}`;
}

export function renderProxyPrediction({ input, prediction: p }: ProxyPredictReport): string {
  const clients = input.clientPoolSize === undefined ? 'a new connection per request' : `${n(input.clientPoolSize)} keep-alive connections`;
  const upstream = input.upstream === 'pooled' ? `pooled (${n(input.proxyPoolSize)} backend connections)` : input.upstream;
  const rows: [string, string][] = [
    ['port range', `${input.portRange.low}-${input.portRange.high} (${n(input.portRange.size)} ports), TIME_WAIT ${trimNumber(input.timeWaitMs / 1000)} s`],
    ['client -> proxy', hopRow(p.clientHop)],
    ['backend conns/s', formatRatePerSec(p.backendConnectionsPerSec)],
    ['proxy -> backend', hopRow(p.backendHop)],
    ['runs out first', p.firstHop === null ? 'neither hop' : `${p.firstHop}, after ~${formatAboutMs(p.timeToFirstFailureMs ?? 0)}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const head = `portlab predict --proxy ${upstream}: ${formatRatePerSec(input.requestsPerSec)} from ${clients}`;
  return `${[head, '', ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`), '', p.advice].join('\n')}\n`;
}

/** True when a proxy flag was given: the proxy model answers. */
export function wantsProxy(args: ProxyPredictArgs): boolean {
  return args.proxy !== undefined || args.proxyPoolSize !== undefined || args.backendPorts !== undefined;
}

/** Runs `predict --proxy`: writes the table (or JSON) through `write`. */
export function runProxyPredict(args: ProxyPredictArgs, base: PredictInput, write: (text: string) => void): ProxyPredictReport {
  const input = proxyInputFromArgs(args, base);
  const report: ProxyPredictReport = { input, prediction: predictProxy(input) };
  write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderProxyPrediction(report));
  return report;
}

/**
 * The figures a check can name: a run cell's summary reduced to numbers (and error codes), a cell that
 * could not run reduced to its error code. Figures with a prefix name a counter: `errors.EADDRNOTAVAIL`,
 * `netstat.TWRecycled`, `sysctl.net.core.somaxconn` (as read back in the lab).
 */
import { exhaustedIn } from '../compare/breaking-rate.js';
import { sumErrors } from '../metrics/counters.js';
import type { RunSummary } from '../metrics/types.js';
import { formatFigure } from './expression.js';
import type { Figures, FigureValue } from './types.js';

/** Every run figure, with what it means (the catalog's legend and `portlab claims --help` use it). */
export const RUN_FIGURES: Readonly<Record<string, string>> = {
  attempts: 'connects started',
  connected: 'connects that succeeded (a pool: connections opened)',
  errors: 'connects that failed, every code',
  exhausted: '1 when an exhaustion error came (EADDRNOTAVAIL, EADDRINUSE, connect timeouts), else 0',
  onsetMs: 'when the first exhaustion error came, ms after the load began (none: never)',
  onsetS: 'onsetMs in seconds',
  predictedOnsetMs: "the model's time to the first failure (none: never)",
  onsetClientTimeWait: 'client TIME_WAIT at the onset',
  scheduleLagMaxMs: 'how late the latest start ran against the plan, ms: how far a loaded machine can push the onset back',
  peakTimeWait: 'most TIME_WAIT sockets in the lab at once',
  peakClientTimeWait: 'most client-side TIME_WAIT at once',
  peakServerTimeWait: 'most server-side TIME_WAIT at once',
  peakPortsInUse: 'most client ports held at once, any state',
  portRangeLow: 'ip_local_port_range low end, read back',
  portRangeHigh: 'ip_local_port_range high end, read back',
  portRangeSize: 'ports in the range',
  ratePerSec: 'highest planned rate',
  requests: 'requests answered',
  requestErrors: 'requests that failed (resets, aborts ...), every code',
  durationMs: 'load time run',
  failure: 'the error code of a cell that could not run (SYSCTL_REFUSED ...), none when it ran',
  backendHopPorts: 'proxy: most ports the proxy held at once on its backend hop, any state (none: no proxy)',
  backendHopTimeWait: "proxy: most TIME_WAIT at once on the proxy's backend hop",
  clientHopPorts: 'proxy: most ports the clients held at once on their hop to the proxy',
  clientHopTimeWait: 'proxy: most TIME_WAIT at once on the clients\' hop to the proxy',
  upstreamOpened: 'proxy: backend connections the proxy opened',
  upstreamErrors: "proxy: the proxy's backend connects that failed, every code",
  natCapacity: 'nat lab: connections one client can hold open to one destination through the NAT',
  natDrops: "nat lab: the gateway's conntrack insert_failed + drop over the run",
  natPeakHeld: 'nat lab: most gateway entries holding a NAT tuple at once (any state before TIME_WAIT)',
};

/** Prefixes that name one counter each. */
export const FIGURE_PREFIXES = ['errors.', 'netstat.', 'sysctl.'] as const;

/** True when `name` is a run figure (or a prefixed counter). */
export function isRunFigure(name: string): boolean {
  return name in RUN_FIGURES || FIGURE_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length);
}

const numeric = (text: string): FigureValue => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text.trim());

function proxyFigures({ proxy }: RunSummary): Figures {
  return {
    backendHopPorts: proxy ? proxy.peak.backendHop.portsInUse : null,
    backendHopTimeWait: proxy ? proxy.peak.backendHop.timeWait : null,
    clientHopPorts: proxy ? proxy.peak.clientHop.portsInUse : null,
    clientHopTimeWait: proxy ? proxy.peak.clientHop.timeWait : null,
    upstreamOpened: proxy ? proxy.upstreamOpened : null,
    upstreamErrors: proxy ? sumErrors(proxy.upstreamErrors) : null,
  };
}

function natFigures({ nat }: RunSummary): Figures {
  return {
    natCapacity: nat ? nat.capacityPerDestination : null,
    natDrops: nat ? sumErrors({ insert_failed: nat.drops['insert_failed'] ?? 0, drop: nat.drops['drop'] ?? 0 }) : null,
    natPeakHeld: nat ? nat.peak.held : null,
  };
}

/** A run's figures. Prefixed counters that did not occur read 0 (sysctls: none). */
export function runFigures(summary: RunSummary): Figures {
  const { totals, onset, peak, lab, prediction } = summary;
  const figures: Figures = {
    attempts: totals.attempts,
    connected: totals.connected,
    errors: sumErrors(totals.errors),
    exhausted: exhaustedIn(summary) ? 1 : 0,
    onsetMs: onset ? Math.round(onset.atMs) : null,
    onsetS: onset ? Math.round(onset.atMs / 10) / 100 : null,
    predictedOnsetMs: prediction.timeToFirstFailureMs === null ? null : Math.round(prediction.timeToFirstFailureMs),
    onsetClientTimeWait: onset ? onset.clientTimeWait : null,
    scheduleLagMaxMs: summary.latency.scheduleLagUs ? Math.round(summary.latency.scheduleLagUs.max / 1000) : null,
    peakTimeWait: peak.timeWait,
    peakClientTimeWait: peak.clientTimeWait,
    peakServerTimeWait: peak.serverTimeWait,
    peakPortsInUse: peak.portsInUse,
    portRangeLow: lab.portRange.low,
    portRangeHigh: lab.portRange.high,
    portRangeSize: lab.portRange.size,
    ratePerSec: summary.scenario.ratePerSec,
    requests: totals.requests,
    requestErrors: sumErrors(totals.requestErrors),
    durationMs: Math.round(summary.durationMs),
    failure: null,
    ...proxyFigures(summary),
    ...natFigures(summary),
  };
  for (const [code, count] of Object.entries(totals.errors)) figures[`errors.${code}`] = count;
  for (const [name, value] of Object.entries(summary.netstat)) figures[`netstat.${name}`] = value;
  for (const [key, value] of Object.entries(lab.sysctls)) figures[`sysctl.${key}`] = numeric(value);
  return figures;
}

/** Figures that are port numbers: printed as the kernel prints them, without thousands separators. */
const PORT_NUMBERS = new Set(['portRangeLow', 'portRangeHigh', 'firstPort']);

/** A figure as text: port numbers plain, everything else as formatFigure does it. */
export function formatNamedFigure(name: string, value: FigureValue): string {
  return typeof value === 'number' && PORT_NUMBERS.has(name) ? String(value) : formatFigure(value);
}

/** A figure of a cell; a counter that never occurred is 0, anything else unknown is none. */
export function figureOf(figures: Figures, name: string): FigureValue {
  if (name in figures) return figures[name]!;
  if (figures.failure === null && (name.startsWith('errors.') || name.startsWith('netstat.'))) return 0;
  return null;
}

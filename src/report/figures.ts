/**
 * The key figures of a run, derived once and shown by every renderer (Markdown table, HTML header,
 * terminal comparison) so the formats cannot disagree about what a number means.
 */
import { formatDurationMs, formatRate } from '../util/units.js';
import { formatAtMs, formatCount, formatErrors, formatLatencyUs, formatPct } from './format.js';
import { formatRatePerSec } from '../model/advice.js';
import type { Prediction } from '../model/types.js';
import type { Percentiles, RunSummary } from '../metrics/types.js';

/** When the model said the first failure would come: the onset's copy, else the prediction's; null for never. */
export function predictedOnsetMs(summary: RunSummary): number | null {
  return summary.onset?.predictedAtMs ?? summary.prediction.timeToFirstFailureMs ?? null;
}

/**
 * Ports the load can hold at once: the range, times the (source, destination) tuples it is spread over
 * (ports are unique per 4-tuple), as the model counted them.
 */
export function usablePorts(summary: RunSummary): number {
  return Math.max(summary.prediction.capacity, 0) || summary.lab.portRange.size;
}

/** `value` as a share of the usable ports, in percent (0 when unknown). */
export function rangeFullPct(value: number, summary: RunSummary): number {
  const usable = usablePorts(summary);
  return usable > 0 ? (value / usable) * 100 : 0;
}

/** "200 of 200 ports (100%)", or "400 of 400 ports (200 x 2 tuples) (100%)" when spread over tuples. */
export function ofRange(value: number, summary: RunSummary): string {
  const { tuples } = summary.prediction;
  const spread = tuples > 1 ? ` (${formatCount(summary.prediction.usablePortsPerTuple)} x ${tuples} tuples)` : '';
  return `${formatCount(value)} of ${formatCount(usablePorts(summary))} ports${spread} (${formatPct(rangeFullPct(value, summary))})`;
}

/** "40000-40199 (200 ports)". */
export function portRangeText(summary: RunSummary): string {
  const { low, high, size } = summary.lab.portRange;
  return `${low}-${high} (${formatCount(size)} ports)`;
}

/** "churn, client closes first, 100/s for 5s" / "pool of 10, 100/s for 5s". */
export function loadText(summary: RunSummary): string {
  const s = summary.scenario;
  const shape = s.pattern === 'pool' ? `pool of ${s.poolSize ?? '?'} connections` : `${s.pattern}, close: ${s.close}`;
  const rate = s.stages.length > 1 ? `up to ${formatRate(s.ratePerSec)}` : formatRate(s.ratePerSec);
  return `${shape}, ${rate} for ${formatDurationMs(summary.durationMs)}${summary.interrupted ? ' (interrupted)' : ''}`;
}

/** "2.0s (predicted 2.0s)", "none (predicted none)". */
export function onsetText(summary: RunSummary): string {
  const predicted = predictedOnsetMs(summary);
  const measured = summary.onset ? `${summary.onset.code} at ${formatAtMs(summary.onset.atMs)}` : 'none';
  return `${measured} (predicted ${predicted === null ? 'none' : formatAtMs(predicted)})`;
}

/** "p50 95µs, p99 480µs", or "n/a" when nothing was measured. */
export function latencyText(p: Percentiles | null, which: ('p50' | 'p90' | 'p99' | 'max')[] = ['p50', 'p99']): string {
  if (!p || p.count === 0) return 'n/a';
  return which.map((k) => `${k} ${formatLatencyUs(p[k])}`).join(', ');
}

export interface KeyFigure {
  /** Stable identifier (comparison rows line up on it). */
  key: string;
  label: string;
  value: string;
}

/** The figures a reader checks first, in reading order. */
export function keyFigures(summary: RunSummary): KeyFigure[] {
  const { totals, peak } = summary;
  const figures: KeyFigure[] = [
    { key: 'load', label: 'Load', value: loadText(summary) },
    { key: 'lab', label: 'Lab', value: `${summary.lab.kind}, ${portRangeText(summary)}` },
    { key: 'attempts', label: 'Connection attempts', value: formatCount(totals.attempts) },
    { key: 'connected', label: 'Connected', value: formatCount(totals.connected) },
    { key: 'errors', label: 'Errors', value: formatErrors(totals.errors) },
  ];
  if (totals.requests > 0 || summary.scenario.pattern === 'pool') {
    figures.push({ key: 'requests', label: 'Requests', value: `${formatCount(totals.requests)} (errors: ${formatErrors(totals.requestErrors)})` });
  }
  figures.push(
    { key: 'onset', label: 'First failure (onset)', value: onsetText(summary) },
    { key: 'clientTimeWait', label: 'Peak client TIME_WAIT', value: ofRange(peak.clientTimeWait, summary) },
    { key: 'serverTimeWait', label: 'Peak server TIME_WAIT', value: formatCount(peak.serverTimeWait) },
    { key: 'portsInUse', label: 'Peak ports in use', value: ofRange(peak.portsInUse, summary) },
    { key: 'connectLatency', label: 'Connect latency', value: latencyText(summary.latency.connectUs) },
    { key: 'result', label: 'Expectations', value: resultText(summary) },
  );
  return figures;
}

/** "passed (2/2)", "FAILED (1/3 failed)", "none set". */
export function resultText(summary: RunSummary): string {
  const total = summary.expectations.length;
  if (total === 0) return 'none set';
  const failed = summary.expectations.filter((e) => !e.pass).length;
  return failed === 0 ? `passed (${total}/${total})` : `FAILED (${failed}/${total} failed)`;
}

/** The model's rate limit, written as the advice writes it (3.33/s); null means ports never limit this pattern. */
export function sustainableText(p: Prediction): string {
  return p.maxSustainableRatePerSec === null ? 'ports do not limit the rate' : `sustainable up to ${formatRatePerSec(p.maxSustainableRatePerSec)}`;
}

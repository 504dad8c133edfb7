/**
 * The report's charts, in reading order, plus what they share: the palette and the onset markers.
 * Each chart lives in its own file (html-chart-*.ts).
 */
import { formatAtMs } from './format.js';
import { predictedOnsetMs } from './figures.js';
import type { ChartMarker } from './html-svg.js';
import type { RunSummary } from '../metrics/types.js';

/** Colours chosen to stay apart for common colour-vision deficiencies (blue/orange/purple first). */
export const COLORS = {
  attempts: '#6b7280',
  connected: '#16a34a',
  requests: '#0ea5e9',
  errors: ['#dc2626', '#ea580c', '#9333ea', '#0891b2', '#ca8a04', '#be185d'],
  clientTimeWait: '#2563eb',
  timeWaitTotal: '#93c5fd',
  serverTimeWait: '#f59e0b',
  portsInUse: '#7c3aed',
  portRange: '#b91c1c',
  onsetMeasured: '#9f1239',
  onsetPredicted: '#475569',
  latencyP50: '#0d9488',
  latencyP99: '#db2777',
  scheduleLag: '#a16207',
  rangeFull: '#64748b',
} as const;

/** The measured onset, and (when asked) the predicted one; none when neither exists. */
export function onsetMarkers(summary: RunSummary, withPredicted: boolean): ChartMarker[] {
  const markers: ChartMarker[] = [];
  if (summary.onset) {
    const at = summary.onset.atMs;
    markers.push({ id: 'onset-measured', label: `onset ${formatAtMs(at)}`, xSec: at / 1000, color: COLORS.onsetMeasured });
  }
  const predicted = predictedOnsetMs(summary);
  if (withPredicted && predicted !== null) {
    markers.push({ id: 'onset-predicted', label: `predicted ${formatAtMs(predicted)}`, xSec: predicted / 1000, color: COLORS.onsetPredicted, dashed: true });
  }
  return markers;
}

/** The x axis reaches the end of the load (or of the last interval, if the run went on a bit longer). */
export function xMaxSec(summary: RunSummary): number {
  const last = summary.intervals[summary.intervals.length - 1];
  return Math.max(summary.durationMs, last ? last.tMs : 0, 1) / 1000;
}

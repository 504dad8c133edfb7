/** Chart 1: attempts, connected and errors per second (by code) over time. */
import { COLORS, onsetMarkers, xMaxSec } from './html-charts.js';
import { compactNumber, renderChart, type ChartLine } from './html-svg.js';
import { rateSeries } from './series.js';
import type { RunSummary } from '../metrics/types.js';

/** The rates chart as inline SVG. */
export function renderRateChart(summary: RunSummary): string {
  let errorIndex = 0;
  const lines: ChartLine[] = rateSeries(summary).map((series) => {
    if (series.id === 'attempts') return { series, color: COLORS.attempts, dashed: true };
    if (series.id === 'connected') return { series, color: COLORS.connected };
    if (series.id === 'requests') return { series, color: COLORS.requests };
    return { series, color: COLORS.errors[errorIndex++ % COLORS.errors.length]! };
  });
  return renderChart({
    id: 'rates',
    title: 'Connection attempts, successes and errors per second',
    description: 'Line chart over seconds since start: attempts per second, connected per second (requests per second for a pool) and errors per second for each error code.',
    xMaxSec: xMaxSec(summary),
    left: { label: 'per second', format: compactNumber },
    lines,
    markers: onsetMarkers(summary, false),
  });
}

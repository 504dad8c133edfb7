/** Chart 3: connect latency percentiles over time, against how full the port range is (right axis). */
import { formatLatencyUs } from './format.js';
import { COLORS, onsetMarkers, xMaxSec } from './html-charts.js';
import { renderChart } from './html-svg.js';
import { latencySeries, rangeFullSeries } from './series.js';
import type { RunSummary } from '../metrics/types.js';

/** The latency chart as inline SVG. */
export function renderLatencyChart(summary: RunSummary): string {
  const [p50, p99, lag] = latencySeries(summary);
  const full = rangeFullSeries(summary);
  // Several destinations or sources can hold more TIME_WAIT than one range has ports: let the axis grow.
  const fullMax = Math.max(100, ...full.points.map((p) => p.y));
  return renderChart({
    id: 'latency',
    title: 'Connect latency against how full the port range is',
    description:
      'Line chart over seconds since start: connect latency p50 and p99 per interval (failed connects included) and, when recorded, ' +
      'how late starts were against the plan (schedule lag p99) on the left axis, ' +
      'and the share of the port range in use, in percent, on the right axis.',
    xMaxSec: xMaxSec(summary),
    left: { label: 'connect latency', format: formatLatencyUs },
    right: { label: 'port range in use (%)', format: (v) => `${v}%`, max: fullMax },
    lines: [
      { series: p50!, color: COLORS.latencyP50 },
      { series: p99!, color: COLORS.latencyP99 },
      ...(lag ? [{ series: lag, color: COLORS.scheduleLag, dashed: true }] : []),
      { series: full, color: COLORS.rangeFull, axis: 'right', dashed: true },
    ],
    markers: onsetMarkers(summary, false),
  });
}

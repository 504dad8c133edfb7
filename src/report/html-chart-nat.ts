/**
 * Chart for nat lab runs: the gateway's conntrack entries over time (holding a NAT port, in TIME_WAIT)
 * against the NAT's ports per destination, beside the clients' connect timeouts and the gateway's drops per
 * second, with the onsets marked. Held entries reaching the line while timeouts rise is a NAT out of ports;
 * TIME_WAIT entries far above it with no timeouts is conntrack taking closed tuples over.
 */
import { formatCount } from './format.js';
import { COLORS, onsetMarkers, xMaxSec } from './html-charts.js';
import { compactNumber, renderChart, type ChartLine } from './html-svg.js';
import { natSeries } from './series.js';
import type { RunSummary } from '../metrics/types.js';

const COLOR_BY_ID: Record<string, string> = {
  'nat-held': COLORS.portsInUse,
  'nat-time-wait': COLORS.clientTimeWait,
  'client-timeouts': COLORS.errors[0],
  'nat-drops': COLORS.errors[1],
};

/** The NAT chart as inline SVG; empty for runs without a gateway. */
export function renderNatChart(summary: RunSummary): string {
  const { nat } = summary;
  if (!nat) return '';
  const series = natSeries(summary);
  const lines: ChartLine[] = [
    ...series.entries.map((s) => ({ series: s, color: COLOR_BY_ID[s.id]!, dashed: s.id === 'nat-time-wait' })),
    ...series.perSecond.map((s) => ({ series: s, color: COLOR_BY_ID[s.id]!, axis: 'right' as const, dashed: s.id === 'nat-drops' })),
  ];
  const capacity = nat.capacityPerDestination;
  return renderChart({
    id: 'nat',
    title: "The NAT gateway's conntrack entries beside the clients' connect timeouts",
    description:
      `Line chart over seconds since start: the gateway's conntrack entries holding a NAT port and those in TIME_WAIT (left axis), ` +
      `client connect timeouts and gateway drops per second (right axis), with the NAT's ports per destination (${capacity}) as a ` +
      'horizontal line and the measured and predicted onset as vertical lines.',
    xMaxSec: xMaxSec(summary),
    left: { label: 'gateway entries', format: compactNumber },
    right: { label: 'per second', format: compactNumber },
    lines,
    hLines: capacity > 0 ? [{ id: 'nat-capacity', label: `NAT ports per destination: ${formatCount(capacity)}`, y: capacity, color: COLORS.portRange }] : [],
    markers: onsetMarkers(summary, true),
  });
}

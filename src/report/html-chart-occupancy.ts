/**
 * Chart 2: every state that holds client ports (TIME_WAIT, and ESTABLISHED or CLOSE_WAIT when a pool or a
 * leak holds them open) and ports in use against the port range, with the onsets marked.
 */
import { formatCount } from './format.js';
import { COLORS, onsetMarkers, xMaxSec } from './html-charts.js';
import { compactNumber, renderChart } from './html-svg.js';
import { occupancySeries } from './series.js';
import type { RunSummary } from '../metrics/types.js';

const COLOR_BY_ID: Record<string, string> = {
  'time-wait-total': COLORS.timeWaitTotal,
  'client-time-wait': COLORS.clientTimeWait,
  'server-time-wait': COLORS.serverTimeWait,
  'ports-in-use': COLORS.portsInUse,
  'client-established': COLORS.connected,
  'client-close-wait': COLORS.errors[2],
};

/** The TIME_WAIT / ports-in-use chart as inline SVG. */
export function renderOccupancyChart(summary: RunSummary): string {
  const size = summary.lab.portRange.size;
  return renderChart({
    id: 'occupancy',
    title: 'Ports held, by state, against the port range',
    description:
      `Line chart over seconds since start: all TIME_WAIT (sockstat, 10 samples/s), client-side and server-side TIME_WAIT, ` +
      `client ESTABLISHED and CLOSE_WAIT when the run held any, and client ports in use in every state (/proc/net/tcp, 1 sample/s), ` +
      `with the port range size (${size}) as a horizontal line and the measured and predicted onset as vertical lines.`,
    xMaxSec: xMaxSec(summary),
    left: { label: 'sockets', format: compactNumber },
    lines: occupancySeries(summary).map((series) => ({
      series,
      color: COLOR_BY_ID[series.id] ?? COLORS.attempts,
      dashed: series.id === 'ports-in-use' || series.id === 'time-wait-total',
    })),
    hLines: size > 0 ? [{ id: 'port-range', label: `port range: ${formatCount(size)} ports`, y: size, color: COLORS.portRange }] : [],
    markers: onsetMarkers(summary, true),
  });
}

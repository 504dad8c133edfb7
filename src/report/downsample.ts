/**
 * Downsampling for charts and sparklines. A 10-minute run at 250 ms has 2,400 intervals; a chart keeps at
 * most MAX_CHART_POINTS per series so the page stays light and readable.
 *
 * Consecutive points are grouped into equal buckets and each bucket becomes one point:
 * - 'max' keeps the bucket's highest point (with its own x). Used for errors, TIME_WAIT, ports in use and
 *   tail latency: a spike that lasted one interval is the very thing a reader looks for, and averaging
 *   would flatten it away.
 * - 'mean' averages x and y. Used for steady rates (attempts/s, connected/s) and the median latency,
 *   where the average over the bucket is the honest value.
 */

/** One chart point: x in seconds since the start of the load, y in the series' unit. */
export interface Point {
  x: number;
  y: number;
}

export type DownsampleMode = 'max' | 'mean';

/** Most points one chart series keeps (about one per horizontal pixel pair of a 1,200-px chart). */
export const MAX_CHART_POINTS = 600;

/** Groups `points` into at most `maxPoints` buckets; returns the input unchanged when it already fits. */
export function downsample(points: readonly Point[], maxPoints: number, mode: DownsampleMode): Point[] {
  if (maxPoints < 1) throw new RangeError('maxPoints must be at least 1');
  if (points.length <= maxPoints) return points.slice();
  const out: Point[] = [];
  const n = points.length;
  for (let b = 0; b < maxPoints; b++) {
    // Multiply before dividing: (b + 1) * (n / maxPoints) can round just below n and drop the last point.
    const bucket = points.slice(Math.floor((b * n) / maxPoints), Math.floor(((b + 1) * n) / maxPoints));
    if (bucket.length > 0) out.push(mode === 'max' ? highest(bucket) : mean(bucket));
  }
  return out;
}

/** Values only (a sparkline has no x): the same bucketing over the indices. */
export function downsampleValues(values: readonly number[], maxPoints: number, mode: DownsampleMode): number[] {
  return downsample(values.map((y, x) => ({ x, y })), maxPoints, mode).map((p) => p.y);
}

function highest(bucket: Point[]): Point {
  return bucket.reduce((best, p) => (p.y > best.y ? p : best));
}

function mean(bucket: Point[]): Point {
  const n = bucket.length;
  return { x: bucket.reduce((s, p) => s + p.x, 0) / n, y: bucket.reduce((s, p) => s + p.y, 0) / n };
}

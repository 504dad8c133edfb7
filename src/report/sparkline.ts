/** Text sparklines (▁▂▃▄▅▆▇█) for Markdown and terminals, where no chart can go. */
import { downsampleValues } from './downsample.js';

/** The eight block heights, lowest first. */
export const SPARK_LEVELS = '▁▂▃▄▅▆▇█';

export interface SparklineOptions {
  /** Most characters; longer series are bucketed by max so peaks survive (default 40). */
  width?: number;
  /** The value drawn as █ (default: the series' own maximum); higher values are clamped to it. */
  max?: number;
}

/** One character per value (or per bucket of values); empty input gives an empty string. */
export function sparkline(values: readonly number[], options: SparklineOptions = {}): string {
  if (values.length === 0) return '';
  const points = downsampleValues(values, Math.max(1, options.width ?? 40), 'max');
  const max = options.max ?? Math.max(...points);
  return points
    .map((value) => {
      if (!(max > 0) || !(value > 0)) return SPARK_LEVELS[0];
      // Eighths: a value just above 0 gets ▁, exactly max gets █.
      const level = Math.min(SPARK_LEVELS.length, Math.ceil((value / max) * SPARK_LEVELS.length)) - 1;
      return SPARK_LEVELS[Math.max(0, level)];
    })
    .join('');
}

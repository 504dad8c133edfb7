/**
 * Latency histograms (HDR, microseconds). Workers record connect latency per attempt, failures included,
 * and post one encoded histogram per interval; the coordinator decodes and merges. The pure-JS build is
 * used (useWebAssembly: false) because the wasm one needs async init in every worker thread.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { Percentiles } from './types.js';

/** 60 s in us: far above any connect timeout, so clamping only ever touches absurd values. */
export const HIGHEST_TRACKABLE_US = 60_000_000;

export type { Histogram };

/** An empty histogram of 1 us .. 60 s at 3 significant digits (about 0.1% value error). */
export function createLatencyHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
    // Fixed bounds so histograms from every worker merge bucket for bucket.
    autoResize: false,
  });
}

/**
 * Records one value in us, clamped into 0..HIGHEST_TRACKABLE_US and rounded (HDR only takes integers and
 * throws above its range; a stalled clock must not crash a worker). NaN is ignored.
 */
export function recordLatencyUs(histogram: Histogram, valueUs: number): void {
  if (Number.isNaN(valueUs)) return;
  histogram.recordValue(Math.min(HIGHEST_TRACKABLE_US, Math.max(0, Math.round(valueUs))));
}

/** Compressed base64 (the HdrHistogram V2 format other HDR tools read). */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** The inverse of encodeHistogram. */
export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Merges encoded histograms into a new one; empty strings (nothing recorded) are skipped. */
export function mergeEncoded(list: readonly string[]): Histogram {
  const merged = createLatencyHistogram();
  for (const encoded of list) {
    if (encoded === '') continue;
    const part = decodeHistogram(encoded);
    merged.add(part);
    part.destroy();
  }
  return merged;
}

/** count, p50, p90, p99, max, mean in the recorded unit (us); null when nothing was recorded. */
export function percentiles(histogram: Histogram): Percentiles | null {
  if (histogram.totalCount === 0) return null;
  return {
    count: histogram.totalCount,
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    max: histogram.maxValue,
    mean: histogram.mean,
  };
}

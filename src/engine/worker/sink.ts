/** A LatencySink over an HDR histogram (metrics/), encoded for posting to the coordinator. */
import { createLatencyHistogram, encodeHistogram, recordLatencyUs } from '../../metrics/histogram.js';
import type { LatencySink } from './runtime.js';

export function createSink(): LatencySink {
  const histogram = createLatencyHistogram();
  let recorded = 0;
  return {
    record(valueUs) {
      recordLatencyUs(histogram, valueUs);
      recorded++;
    },
    take() {
      if (recorded === 0) return null;
      const encoded = encodeHistogram(histogram);
      histogram.reset();
      recorded = 0;
      return encoded;
    },
  };
}

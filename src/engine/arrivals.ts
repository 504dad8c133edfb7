/**
 * Where each start falls on the arrival plan's count axis: start k is due once the plan's startsBy(t) reaches
 * position(k). Uniform arrivals sit at 0, 1, 2 ... (evenly spaced in time for a constant rate). Poisson
 * arrivals sit at the running sum of unit-mean exponential gaps: mapped through the plan, that is a Poisson
 * process whose rate follows the plan (a time change), ramps included. Real traffic has such idle gaps, and
 * the keep-alive reset race lives in them.
 *
 * Every worker draws the same sequence from the seed and takes its own starts (k = index, index + workers,
 * ...), so the split between workers is exact and a run repeats exactly with the same seed.
 */
import type { Arrival } from '../config/types.js';
import { seededRandom } from '../util/random.js';

/** Positions of the starts, asked for in increasing k. */
export interface ArrivalPositions {
  /** Position of start k on the count axis, or null when the plan holds no start k. k must not decrease. */
  position(k: number): number | null;
}

/** Uniform: start k at k, for the ceil(totalStarts) starts of the plan (k = 0 at t = 0). */
function uniformPositions(totalStarts: number): ArrivalPositions {
  const count = Math.ceil(totalStarts - 1e-9);
  return { position: (k) => (k < count ? k : null) };
}

/** Poisson: start k after k + 1 exponential gaps of mean 1, while within the plan. */
function poissonPositions(totalStarts: number, seed: number): ArrivalPositions {
  const random = seededRandom(seed);
  let k = -1;
  let sum = 0;
  return {
    position(wanted) {
      if (wanted < k) throw new Error(`arrival positions are read in order: ${wanted} after ${k}`);
      while (k < wanted && sum <= totalStarts) {
        // 1 - U lies in (0, 1], so the logarithm is finite.
        sum += -Math.log(1 - random());
        k++;
      }
      return sum <= totalStarts ? sum : null;
    },
  };
}

/** The positions of a plan's starts for this arrival shape. */
export function arrivalPositions(arrival: Arrival, totalStarts: number, seed: number): ArrivalPositions {
  return arrival === 'poisson' ? poissonPositions(totalStarts, seed) : uniformPositions(totalStarts);
}

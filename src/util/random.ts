/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every
 * thread and every machine, so a run with random arrivals can be repeated exactly. Not for cryptography.
 */

/** Returns a function yielding numbers in [0, 1), the sequence fixed by `seed` (a 32-bit unsigned integer). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

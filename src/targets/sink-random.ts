/**
 * Seeded pseudo-random numbers for the sink's fault injection, so a run with the same seed
 * makes the same choices. mulberry32: 32 bits of state, uniform doubles in [0, 1).
 */
export type Random = () => number;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of one stream (`stream` = 1, 2, …) of the `index`-th connection (1-based, in accept
 * order), mixed from the run's seed with the murmur3 finaliser so neighbouring connections get
 * unrelated sequences.
 */
export function streamSeed(seed: number, index: number, stream: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Every way the tests cut one input into chunks: whole, byte by byte, at every single offset,
 * and (for inputs up to `pairLimit` octets) at every pair of offsets. Each chunking is named so
 * a failing assertion says which cut broke it.
 */
export interface Chunking {
  name: string;
  chunks: Buffer[];
}

export function chunkings(input: Buffer, pairLimit = 64): Chunking[] {
  const all: Chunking[] = [{ name: 'whole', chunks: [input] }];
  all.push({ name: 'byte by byte', chunks: [...input].map((b) => Buffer.from([b])) });
  for (let cut = 1; cut < input.length; cut++) {
    all.push({ name: `cut at ${cut}`, chunks: [input.subarray(0, cut), input.subarray(cut)] });
  }
  if (input.length > pairLimit) return all;
  for (let a = 1; a < input.length; a++) {
    for (let b = a + 1; b < input.length; b++) {
      const chunks = [input.subarray(0, a), input.subarray(a, b), input.subarray(b)];
      all.push({ name: `cuts at ${a} and ${b}`, chunks });
    }
  }
  return all;
}

/** A deterministic pseudo-random byte source (mulberry32), so fuzz failures reproduce. */
export function seededBytes(seed: number, length: number, alphabet?: Buffer): Buffer {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    out[i] = alphabet ? alphabet[Math.floor(next() * alphabet.length)]! : Math.floor(next() * 256);
  }
  return out;
}

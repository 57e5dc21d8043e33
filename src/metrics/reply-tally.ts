/**
 * Replies counted by code: one increment in a typed array per reply, no Map and no string key
 * on the load engine's hot path. Reply codes are three digits (the load engine's reply scanner
 * accepts 200–599 only), so a code is its own index.
 *
 *   const tally = new ReplyTally();
 *   tally.add(250); tally.add(250); tally.add(354);
 *   tally.toRecord();   // { "250": 2, "354": 1 }
 */
const SLOTS = 1000;

export class ReplyTally {
  /** Float64: exact to 2^53, where a Uint32 would wrap after 4.3 billion replies. */
  private readonly counts = new Float64Array(SLOTS);
  private total = 0;

  /** Counts one reply; `code` must be an integer in 100–999. */
  add(code: number): void {
    if (!(code >= 100 && code < SLOTS) || code !== Math.trunc(code)) {
      throw new RangeError(`a reply code has three digits, got ${code}`);
    }
    this.counts[code]!++;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** The codes seen, ascending, each with its count: `{ "250": 1190, "452": 10 }`. */
  toRecord(): Record<string, number> {
    const record: Record<string, number> = {};
    if (this.total === 0) return record;
    for (let code = 100; code < SLOTS; code++) {
      const n = this.counts[code]!;
      if (n > 0) record[code] = n;
    }
    return record;
  }

  reset(): void {
    if (this.total === 0) return;
    this.counts.fill(0);
    this.total = 0;
  }
}

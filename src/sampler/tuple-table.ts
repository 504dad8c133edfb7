/**
 * A hash table from fixed-length keys of 32-bit words (an address tuple read from /proc as hex) to dense
 * ids 0, 1, 2 ...; a lookup allocates nothing. A Map keyed by address numbers or strings boxes each key
 * (addresses pass 2^31, beyond V8's small integers) and the garbage it leaves at 100,000 rows a refresh
 * costs more than the lookups themselves.
 */

export class WordKeyTable {
  /** The caller writes the key here, then calls idOf(). */
  readonly key: Uint32Array;
  private readonly words: number;
  /** Keys by id, `words` each. */
  private keys: Uint32Array;
  /** Open-addressing slots: id + 1, 0 when empty. */
  private slots: Int32Array;
  private count = 0;

  constructor(words: number, initialSlots = 1024) {
    this.words = words;
    this.key = new Uint32Array(words);
    this.slots = new Int32Array(initialSlots);
    this.keys = new Uint32Array((initialSlots / 2) * words);
  }

  get size(): number {
    return this.count;
  }

  private hash(keys: Uint32Array, offset: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.words; i++) h = Math.imul(h ^ keys[offset + i]!, 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private sameKey(id: number): boolean {
    const at = id * this.words;
    for (let i = 0; i < this.words; i++) if (this.keys[at + i] !== this.key[i]) return false;
    return true;
  }

  /** The id of `key`, a new one when it was not in the table. */
  idOf(): number {
    const mask = this.slots.length - 1;
    for (let slot = this.hash(this.key, 0) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0) break;
      if (this.sameKey(stored - 1)) return stored - 1;
    }
    const id = this.count++;
    if ((id + 1) * this.words > this.keys.length) {
      const bigger = new Uint32Array(this.keys.length * 2);
      bigger.set(this.keys);
      this.keys = bigger;
    }
    this.keys.set(this.key, id * this.words);
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  /** The words of id's key (a copy). */
  keyOf(id: number): number[] {
    return Array.from(this.keys.subarray(id * this.words, (id + 1) * this.words));
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hash(this.keys, id * this.words) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(slots: number): void {
    this.slots = new Int32Array(slots);
    for (let id = 0; id < this.count; id++) this.place(id);
  }
}

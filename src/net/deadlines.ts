/**
 * Connect timeouts without a timer per connect. Every connect of a thread with the same timeout expires in
 * the order it started, so one FIFO and one timer armed for its head do the work of thousands of
 * setTimeout/clearTimeout pairs (a churn at 10,000 connects/s per worker settles almost all of them within
 * a millisecond). Cancelled entries drop their callback at once and leave the queue when they reach its head.
 */

/** Timer functions (injectable for tests). */
export interface Timers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A pending deadline; cancel() when the connect settles first. */
export interface Deadline {
  cancel(): void;
}

class Entry implements Deadline {
  constructor(
    readonly atMs: number,
    public onExpire: (() => void) | null,
    private readonly owner: DeadlineQueue,
  ) {}

  cancel(): void {
    if (this.onExpire === null) return;
    this.onExpire = null;
    this.owner.cancelled++;
  }
}

/**
 * Unref'd timers: a pending connect's own socket keeps the thread alive; a cancelled deadline, or a pause
 * before reopening a connection at the end of a run, must not.
 */
export const unrefTimers: Timers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Compact once this many slots are dead and they are at least half the array (amortised O(1) per entry). */
const COMPACT_AT = 1024;

export class DeadlineQueue {
  private entries: Entry[] = [];
  private head = 0;
  /** Cancelled entries still in the array (at or behind the head). */
  cancelled = 0;
  private timer: unknown = undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly timers: Timers = unrefTimers,
  ) {}

  /** Calls onExpire timeoutMs from now unless cancelled first. */
  add(onExpire: () => void): Deadline {
    this.dropCancelled();
    const entry = new Entry(this.now() + this.timeoutMs, onExpire, this);
    this.entries.push(entry);
    if (this.timer === undefined) this.arm(entry.atMs);
    return entry;
  }

  /** Deadlines not yet expired or dropped (cancelled ones included until they reach the head). */
  size(): number {
    return this.entries.length - this.head;
  }

  /** Deadlines still waiting to expire. */
  pending(): number {
    return this.size() - this.cancelled;
  }

  private dropCancelled(): void {
    while (this.head < this.entries.length && this.entries[this.head]!.onExpire === null) {
      this.head++;
      this.cancelled--;
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head + this.cancelled >= COMPACT_AT && (this.head + this.cancelled) * 2 >= this.entries.length) {
      // A slow connect at the head keeps settled ones behind it; drop them without waiting for it.
      this.entries = this.entries.slice(this.head).filter((entry) => entry.onExpire !== null);
      this.head = 0;
      this.cancelled = 0;
    }
  }

  private arm(atMs: number): void {
    // Node timers may fire a little early against a sub-ms clock; fire() re-arms for what is not yet due.
    this.timer = this.timers.setTimeout(() => this.fire(), Math.max(1, Math.ceil(atMs - this.now())));
  }

  private fire(): void {
    this.timer = undefined;
    const nowMs = this.now();
    for (;;) {
      this.dropCancelled();
      const entry = this.entries[this.head];
      if (!entry) return;
      if (entry.atMs > nowMs) return this.arm(entry.atMs);
      this.head++;
      const expire = entry.onExpire!;
      entry.onExpire = null;
      expire();
    }
  }
}

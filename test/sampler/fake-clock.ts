/** Test helper: a manual clock with the sampler's timer interface. */
import type { SamplerTimers } from '../../src/sampler/poller.js';

interface Pending {
  id: number;
  atMs: number;
  fn: () => void;
}

/** Lets promise callbacks queued by a timer run before the next timer fires. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements SamplerTimers {
  nowMs = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  now = (): number => this.nowMs;

  setTimeout(fn: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, atMs: this.nowMs + Math.max(0, delayMs), fn };
    this.pending.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  /** Timers not yet fired or cleared. */
  pendingCount(): number {
    return this.pending.length;
  }

  /** Moves time forward, firing due timers in order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const endMs = this.nowMs + ms;
    await flushMicrotasks();
    for (;;) {
      const due = this.pending.filter((t) => t.atMs <= endMs).sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.nowMs = due.atMs;
      due.fn();
      await flushMicrotasks();
    }
    this.nowMs = endMs;
  }
}

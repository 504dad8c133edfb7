/**
 * Starts the loads of a wave of cells together. Each cell's driver comes up (processes, threads, JIT: about
 * two CPU-seconds here) and waits; once every cell of the wave is armed, or has left (its lab failed), all
 * start at once, so no cell's start-up lands inside another's measured load. A wave whose cells never all
 * arrive still starts after `maxWaitMs` from the first arrival: a slow lab must not hold the rest forever.
 */
import type { StartGate } from '../run/orchestrate.js';

export class WaveGate {
  private readonly waiting: (() => void)[] = [];
  private remaining: number;
  private opened = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    participants: number,
    private readonly maxWaitMs = 20_000,
  ) {
    this.remaining = participants;
  }

  /** The gate one cell's run uses. */
  member(): StartGate & { leave(): void } {
    let counted = false;
    const arrive = (): void => {
      if (counted) return;
      counted = true;
      this.remaining--;
    };
    return {
      armed: (go) => {
        if (this.opened) return go();
        this.waiting.push(go);
        arrive();
        this.timer ??= setTimeout(() => this.open(), this.maxWaitMs);
        if (this.remaining <= 0) this.open();
      },
      leave: () => {
        arrive();
        if (this.remaining <= 0) this.open();
      },
    };
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    clearTimeout(this.timer);
    for (const go of this.waiting.splice(0)) go();
  }
}

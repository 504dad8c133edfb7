/**
 * What every connection loop in a worker shares: the clock, this interval's counters and latency
 * histograms, the in-flight count, the first exhaustion error, and posting an interval when it ends.
 */
import type { WorkerConfig, WorkerMessage } from '../messages.js';
import { createCounters, recordConnect, recordRequest, recordSkipped, type IntervalCounters } from '../../metrics/counters.js';
import { monoMs } from '../../util/clock.js';

/** A latency recorder that hands over (and clears) what it holds, encoded. */
export interface LatencySink {
  record(valueUs: number): void;
  /** Encoded histogram of what was recorded since the last take, or null if nothing. */
  take(): string | null;
}

export class WorkerRuntime {
  readonly config: WorkerConfig;
  inFlight = 0;
  private counts: IntervalCounters = createCounters();
  private intervalIndex = 0;
  private onsetSent = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly exhaustion: Set<string>;

  constructor(
    config: WorkerConfig,
    private readonly post: (msg: WorkerMessage) => void,
    readonly connectLatency: LatencySink,
    readonly requestLatency: LatencySink,
    readonly scheduleLag: LatencySink,
  ) {
    this.config = config;
    this.exhaustion = new Set(config.exhaustionCodes);
  }

  /** ms since the load started, on the clock every thread shares. */
  elapsedMs(): number {
    return monoMs() - this.config.t0Ms;
  }

  /** Records a connect outcome; the first exhaustion error is posted at once with its exact time. */
  attempt(source: string, destination: string, errorCode: string | null, latencyUs: number): void {
    recordConnect(this.counts, source, destination, errorCode ?? undefined);
    this.connectLatency.record(latencyUs);
    if (errorCode !== null && !this.onsetSent && this.exhaustion.has(errorCode)) {
      this.onsetSent = true;
      this.post({ type: 'onset', tMs: this.elapsedMs(), code: errorCode });
    }
  }

  request(latencyUs: number): void {
    recordRequest(this.counts);
    this.requestLatency.record(latencyUs);
  }

  requestError(code: string): void {
    recordRequest(this.counts, code);
  }

  /**
   * Admits one scheduled start: false (and counted as skipped) when maxInFlight is reached, else true with
   * one more in flight. The open model never waits for room; it records what it could not start.
   */
  admit(): boolean {
    if (this.inFlight >= this.config.maxInFlight) {
      recordSkipped(this.counts);
      return false;
    }
    this.inFlight++;
    return true;
  }


  /** Posts an interval at every boundary t0 + n x intervalMs, so all workers' intervals line up. */
  startIntervals(): void {
    const next = (): void => {
      const waitMs = (this.intervalIndex + 1) * this.config.intervalMs - this.elapsedMs();
      this.flushTimer = setTimeout(() => {
        this.flush();
        next();
      }, Math.max(0, waitMs));
    };
    next();
  }

  /** Posts the interval in progress and moves on to the next one. */
  flush(): void {
    this.post({
      type: 'interval',
      index: this.intervalIndex,
      counts: this.counts,
      connectHist: this.connectLatency.take(),
      requestHist: this.requestLatency.take(),
      lagHist: this.scheduleLag.take(),
    });
    this.counts = createCounters();
    this.intervalIndex++;
  }

  /** Final flush: posts the last (partial) interval and stops the interval timer. */
  finish(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flush();
    this.post({ type: 'done' });
  }
}

/** Waits until nothing is in flight or the deadline passes; true if everything ended. */
export async function drainInFlight(runtime: WorkerRuntime, deadlineMs: number): Promise<boolean> {
  while (runtime.inFlight > 0 && runtime.elapsedMs() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return runtime.inFlight === 0;
}

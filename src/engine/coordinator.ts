/**
 * Starts the worker threads, gives them one start time, and merges what they post: interval i is
 * complete when every worker has posted its interval i. Latency histograms are merged before any
 * percentile is taken (percentiles of parts do not combine).
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../config/types.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, percentiles, type Histogram } from '../metrics/histogram.js';
import type { Percentiles } from '../metrics/types.js';
import { assertNever } from '../util/assert.js';
import { monoMs } from '../util/clock.js';
import { parseWorkerMessage, type CoordinatorMessage, type WorkerConfig, type WorkerInterval, type WorkerMessage } from './messages.js';
import { createCounters, mergeCounters, type IntervalCounters } from '../metrics/counters.js';
import { profileExecArgv } from '../util/cpu-profile.js';
import { bindsSource } from '../config/binding.js';
import { loadNameOf } from '../config/engine-problems.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker/main.js', import.meta.url));
/** Lead time between 'go' and the first start, so every worker is listening for its clock. */
const START_LEAD_MS = 20;

export interface MergedInterval {
  index: number;
  counts: IntervalCounters;
  connectLatencyUs: Percentiles | null;
  requestLatencyUs: Percentiles | null;
  /** How late this interval's starts were against the plan (coordinated omission shows here). */
  scheduleLagUs: Percentiles | null;
}

export interface LoadResult {
  totals: IntervalCounters;
  connectHist: string | null;
  requestHist: string | null;
  lagHist: string | null;
  durationMs: number;
}

export interface CoordinatorHooks {
  onInterval(interval: MergedInterval): void;
  onOnset(tMs: number, code: string): void;
  /** Every worker interval as posted, before merging (benchmarks read per-interval schedule lag). */
  onWorkerInterval?(interval: WorkerInterval): void;
  /**
   * Every worker has drained, and what the load holds (a pool's connections) is still open: the moment the
   * load stops. The workers close and report once it resolves.
   */
  beforeClose?(): Promise<void>;
}

/** Splits n into `parts` whole shares, the remainder going to the first ones. */
export function share(n: number, parts: number, index: number): number {
  return Math.floor(n / parts) + (index < n % parts ? 1 : 0);
}

/**
 * Errors that mean the ports ran out; EADDRINUSE only when sources are bound (kernel-facts.md). Behind a
 * NAT that ran out of tuples the SYN is dropped, so the client's only sign is a connect timeout.
 */
export function exhaustionCodes(bindSource: boolean, behindNat = false): string[] {
  const codes = bindSource ? ['EADDRNOTAVAIL', 'EADDRINUSE'] : ['EADDRNOTAVAIL'];
  return behindNat ? [...codes, 'ETIMEDOUT'] : codes;
}

/**
 * UDP out of ports (measured, Linux 6.18): Node's dgram connect() binds to port 0 first, and that bind
 * fails with EADDRINUSE; the kernel's own autobind (connect() or sendto() on an unbound socket) fails with
 * EAGAIN. No EADDRNOTAVAIL: UDP ports are not shared per 4-tuple.
 */
export const UDP_EXHAUSTION_CODES = ['EADDRINUSE', 'EAGAIN'] as const;

export function workerConfigs(scenario: Scenario): WorkerConfig[] {
  const { client, target } = scenario;
  const workers = client.workers;
  const sources = client.sourceAddresses;
  const bindSource = bindsSource(client);
  let poolOffset = 0;
  return Array.from({ length: workers }, (_, index) => {
    const poolSize = share(client.pool.size, workers, index);
    const config: WorkerConfig = {
      index,
      workers,
      t0Ms: 0,
      intervalMs: scenario.sampler.reportIntervalMs,
      durationMs: scenario.durationMs,
      stages: client.stages,
      arrival: client.arrival,
      seed: client.seed,
      load: loadNameOf(client, target.protocol),
      protocol: target.protocol,
      pattern: client.pattern,
      close: client.close,
      sourceAddresses: sources,
      bindSource,
      bindStrategy: client.bindStrategy,
      socketPortRange: client.socketPortRange && { low: client.socketPortRange.low, high: client.socketPortRange.high },
      destinations: client.destinations,
      maxInFlight: Math.max(1, share(client.maxInFlight, workers, index)),
      retries: client.retries,
      connectTimeoutMs: client.connectTimeoutMs,
      poolSize,
      poolOffset,
      maxRequestsPerConnection: client.pool.maxRequestsPerConnection,
      maxLifetimeMs: client.pool.maxLifetimeMs,
      responseBytes: target.responseBytes,
      responseDelayMs: target.responseDelayMs,
      agent: client.agent,
      undici: client.undici,
      pipelining: client.pipelining,
      requestsPerConnection: client.requestsPerConnection,
      exhaustionCodes: target.protocol === 'udp' ? [...UDP_EXHAUSTION_CODES] : exhaustionCodes(bindSource, scenario.lab.kind === 'nat'),
    };
    poolOffset += poolSize;
    return config;
  });
}

function addEncoded(into: Histogram, encoded: string): void {
  const part = decodeHistogram(encoded);
  into.add(part);
  part.destroy();
}

interface Pending {
  posted: number;
  counts: IntervalCounters;
  connect: Histogram;
  request: Histogram;
  lag: Histogram;
}

export class Coordinator {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private totals = createCounters();
  private readonly totalConnect = createLatencyHistogram();
  private readonly totalRequest = createLatencyHistogram();
  private readonly totalLag = createLatencyHistogram();
  private nextToEmit = 0;
  private drained = 0;
  private done = 0;
  private t0Ms = 0;
  private resolveFinished: (result: LoadResult) => void = () => {};
  private rejectFinished: (err: Error) => void = () => {};
  readonly finished: Promise<LoadResult>;

  constructor(
    private readonly scenario: Scenario,
    private readonly hooks: CoordinatorHooks,
  ) {
    this.finished = new Promise<LoadResult>((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // A worker may fail while starting, when start() rejects and nobody awaits `finished` yet: not an
    // unhandled rejection (which would end the process); whoever awaits it later still gets the error.
    this.finished.catch(() => {});
  }

  /** Boots the workers; resolves with the shared start time once all are running. */
  /**
   * Starts the workers and, once every one is ready (and `beforeGo` has resolved, when given), gives them
   * one start time. Returns that time (monoMs).
   */
  async start(beforeGo?: () => Promise<void>): Promise<number> {
    const configs = workerConfigs(this.scenario);
    const ready = configs.map((config) => {
      const worker = new Worker(WORKER_ENTRY, { workerData: config, execArgv: profileExecArgv(`worker-${config.index}`) });
      this.workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        const fail = (err: Error): void => {
          reject(err);
          this.rejectFinished(err);
        };
        worker.on('error', fail);
        worker.on('message', (data: unknown) => {
          let msg: WorkerMessage;
          try {
            msg = parseWorkerMessage(data);
          } catch (err) {
            return fail(err instanceof Error ? err : new Error(String(err)));
          }
          if (msg.type === 'ready') resolve();
          else this.onMessage(msg);
        });
      });
    });
    await Promise.all(ready);
    await beforeGo?.();
    this.t0Ms = monoMs() + START_LEAD_MS;
    this.post({ type: 'go', t0Ms: this.t0Ms });
    return this.t0Ms;
  }

  /** Ends the load early (Ctrl-C): workers stop starting, drain and report. */
  stop(): void {
    this.post({ type: 'stop' });
  }

  private post(msg: CoordinatorMessage): void {
    for (const worker of this.workers) worker.postMessage(msg);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onMessage(msg: WorkerMessage): void {
    switch (msg.type) {
      case 'ready':
        break;
      case 'interval':
        this.addInterval(msg);
        break;
      case 'onset':
        this.hooks.onOnset(msg.tMs, msg.code);
        break;
      case 'drained':
        if (++this.drained === this.workers.length) {
          const close = (): void => this.post({ type: 'close' });
          // A failed hook must not hold the workers: they close and report all the same.
          (this.hooks.beforeClose?.() ?? Promise.resolve()).then(close, close);
        }
        break;
      case 'done':
        if (++this.done === this.workers.length) this.finish();
        break;
      case 'fatal':
        this.rejectFinished(new Error(`worker failed: ${msg.message}`));
        break;
      default:
        assertNever(msg);
    }
  }

  private addInterval(msg: WorkerInterval): void {
    this.hooks.onWorkerInterval?.(msg);
    let entry = this.pending.get(msg.index);
    if (!entry) {
      entry = { posted: 0, counts: createCounters(), connect: createLatencyHistogram(), request: createLatencyHistogram(), lag: createLatencyHistogram() };
      this.pending.set(msg.index, entry);
    }
    entry.posted++;
    entry.counts = mergeCounters(entry.counts, msg.counts);
    this.totals = mergeCounters(this.totals, msg.counts);
    if (msg.connectHist) addEncoded(entry.connect, msg.connectHist);
    if (msg.requestHist) addEncoded(entry.request, msg.requestHist);
    if (msg.lagHist) addEncoded(entry.lag, msg.lagHist);
    while (this.pending.get(this.nextToEmit)?.posted === this.workers.length) this.emit(this.nextToEmit++);
  }

  private emit(index: number): void {
    const entry = this.pending.get(index)!;
    this.pending.delete(index);
    this.totalConnect.add(entry.connect);
    this.totalRequest.add(entry.request);
    this.totalLag.add(entry.lag);
    this.hooks.onInterval({
      index,
      counts: entry.counts,
      connectLatencyUs: percentiles(entry.connect),
      requestLatencyUs: percentiles(entry.request),
      scheduleLagUs: percentiles(entry.lag),
    });
    for (const histogram of [entry.connect, entry.request, entry.lag]) histogram.destroy();
  }

  private finish(): void {
    // Workers end at different intervals; what one has not posted it never will.
    const rest = [...this.pending.keys()].sort((a, b) => a - b);
    for (const index of rest) this.emit(index);
    const encodeOrNull = (h: Histogram): string | null => (h.totalCount > 0 ? encodeHistogram(h) : null);
    this.resolveFinished({
      totals: this.totals,
      connectHist: encodeOrNull(this.totalConnect),
      requestHist: encodeOrNull(this.totalRequest),
      lagHist: encodeOrNull(this.totalLag),
      durationMs: monoMs() - this.t0Ms,
    });
  }
}

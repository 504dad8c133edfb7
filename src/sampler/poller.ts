/**
 * Polls /proc/net inside the lab while the load runs: sockstat often (cheap, exact TIME_WAIT total) and
 * tcp + tcp6 + netstat less often (per-socket roles, TcpExt counters). /proc/net is a link to
 * /proc/self/net, so it shows the namespace of the reading process: the driver runs inside the lab.
 *
 * I/O, clock and timers are injected so tests drive it on fixtures with a fake clock.
 */
import { errnoCode, PortlabError } from '../errors/index.js';
import { createTcpClassifier, emptyTcpCounts } from './classify-tcp.js';
import { parseNetstat, pickCounters, TIME_WAIT_COUNTERS } from './parse-netstat.js';
import { parseSockstat } from './parse-sockstat.js';
import type { Sample, SockstatSample, TcpSample } from './samples.js';

/** Timer functions; the default uses unref'd Node timers so sampling never keeps the process alive. */
export interface SamplerTimers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SamplerOptions {
  /** Reads a whole file as text, e.g. `(p) => fs.promises.readFile(p, 'utf8')`. */
  readFile: (path: string) => Promise<string> | string;
  /** Milliseconds on the driver's clock; sample times are stamped with it. */
  now: () => number;
  /** The lab's ip_local_port_range, as read back. */
  ephemeral: { low: number; high: number };
  targetPorts: ReadonlySet<number> | readonly number[];
  sockstatIntervalMs: number;
  tcpIntervalMs: number;
  onSample: (sample: Sample) => void;
  /** A failed read or parse; sampling goes on. Errors are also counted in stats(). */
  onError?: (err: unknown) => void;
  /**
   * While the last tcp sample had at most this many rows, take tcp samples at the sockstat cadence too: a
   * small table costs little to read, and client/server TIME_WAIT then follow the load instead of stepping
   * once per tcpIntervalMs. Default: off (tcp samples every tcpIntervalMs).
   */
  fastTcpMaxRows?: number;
  /** Fill byDestination / bySource in tcp samples. Default true: cheap at tcp-sample rates. */
  breakdowns?: boolean;
  /**
   * Also read /proc/net/udp and udp6 with each tcp sample (a UDP load): connected UDP client sockets hold
   * their ports in the same range, and count in portsInUse and clientEstablished (their state is 01 there).
   */
  udp?: boolean;
  /** Default "/proc/net". */
  procNetDir?: string;
  timers?: SamplerTimers;
}

export interface SamplerStats {
  sockstatSamples: number;
  tcpSamples: number;
  errors: number;
  lastError: string | null;
}

export interface Sampler {
  /** Takes a first sample of each kind now, then one every interval. Throws if called twice. */
  start(): void;
  /**
   * Stops the timers, waits for reads in flight, then takes one final sample of each kind (final: true) so
   * the end state is recorded. Idempotent; resolves without samples when never started. Never rejects.
   */
  stop(): Promise<void>;
  /**
   * Takes one sample of each kind now, outside the cadence (the driver calls it at the onset), delivered to
   * onSample like any other; resolves with them, null for a kind whose read failed (reported to onError).
   */
  sampleNow(): Promise<{ sockstat: SockstatSample | null; tcp: TcpSample | null }>;
  stats(): SamplerStats;
}

export const nodeTimers: SamplerTimers = {
  setTimeout(fn, delayMs) {
    const timer = setTimeout(fn, delayMs);
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface Loop {
  start(): void;
  stop(): Promise<void>;
}

/**
 * One periodic sampler. Ticks stay on the grid start + k*interval (no drift); a read that overruns skips the
 * ticks it missed instead of queueing them, and reads of one kind never overlap.
 */
function createLoop(intervalMs: () => number, now: () => number, timers: SamplerTimers, take: (final: boolean) => Promise<void>): Loop {
  let stopped = false;
  let timer: unknown;
  let inFlight: Promise<void> | null = null;
  let nextDueMs = 0;

  const schedule = (): void => {
    const nowMs = now();
    const stepMs = intervalMs();
    while (nextDueMs <= nowMs) nextDueMs += stepMs;
    timer = timers.setTimeout(tick, nextDueMs - nowMs);
  };
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    inFlight = take(false).finally(() => {
      inFlight = null;
      if (!stopped) schedule();
    });
  };
  return {
    start() {
      nextDueMs = now();
      tick();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      if (inFlight) await inFlight;
      await take(true);
    },
  };
}

function checkInterval(name: string, valueMs: number): void {
  if (!Number.isFinite(valueMs) || valueMs <= 0) {
    throw new PortlabError('INTERNAL', `sampler ${name} must be a positive number of ms, got ${valueMs}`);
  }
}

/** Creates a sampler; nothing is read until start(). */
export function createSampler(opts: SamplerOptions): Sampler {
  checkInterval('sockstatIntervalMs', opts.sockstatIntervalMs);
  checkInterval('tcpIntervalMs', opts.tcpIntervalMs);
  const dir = opts.procNetDir ?? '/proc/net';
  const timers = opts.timers ?? nodeTimers;
  const { now } = opts;
  const breakdowns = opts.breakdowns ?? true;
  const classify = createTcpClassifier({ ...opts, byDestination: breakdowns, bySource: breakdowns });
  const stats: SamplerStats = { sockstatSamples: 0, tcpSamples: 0, errors: 0, lastError: null };

  const fail = (err: unknown): void => {
    stats.errors++;
    stats.lastError = err instanceof Error ? err.message : String(err);
    opts.onError?.(err);
  };
  // Without IPv6 (ipv6.disable=1) there is no tcp6 file: that means no IPv6 sockets, not a failure.
  const readOptional = async (path: string): Promise<string> => {
    try {
      return await opts.readFile(path);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return '';
      throw err;
    }
  };

  const readSockstat = async (final: boolean): Promise<SockstatSample> => {
    const tMs = now();
    const counts = parseSockstat(await opts.readFile(`${dir}/sockstat`));
    return { type: 'sockstat', tMs, costMs: now() - tMs, final, ...counts };
  };
  let lastTcpRows: number | null = null;
  const tcpIntervalMs = (): number =>
    opts.fastTcpMaxRows !== undefined && lastTcpRows !== null && lastTcpRows <= opts.fastTcpMaxRows
      ? Math.min(opts.sockstatIntervalMs, opts.tcpIntervalMs)
      : opts.tcpIntervalMs;
  const readTcp = async (final: boolean): Promise<TcpSample> => {
    const tMs = now();
    const [tcp, tcp6, netstat] = await Promise.all([
      opts.readFile(`${dir}/tcp`),
      readOptional(`${dir}/tcp6`),
      opts.readFile(`${dir}/netstat`),
    ]);
    const counts = classify(tcp6, classify(tcp, emptyTcpCounts()));
    if (opts.udp) {
      // Same row layout as tcp; counted apart so TCP's per-state totals stay TCP's.
      const [udp, udp6] = await Promise.all([opts.readFile(`${dir}/udp`), readOptional(`${dir}/udp6`)]);
      const udpCounts = classify(udp6, classify(udp, emptyTcpCounts()));
      counts.portsInUse += udpCounts.portsInUse;
      counts.clientEstablished += udpCounts.clientEstablished;
    }
    lastTcpRows = counts.rows;
    const tcpExt = pickCounters(parseNetstat(netstat), TIME_WAIT_COUNTERS);
    return { type: 'tcp', tMs, costMs: now() - tMs, final, ...counts, netstat: tcpExt };
  };
  /** Reads one sample, counts and delivers it; a failure is reported and yields null. */
  const take = async <S extends Sample>(read: (final: boolean) => Promise<S>, final: boolean): Promise<S | null> => {
    try {
      const sample = await read(final);
      if (sample.type === 'sockstat') stats.sockstatSamples++;
      else stats.tcpSamples++;
      opts.onSample(sample);
      return sample;
    } catch (err) {
      fail(err);
      return null;
    }
  };
  const takeSockstat = async (final: boolean): Promise<void> => void (await take(readSockstat, final));
  const takeTcp = async (final: boolean): Promise<void> => void (await take(readTcp, final));

  const loops = [
    createLoop(() => opts.sockstatIntervalMs, now, timers, takeSockstat),
    createLoop(tcpIntervalMs, now, timers, takeTcp),
  ];
  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let stopping: Promise<void> | null = null;

  return {
    start() {
      if (state !== 'idle') throw new PortlabError('INTERNAL', `sampler.start() called while ${state}`);
      state = 'running';
      for (const loop of loops) loop.start();
    },
    stop() {
      if (stopping) return stopping;
      const wasRunning = state === 'running';
      state = 'stopped';
      stopping = wasRunning ? Promise.all(loops.map((loop) => loop.stop())).then(() => undefined) : Promise.resolve();
      return stopping;
    },
    async sampleNow() {
      const [sockstat, tcp] = await Promise.all([take(readSockstat, false), take(readTcp, false)]);
      return { sockstat, tcp };
    },
    stats: () => ({ ...stats }),
  };
}

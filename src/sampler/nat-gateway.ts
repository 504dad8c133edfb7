/**
 * Samples a NAT gateway's conntrack from outside its namespace: /proc/<gateway pid>/net/nf_conntrack and
 * stat/nf_conntrack are that namespace's own table and counters (measured: the clients' namespace reads the
 * gateway's 18 entries and insert_failed 4 there, and 0 of its own). Runs in the driver, on the driver's
 * clock, so its numbers line up with the intervals and the onset. Reads are synchronous and small (one line
 * per tracked connection). I/O and timers are injected.
 */
import { errnoCode } from '../errors/index.js';
import type { IntervalNat, NatDestinationCounts, NatDriverTotals, NatSnapshot } from '../metrics/nat.js';
import { summarizeConntrack, type ConntrackSummary } from './classify-conntrack.js';
import { parseConntrack } from './parse-conntrack.js';
import { conntrackStatDelta, parseConntrackStat, type ConntrackStat } from './parse-conntrack-stat.js';

export interface NatGatewaySamplerOptions {
  /** The gateway's /proc/<pid>/net. */
  procNetDir: string;
  conntrackTimeWaitSec: number;
  readFile(path: string): string;
  intervalMs: number;
  /** A failed read; sampling goes on. A missing table (no per-entry view) is reported once. */
  onError(err: unknown): void;
  setInterval?(fn: () => void, ms: number): unknown;
  clearInterval?(handle: unknown): void;
}

interface Reading {
  stat: ConntrackStat | null;
  table: ConntrackSummary | null;
}

const EMPTY_STAT: ConntrackStat = { entries: 0, counters: {} };

function countsOf(table: ConntrackSummary): Record<string, NatDestinationCounts> {
  const out: Record<string, NatDestinationCounts> = {};
  for (const [label, c] of Object.entries(table.byDestination)) out[label] = { entries: c.entries, held: c.held, timeWait: c.timeWait };
  return out;
}

export class NatGatewaySampler {
  private baseline: ConntrackStat | null = null;
  private lastTaken: ConntrackStat | null = null;
  private latest: Reading = { stat: null, table: null };
  private tableReadable = true;
  private timer: unknown = undefined;
  private readonly peak: NatDriverTotals['peak'] = { entries: 0, held: 0, timeWait: 0, byDestination: {} };

  constructor(private readonly options: NatGatewaySamplerOptions) {}

  /** Reads the counters' baseline (the load has not begun) and samples every intervalMs from then on. */
  start(): void {
    this.baseline = this.read().stat ?? EMPTY_STAT;
    this.lastTaken = this.baseline;
    const every = this.options.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref());
    this.timer = every(() => this.read(), this.options.intervalMs);
  }

  /** Reads both files now; keeps the latest reading and the peaks. */
  read(): Reading {
    const stat = this.tryRead(() => parseConntrackStat(this.options.readFile(`${this.options.procNetDir}/stat/nf_conntrack`)));
    const table = this.tableReadable ? this.tryRead(() => summarizeConntrack(parseConntrack(this.options.readFile(`${this.options.procNetDir}/nf_conntrack`))), true) : null;
    this.latest = { stat: stat ?? this.latest.stat, table: table ?? this.latest.table };
    if (table) this.notePeak(table);
    return { stat, table };
  }

  private tryRead<T>(read: () => T, isTable = false): T | null {
    try {
      return read();
    } catch (err) {
      if (isTable && errnoCode(err) === 'ENOENT') {
        // Kernels without CONFIG_NF_CONNTRACK_PROCFS have counters but no per-entry view.
        this.tableReadable = false;
        this.options.onError(new Error('the gateway has no /proc/net/nf_conntrack: sampling its counters only'));
      } else {
        this.options.onError(err);
      }
      return null;
    }
  }

  private notePeak(table: ConntrackSummary): void {
    const peak = this.peak;
    peak.entries = Math.max(peak.entries, table.entries);
    peak.held = Math.max(peak.held, table.held);
    peak.timeWait = Math.max(peak.timeWait, table.timeWait);
    for (const [label, c] of Object.entries(table.byDestination)) {
      const p = (peak.byDestination[label] ??= { entries: 0, held: 0, timeWait: 0 });
      p.entries = Math.max(p.entries, c.entries);
      p.held = Math.max(p.held, c.held);
      p.timeWait = Math.max(p.timeWait, c.timeWait);
    }
  }

  /** The interval that just ended: the latest table, the counters' deltas since the last call. */
  takeInterval(): IntervalNat {
    const { stat, table } = this.latest;
    const now = stat ?? this.lastTaken ?? EMPTY_STAT;
    const delta = conntrackStatDelta(this.lastTaken ?? now, now);
    this.lastTaken = now;
    const heldByDestination: Record<string, number> = {};
    for (const [label, c] of Object.entries(table?.byDestination ?? {})) heldByDestination[label] = c.held;
    return {
      entries: table?.entries ?? now.entries,
      held: table?.held ?? 0,
      timeWait: table?.timeWait ?? 0,
      heldByDestination,
      insertFailed: delta['insert_failed'] ?? 0,
      drop: delta['drop'] ?? 0,
    };
  }

  /** Reads now and describes the gateway at this moment (the onset). */
  snapshot(): NatSnapshot {
    const { stat, table } = this.read();
    const current = stat ?? this.latest.stat ?? EMPTY_STAT;
    const since = conntrackStatDelta(this.baseline ?? EMPTY_STAT, current);
    const view = table ?? this.latest.table;
    return {
      entries: view?.entries ?? current.entries,
      held: view?.held ?? 0,
      timeWait: view?.timeWait ?? 0,
      byDestination: view ? countsOf(view) : {},
      insertFailed: since['insert_failed'] ?? 0,
      drop: since['drop'] ?? 0,
    };
  }

  /** Stops sampling after a final read; the run's totals. Idempotent. */
  stop(): NatDriverTotals {
    if (this.timer !== undefined) {
      (this.options.clearInterval ?? ((h) => clearInterval(h as NodeJS.Timeout)))(this.timer);
      this.timer = undefined;
      this.read();
    }
    return {
      conntrackTimeWaitSec: this.options.conntrackTimeWaitSec,
      tableReadable: this.tableReadable,
      drops: conntrackStatDelta(this.baseline ?? EMPTY_STAT, this.latest.stat ?? EMPTY_STAT),
      peak: this.peak,
    };
  }
}

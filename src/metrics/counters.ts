/**
 * Per-interval load counters. Workers fill one per interval and post it; the coordinator merges them.
 * Plain JSON objects so they cross worker_threads and NDJSON unchanged. The invariant the summary relies
 * on, attempts = connected + sum(errors), holds by construction: recordConnect is the only way to count.
 */
import type { BreakdownRow, ErrorCounts, RunSummary } from './types.js';

/**
 * The same shape as summary.json's `totals`, so merging every interval's counters yields the totals.
 * bySource keys are source addresses ("127.0.0.2"; the caller picks a key such as "default" when the kernel
 * chose the address); byDestination keys are "127.0.0.1:9000" / "[::1]:9000".
 */
export type IntervalCounters = RunSummary['totals'];

/** Zeroed counters. */
export function createCounters(): IntervalCounters {
  return { attempts: 0, connected: 0, errors: {}, skipped: 0, requests: 0, requestErrors: {}, bySource: {}, byDestination: {} };
}

function addError(errors: ErrorCounts, code: string, count = 1): void {
  errors[code] = (errors[code] ?? 0) + count;
}

function row(table: Record<string, BreakdownRow>, key: string): BreakdownRow {
  return (table[key] ??= { attempts: 0, connected: 0, errors: {} });
}

function countOutcome(target: BreakdownRow, errorCode: string | undefined): void {
  target.attempts++;
  if (errorCode === undefined) target.connected++;
  else addError(target.errors, errorCode);
}

/**
 * Counts one connect attempt: connected when `errorCode` is undefined, else failed with that code.
 * Mutates `counters` (the workers' hot path).
 */
export function recordConnect(counters: IntervalCounters, source: string, destination: string, errorCode?: string): void {
  countOutcome(counters, errorCode);
  countOutcome(row(counters.bySource, source), errorCode);
  countOutcome(row(counters.byDestination, destination), errorCode);
}

/** Counts a start skipped because maxInFlight was reached. */
export function recordSkipped(counters: IntervalCounters, count = 1): void {
  counters.skipped += count;
}

/** Counts one request: completed when `errorCode` is undefined, else failed with that code. */
export function recordRequest(counters: IntervalCounters, errorCode?: string): void {
  if (errorCode === undefined) counters.requests++;
  else addError(counters.requestErrors, errorCode);
}

/** a + b per code, as a new object. */
export function mergeErrorCounts(a: ErrorCounts, b: ErrorCounts): ErrorCounts {
  const merged: ErrorCounts = { ...a };
  for (const [code, count] of Object.entries(b)) addError(merged, code, count);
  return merged;
}

/** Sum of every error count. */
export function sumErrors(errors: ErrorCounts): number {
  let total = 0;
  for (const count of Object.values(errors)) total += count;
  return total;
}

function mergeRows(a: BreakdownRow, b: BreakdownRow): BreakdownRow {
  return { attempts: a.attempts + b.attempts, connected: a.connected + b.connected, errors: mergeErrorCounts(a.errors, b.errors) };
}

const EMPTY_ROW: BreakdownRow = { attempts: 0, connected: 0, errors: {} };

function mergeTables(a: Record<string, BreakdownRow>, b: Record<string, BreakdownRow>): Record<string, BreakdownRow> {
  const merged: Record<string, BreakdownRow> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) merged[key] = mergeRows(a[key] ?? EMPTY_ROW, b[key] ?? EMPTY_ROW);
  return merged;
}

/** a + b, as a new object; neither input is changed. Associative and commutative, with createCounters() as zero. */
export function mergeCounters(a: IntervalCounters, b: IntervalCounters): IntervalCounters {
  return {
    attempts: a.attempts + b.attempts,
    connected: a.connected + b.connected,
    errors: mergeErrorCounts(a.errors, b.errors),
    skipped: a.skipped + b.skipped,
    requests: a.requests + b.requests,
    requestErrors: mergeErrorCounts(a.requestErrors, b.requestErrors),
    bySource: mergeTables(a.bySource, b.bySource),
    byDestination: mergeTables(a.byDestination, b.byDestination),
  };
}

/** Merges any number of counters (e.g. every worker's for one interval). */
export function mergeAllCounters(list: readonly IntervalCounters[]): IntervalCounters {
  return list.reduce(mergeCounters, createCounters());
}

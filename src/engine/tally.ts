/**
 * Per-interval counters of one worker, and how the coordinator merges them. Every attempt ends either
 * connected or in errors[code], so attempts = connected + sum(errors) holds per interval, per source
 * address and per destination.
 */
import type { BreakdownRow, ErrorCounts } from '../report/types.js';

export interface IntervalCounts {
  attempts: number;
  connected: number;
  errors: ErrorCounts;
  /** Starts skipped because maxInFlight was reached (not attempts: connect() was never called). */
  skipped: number;
  requests: number;
  /** Failures after connect (reset mid-request, server gone): not part of the connect accounting. */
  requestErrors: ErrorCounts;
  bySource: Record<string, BreakdownRow>;
  byDestination: Record<string, BreakdownRow>;
}

export function emptyCounts(): IntervalCounts {
  return { attempts: 0, connected: 0, errors: {}, skipped: 0, requests: 0, requestErrors: {}, bySource: {}, byDestination: {} };
}

function emptyRow(): BreakdownRow {
  return { attempts: 0, connected: 0, errors: {} };
}

function bump(counts: ErrorCounts, code: string, n = 1): void {
  counts[code] = (counts[code] ?? 0) + n;
}

function addRow(into: BreakdownRow, row: BreakdownRow): void {
  into.attempts += row.attempts;
  into.connected += row.connected;
  for (const [code, n] of Object.entries(row.errors)) bump(into.errors, code, n);
}

/** Records the outcome of one connect attempt. */
export function recordAttempt(counts: IntervalCounts, source: string, destination: string, errorCode: string | null): void {
  const src = (counts.bySource[source] ??= emptyRow());
  const dst = (counts.byDestination[destination] ??= emptyRow());
  counts.attempts++;
  src.attempts++;
  dst.attempts++;
  if (errorCode === null) {
    counts.connected++;
    src.connected++;
    dst.connected++;
  } else {
    bump(counts.errors, errorCode);
    bump(src.errors, errorCode);
    bump(dst.errors, errorCode);
  }
}

export function recordRequestError(counts: IntervalCounts, code: string): void {
  bump(counts.requestErrors, code);
}

/** Adds `from` into `into` (coordinator merge, run totals). */
export function mergeCounts(into: IntervalCounts, from: IntervalCounts): IntervalCounts {
  into.attempts += from.attempts;
  into.connected += from.connected;
  into.skipped += from.skipped;
  into.requests += from.requests;
  for (const [code, n] of Object.entries(from.errors)) bump(into.errors, code, n);
  for (const [code, n] of Object.entries(from.requestErrors)) bump(into.requestErrors, code, n);
  for (const [key, row] of Object.entries(from.bySource)) addRow((into.bySource[key] ??= emptyRow()), row);
  for (const [key, row] of Object.entries(from.byDestination)) addRow((into.byDestination[key] ??= emptyRow()), row);
  return into;
}

/** Sum of an error-count map. */
export function sumErrors(errors: ErrorCounts): number {
  let total = 0;
  for (const n of Object.values(errors)) total += n;
  return total;
}

/**
 * The figures of a comparison as text, shared by the terminal table, compare.md, junit.xml and
 * compare.html so the four never disagree: one row per measure, one column per cell.
 */
import type { CompareCell, CompareResult } from '../../metrics/compare.js';
import { sumErrors } from '../../metrics/counters.js';
import { formatRate } from '../../util/units.js';
import { formatAtMs, formatCount, formatLatencyUs, sortedErrorCodes } from '../format.js';

export interface CompareRow {
  label: string;
  value(cell: CompareCell): string;
}

const dash = '-';

function onset(cell: CompareCell): string {
  const s = cell.summary;
  if (!s) return dash;
  return s.onset ? `${formatAtMs(s.onset.atMs)} ${s.onset.code}` : 'none';
}

/** Failed requests (resets, timeouts), the most frequent code named. */
function requestErrors(cell: CompareCell): string {
  const s = cell.summary;
  if (!s) return dash;
  const total = sumErrors(s.totals.requestErrors);
  return total === 0 ? '0' : `${formatCount(total)} (${sortedErrorCodes(s.totals.requestErrors)[0]!})`;
}

/**
 * How each cell's client used its connections: ports held at the peak, failed requests, p99 request latency.
 * Shown when the cells recorded their strategy (runs since it was added), so older saved results render as before.
 */
function strategyRows(result: CompareResult): CompareRow[] {
  if (!result.cells.some((c) => c.summary?.scenario.strategy !== undefined)) return [];
  return [
    { label: 'ports in use (peak)', value: (c) => (c.summary ? formatCount(c.summary.peak.portsInUse) : dash) },
    { label: 'request errors', value: requestErrors },
    { label: 'request p99', value: (c) => (c.summary?.latency.requestUs ? formatLatencyUs(c.summary.latency.requestUs.p99) : dash) },
  ];
}

function predicted(cell: CompareCell): string {
  const s = cell.summary;
  if (!s) return dash;
  const at = s.onset?.predictedAtMs ?? s.prediction.timeToFirstFailureMs;
  return at === null ? 'none' : formatAtMs(at);
}

function errors(cell: CompareCell): string {
  const s = cell.summary;
  if (!s) return dash;
  const total = sumErrors(s.totals.errors);
  if (total === 0) return '0';
  const top = sortedErrorCodes(s.totals.errors)[0]!;
  return `${formatCount(total)} (${top})`;
}

/** ">= 500/s" when the search held at its cap; "-" without a search. */
export function breakingRateText(cell: CompareCell): string {
  if (cell.breakingRatePerSec === undefined) return dash;
  if (cell.breakingRatePerSec === null) return 'none held';
  return `${cell.breakingRateAtLeast ? '>= ' : ''}${formatRate(cell.breakingRatePerSec)}`;
}

function modelRate(rate: number | null | undefined): string {
  if (rate === undefined) return dash;
  return rate === null ? 'unlimited' : formatRate(rate);
}

export function verdictText(cell: CompareCell): string {
  if (cell.error) return 'ERROR';
  if (cell.summary?.interrupted) return 'INTERRUPTED';
  return cell.pass ? 'pass' : 'FAIL';
}

/** The rows every compare renderer shows, in order; breaking-rate rows only when a search ran. */
export function compareRows(result: CompareResult): CompareRow[] {
  const rows: CompareRow[] = [
    { label: 'exhaustion at', value: onset },
    { label: 'model predicted', value: predicted },
    { label: 'connected', value: (c) => (c.summary ? formatCount(c.summary.totals.connected) : dash) },
    { label: 'errors', value: errors },
    { label: 'peak client TIME_WAIT', value: (c) => (c.summary ? formatCount(c.summary.peak.clientTimeWait) : dash) },
    { label: 'peak server TIME_WAIT', value: (c) => (c.summary ? formatCount(c.summary.peak.serverTimeWait) : dash) },
    ...strategyRows(result),
    { label: 'ports (range)', value: (c) => (c.summary ? formatCount(c.summary.lab.portRange.size) : dash) },
  ];
  if (result.cells.some((c) => c.breakingRatePerSec !== undefined)) {
    rows.push(
      { label: 'breaking rate', value: breakingRateText },
      { label: 'model, this duration', value: (c) => modelRate(c.predictedBreakingRatePerSec) },
      { label: 'model, sustained', value: (c) => modelRate(c.sustainedRatePerSec) },
    );
  }
  rows.push({ label: 'verdict', value: verdictText });
  return rows;
}

/** Every failure of the comparison, one line each: which cell, which check, by how much. */
export function failureLines(result: CompareResult): string[] {
  const lines: string[] = [];
  for (const cell of result.cells) {
    if (cell.error) lines.push(`${cell.name}: did not run: ${cell.error}`);
    for (const e of cell.summary?.expectations ?? []) if (!e.pass) lines.push(`${cell.name}: expectation ${e.name} failed: ${e.detail}`);
    for (const b of cell.baseline ?? []) if (!b.pass) lines.push(`${cell.name}: baseline ${b.name}: ${b.detail}`);
  }
  return lines;
}

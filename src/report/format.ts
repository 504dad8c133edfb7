/**
 * Text helpers every renderer shares: escaping for HTML/XML, and the few number formats a report uses
 * (counts, latencies in microseconds, percentages, times since the start of the load).
 */
import { formatDurationMs, trimNumber } from '../util/units.js';
import type { ErrorCounts } from '../metrics/types.js';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML/XML element content and attribute values (quoted with either quote). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

/**
 * Escapes text for XML 1.0, which (unlike HTML) cannot carry most C0 control characters even as
 * references; a scenario description pasted from a terminal may hold some, so they become U+FFFD.
 */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD'));
}

/** A whole count with thousands separators: 12345 -> "12,345". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A latency measured in microseconds, in the unit that keeps it short: 95 -> "95µs", 1520 -> "1.5ms". */
export function formatLatencyUs(us: number): string {
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 1_000_000) return `${trimNumber(us / 1000)}ms`;
  return `${trimNumber(us / 1_000_000, 2)}s`;
}

/** A moment of the run, ms since the load started, with one decimal of seconds: 2004 -> "2.0s". */
export function formatAtMs(ms: number): string {
  if (ms >= 120_000) return formatDurationMs(Math.round(ms / 1000) * 1000);
  return `${(ms / 1000).toFixed(1)}s`;
}

/** A share in percent, without decimals once it is large: 0.5 -> "0.5%", 99.6 -> "100%". */
export function formatPct(pct: number): string {
  return pct >= 10 ? `${Math.round(pct)}%` : `${trimNumber(pct)}%`;
}

/** Error codes, most frequent first (ties by name, so output is stable). */
export function sortedErrorCodes(errors: ErrorCounts): string[] {
  return Object.keys(errors)
    .filter((code) => (errors[code] ?? 0) > 0)
    .sort((a, b) => (errors[b] ?? 0) - (errors[a] ?? 0) || a.localeCompare(b));
}

/** "EADDRNOTAVAIL 300, ECONNREFUSED 2", or "none". */
export function formatErrors(errors: ErrorCounts): string {
  const codes = sortedErrorCodes(errors);
  if (codes.length === 0) return 'none';
  return codes.map((code) => `${code} ${formatCount(errors[code] ?? 0)}`).join(', ');
}

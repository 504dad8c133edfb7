/**
 * Units as users write them in scenario files and flags: durations ("500ms", "10s", "2m", "1h"), rates
 * ("100/s", "6000/m" or a bare number per second) and port ranges ("40000 40199" or "40000-40199").
 * Each parser returns a value or a message; callers attach the location.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;
const MS_PER_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "500ms", "10s", "2m", "1h" into milliseconds. */
export function parseDurationMs(text: string): Parsed<number> {
  const match = DURATION_RE.exec(text);
  if (!match) {
    const negative = /^\s*-/.test(text);
    return {
      ok: false,
      message: negative
        ? `"${text}" is negative; a duration must be positive, like "10s"`
        : `expected a duration like "500ms", "10s" or "2m", got "${text}"`,
    };
  }
  return { ok: true, value: Math.round(Number(match[1]) * MS_PER_UNIT[match[2]!]!) };
}

/** Formats milliseconds the way users write them: 1500 -> "1.5s", 120000 -> "2m". */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${trimNumber(ms / 1000)}s`;
  return `${ms / 60_000}m`;
}

const RATE_RE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h|sec|min)\s*$/;
const PER_UNIT_TO_PER_SEC: Record<string, number> = { ms: 1000, s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };

/** Parses "100/s", "6000/m" or a bare number (per second) into a rate per second. */
export function parseRatePerSec(input: string | number): Parsed<number> {
  if (typeof input === 'number') {
    return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, message: 'a rate must be finite' };
  }
  const match = RATE_RE.exec(input);
  if (match) return { ok: true, value: Number(match[1]) * PER_UNIT_TO_PER_SEC[match[2]!]! };
  if (/^\s*\d+(?:\.\d+)?\s*$/.test(input)) return { ok: true, value: Number(input) };
  return { ok: false, message: `expected a rate like "100/s" or "6000/m", got "${input}"` };
}

export interface PortRange {
  low: number;
  high: number;
  /** Number of ports, high - low + 1. */
  size: number;
}

/** The one way to build a PortRange: the size follows from the bounds, so the three never disagree. */
export function portRange(low: number, high: number): PortRange {
  return { low, high, size: high - low + 1 };
}

/** Parses the kernel's "LOW HIGH" form (tabs or spaces) and the CLI's "LOW-HIGH" form. */
export function parsePortRange(input: string | number): Parsed<PortRange> {
  const text = String(input).trim();
  const match = /^(\d+)(?:\s+|\s*-\s*)(\d+)$/.exec(text);
  if (!match) return { ok: false, message: `expected a port range "LOW HIGH" (for example "40000 40199"), got "${text}"` };
  const low = Number(match[1]);
  const high = Number(match[2]);
  if (low < 1 || high > 65535) return { ok: false, message: `ports must lie inside 1..65535, got "${text}"` };
  if (low > high) return { ok: false, message: `LOW must not exceed HIGH, got "${text}"` };
  return { ok: true, value: portRange(low, high) };
}

/** "40000-40199": the form users type on a command line and reports show. */
export function formatPortRange(range: PortRange): string {
  return `${range.low}-${range.high}`;
}

/** The value of net.ipv4.ip_local_port_range as the kernel prints it (a tab between the bounds). */
export function portRangeSysctlValue(range: PortRange): string {
  return `${range.low}\t${range.high}`;
}

/** Formats a rate per second compactly: 470.5333 -> "470.5/s". */
export function formatRate(ratePerSec: number): string {
  return `${trimNumber(ratePerSec)}/s`;
}

// toLocaleString with options builds an Intl.NumberFormat per call (~0.5 ms): keep one per precision.
const formats = new Map<number, Intl.NumberFormat>();

/** At most one decimal, no trailing ".0"; thousands separators for large values. */
export function trimNumber(value: number, decimals = 1): string {
  const rounded = Number(value.toFixed(decimals));
  let format = formats.get(decimals);
  if (!format) formats.set(decimals, (format = new Intl.NumberFormat('en-US', { maximumFractionDigits: decimals })));
  return format.format(rounded);
}

/**
 * Live progress while a run goes. On a terminal one line is rewritten in place (elapsed, rate,
 * connected/s, errors/s by code, a bar of client TIME_WAIT against the port range, the onset once it
 * happened); in a CI log a plain line every few seconds. With --json the caller creates no reporter at all,
 * so stdout stays pure JSON.
 */
import { formatRate } from '../util/units.js';
import { styler, stripAnsi, visibleLength } from './ansi.js';
import { formatAtMs, formatCount, formatPct, sortedErrorCodes } from './format.js';

export interface ProgressState {
  elapsedMs: number;
  totalMs: number;
  /** Attempts per second over the last interval. */
  ratePerSec: number;
  connectedPerSec: number;
  /** Errors per second over the last interval, by code. */
  errorsPerSec: Record<string, number>;
  clientTimeWait: number;
  portRangeSize: number;
  /** When the first exhaustion error came, ms since start; null until then. */
  onsetAtMs: number | null;
}

export interface ProgressLineOptions {
  /** Columns available; the line never exceeds it (a wrapped line cannot be rewritten in place). */
  width: number;
  color: boolean;
  /** Draw the TIME_WAIT bar (default true; the quiet CI line leaves it out). */
  bar?: boolean;
}

const BAR_MIN = 8;
const BAR_MAX = 30;

/** One progress line, at most `options.width` columns, no newline. */
export function renderProgressLine(state: ProgressState, options: ProgressLineOptions): string {
  const st = styler(options.color);
  const share = state.portRangeSize > 0 ? Math.min(1, state.clientTimeWait / state.portRangeSize) : 0;
  const paint = share >= 0.9 ? st.red : share >= 0.5 ? st.yellow : st.green;
  const head = [
    `${formatAtMs(state.elapsedMs)}/${formatAtMs(state.totalMs)}`,
    `rate ${formatRate(state.ratePerSec)}`,
    `connected ${formatRate(state.connectedPerSec)}`,
    ...sortedErrorCodes(state.errorsPerSec).map((code) => st.red(`${code} ${formatRate(state.errorsPerSec[code]!)}`)),
  ];
  const tw = `TIME_WAIT ${formatCount(state.clientTimeWait)}/${formatCount(state.portRangeSize)} (${formatPct(share * 100)})`;
  const tail = state.onsetAtMs === null ? [] : [st.red(st.bold(`onset ${formatAtMs(state.onsetAtMs)}`))];
  const withoutBar = [...head, paint(tw), ...tail].join('  ');
  const room = options.width - visibleLength(withoutBar) - 3;
  if (options.bar !== false && room >= BAR_MIN) {
    const barWidth = Math.min(BAR_MAX, room);
    const filled = Math.round(share * barWidth);
    const bar = `${paint('█'.repeat(filled))}${st.dim('░'.repeat(barWidth - filled))}`;
    return [...head, `${paint(tw)} ${bar}`, ...tail].join('  ');
  }
  if (visibleLength(withoutBar) <= options.width) return withoutBar;
  // Too narrow even without the bar: plain text cut to fit (cutting inside escape codes would garble it).
  return [...stripAnsi(withoutBar)].slice(0, Math.max(0, options.width - 1)).join('') + '…';
}

export interface ProgressReporterOptions {
  write: (text: string) => void;
  /** A terminal gets a live line; anything else (a CI log, a pipe) gets a quiet line now and then. */
  isTTY: boolean;
  /** Milliseconds, any origin (injected so tests control time). */
  now: () => number;
  /** Terminal width (default 80). */
  columns?: number;
  color?: boolean;
  /** Quiet mode: at most one line per this many ms (default 5000); the onset is printed at once. */
  quietIntervalMs?: number;
}

const CLEAR_LINE = '\r\x1b[2K';

/** Prints progress updates as the run goes; call finish() before printing anything else. */
export class ProgressReporter {
  private lastQuietAt: number | null = null;
  private onsetShown = false;
  private lineOnScreen = false;

  constructor(private readonly options: ProgressReporterOptions) {}

  update(state: ProgressState): void {
    const { write, isTTY, color = false } = this.options;
    if (isTTY) {
      // One column short of the width: a line that fills the last column wraps on some terminals.
      const width = Math.max(20, (this.options.columns ?? 80) - 1);
      write(`${CLEAR_LINE}${renderProgressLine(state, { width, color })}`);
      this.lineOnScreen = true;
      return;
    }
    const now = this.options.now();
    const newOnset = state.onsetAtMs !== null && !this.onsetShown;
    const due = this.lastQuietAt === null || now - this.lastQuietAt >= (this.options.quietIntervalMs ?? 5000);
    if (!due && !newOnset) return;
    this.lastQuietAt = now;
    this.onsetShown ||= state.onsetAtMs !== null;
    write(`progress ${renderProgressLine(state, { width: 200, color: false, bar: false })}\n`);
  }

  /** Clears the live line so what follows starts on an empty line (nothing to do off a terminal). */
  finish(): void {
    if (this.lineOnScreen) this.options.write(CLEAR_LINE);
    this.lineOnScreen = false;
  }
}

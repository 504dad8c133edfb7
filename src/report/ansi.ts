/** Minimal ANSI styling for terminal output; with color off every style is the identity. */

export interface Styler {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

const COLORED: Styler = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const identity = (text: string): string => text;
const PLAIN: Styler = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };

/** A stream as far as colour goes: only whether it is a terminal. */
export interface ColorTarget {
  isTTY?: boolean;
}

/** Environment variables, as process.env has them (injected so tests choose them). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether text written to `stream` gets colour: the one decision every command makes through this function.
 * FORCE_COLOR set to anything but "0" or "false" forces colour on, and "0"/"false" forces it off (as Node and
 * supports-color read it); otherwise NO_COLOR with any non-empty value (https://no-color.org) or TERM=dumb
 * turns it off, and only a terminal gets colour (a pipe, a file or a CI log gets plain text).
 */
export function colorEnabled(stream: ColorTarget, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The styles to use: coloured only when the caller decided (with colorEnabled) that the output takes colour. */
export function styler(color: boolean): Styler {
  return color ? COLORED : PLAIN;
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*m/g;

/** Text without its escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, '');
}

/** Columns the text takes (code points; the report's symbols are all one column wide). */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Greedy word wrap of plain text to `width` columns (a word longer than the width gets its own line). */
export function wordWrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

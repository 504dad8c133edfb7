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

/** The styles to use: coloured only when the caller decided the output is a colour terminal. */
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

/**
 * The comparison as a terminal table: measures down the side, one column per cell, as many cells as fit
 * the width (100 columns by default), then the next block below; failures last, so CI logs end on them.
 */
import type { CompareResult } from '../../metrics/compare.js';
import { styler, visibleLength, wordWrap } from '../ansi.js';
import { compareRows, failureLines, verdictText } from './figures.js';

export interface CompareTerminalOptions {
  color: boolean;
  width?: number;
}

const GAP = 2;
const MAX_COLUMN = 28;

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}~`;
}

/** The table and the failures (ends with a newline). */
export function renderCompareTerminal(result: CompareResult, options: CompareTerminalOptions): string {
  const st = styler(options.color);
  const width = options.width ?? 100;
  const rows = compareRows(result);
  const labelWidth = Math.max(...rows.map((r) => r.label.length)) + GAP;
  const columnOf = (i: number): number => {
    const cell = result.cells[i]!;
    return Math.min(MAX_COLUMN, Math.max(cell.name.length, ...rows.map((r) => r.value(cell).length))) + GAP;
  };
  const out: string[] = [];
  const cells = `${result.cells.length} ${result.cells.length === 1 ? 'cell' : 'cells'}`;
  out.push(st.bold(`${result.name}: ${cells}, ${result.parallel} at a time, ${(result.durationMs / 1000).toFixed(1)} s`));
  for (const line of result.description ? wordWrap(result.description, width) : []) out.push(st.dim(line));
  let start = 0;
  while (start < result.cells.length) {
    let end = start;
    let used = labelWidth;
    // At least one cell per block, however narrow the terminal.
    while (end < result.cells.length && (end === start || used + columnOf(end) <= width)) used += columnOf(end++);
    out.push('');
    const header = result.cells.slice(start, end).map((c, k) => pad(clip(c.name, columnOf(start + k) - GAP), columnOf(start + k)));
    out.push(pad('', labelWidth) + st.bold(header.join('').trimEnd()));
    for (const row of rows) {
      const values = result.cells.slice(start, end).map((cell, k) => {
        const text = clip(row.value(cell), columnOf(start + k) - GAP);
        const shown = row.label !== 'verdict' ? text : verdictText(cell) === 'pass' ? st.green(text) : st.red(st.bold(text));
        return pad(shown, columnOf(start + k));
      });
      out.push(pad(row.label, labelWidth) + values.join('').trimEnd());
    }
    start = end;
  }
  const failures = failureLines(result);
  out.push('');
  if (result.interrupted) out.push(st.yellow('interrupted: the cells that finished are kept and written'));
  if (failures.length === 0) out.push(result.interrupted ? '' : st.green('every cell held its expectations'));
  else {
    out.push(st.red(st.bold(`${failures.length} ${failures.length === 1 ? 'check' : 'checks'} failed:`)));
    for (const line of failures) out.push(...wordWrap(line, width - 4).map((part, i) => `${i === 0 ? '  ' : '    '}${part}`));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

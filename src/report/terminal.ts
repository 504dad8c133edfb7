/**
 * What `portlab run` and `portlab report` print when they finish: the onset and the state of the ports at
 * that moment, peaks, errors, latency, expectations and the diagnosis; and a side-by-side comparison of
 * several runs (the demo: no pooling vs a keep-alive pool at the same rate).
 */
import { formatRate } from '../util/units.js';
import { styler, visibleLength, wordWrap, type Styler } from './ansi.js';
import { formatAtMs, formatCount, formatErrors } from './format.js';
import { keyFigures, latencyText, loadText, ofRange, portRangeText, predictedOnsetMs, resultText } from './figures.js';
import { clientTimeWaitValues } from './series.js';
import { sparkline } from './sparkline.js';
import type { RunSummary } from '../metrics/types.js';

export interface TerminalOptions {
  color: boolean;
  /** Columns to wrap long sentences to (default 100). */
  width?: number;
}

const LABEL_WIDTH = 11;

function verdict(summary: RunSummary, st: Styler): string {
  const text = resultText(summary);
  if (summary.expectations.length === 0) return st.dim(text);
  return summary.pass ? st.green(text) : st.red(st.bold(text));
}

function onsetLine(summary: RunSummary, st: Styler): string {
  const predicted = predictedOnsetMs(summary);
  const predictedText = predicted === null ? 'predicted: none' : `predicted ${formatAtMs(predicted)}`;
  const onset = summary.onset;
  if (!onset) return `${st.green('no exhaustion')} (${predictedText})`;
  return (
    `${st.red(st.bold(`${onset.code} at ${formatAtMs(onset.atMs)}`))} (${predictedText}): ` +
    `client TIME_WAIT ${formatCount(onset.clientTimeWait)}, ports in use ${ofRange(onset.portsInUse, summary)}, rate ${formatRate(onset.ratePerSec)}`
  );
}

/** The end-of-run summary as terminal text (ends with a newline). */
export function renderTerminalSummary(summary: RunSummary, options: TerminalOptions): string {
  const st = styler(options.color);
  const width = options.width ?? 100;
  const indent = ' '.repeat(LABEL_WIDTH + 2);
  const row = (label: string, text: string): string => `  ${st.bold(label.padEnd(LABEL_WIDTH))}${text}`;
  const { totals, peak } = summary;
  const spark = sparkline(clientTimeWaitValues(summary), { width: 30, max: summary.lab.portRange.size || undefined });

  const lines = [`${st.bold(`portlab · ${summary.scenario.name}`)} · ${verdict(summary, st)}`];
  if (summary.scenario.description) for (const text of wordWrap(summary.scenario.description, width)) lines.push(st.dim(text));
  lines.push(st.dim(`lab ${summary.lab.kind} · ports ${portRangeText(summary)} · ${loadText(summary)}`), '');
  lines.push(row('Onset', onsetLine(summary, st)));
  lines.push(row('Peak', `client TIME_WAIT ${ofRange(peak.clientTimeWait, summary)}${spark ? ` ${st.cyan(spark)}` : ''}`));
  lines.push(`${indent}server TIME_WAIT ${formatCount(peak.serverTimeWait)}, ports in use ${formatCount(peak.portsInUse)}`);
  const requests = totals.requests > 0 ? `, ${formatCount(totals.requests)} requests` : '';
  lines.push(row('Totals', `${formatCount(totals.attempts)} attempts, ${formatCount(totals.connected)} connected${requests}`));
  const errors = formatErrors(totals.errors);
  lines.push(row('Errors', errors === 'none' ? st.green(errors) : st.red(errors)));
  lines.push(row('Latency', `connect ${latencyText(summary.latency.connectUs, ['p50', 'p90', 'p99', 'max'])}`));
  if (summary.latency.requestUs && summary.latency.requestUs.count > 0) {
    lines.push(`${indent}request ${latencyText(summary.latency.requestUs, ['p50', 'p90', 'p99', 'max'])}`);
  }
  const breakdown = breakdownLines(summary);
  breakdown.forEach((text, i) => lines.push(i === 0 ? row('Spread', text) : `${indent}${text}`));
  summary.expectations.forEach((e, i) => {
    const mark = e.pass ? st.green('✓') : st.red('✗');
    const text = `${mark} ${e.name} — ${e.pass ? e.detail : st.red(e.detail)}`;
    lines.push(i === 0 ? row('Expect', text) : `${indent}${text}`);
  });
  wordWrap(summary.diagnosis, Math.max(20, width - indent.length)).forEach((text, i) => {
    lines.push(i === 0 ? row('Diagnosis', text) : `${indent}${text}`);
  });
  summary.lab.notes.forEach((note, i) => {
    wordWrap(note, Math.max(20, width - indent.length)).forEach((text, j) => {
      lines.push(i === 0 && j === 0 ? row('Notes', st.dim(text)) : `${indent}${st.dim(text)}`);
    });
  });
  return `${lines.join('\n')}\n`;
}

/** Per source address and per destination, when the load was spread over more than one. */
function breakdownLines(summary: RunSummary): string[] {
  const out: string[] = [];
  for (const [what, table] of [['source', summary.totals.bySource], ['destination', summary.totals.byDestination]] as const) {
    const keys = Object.keys(table).sort();
    if (keys.length < 2) continue;
    for (const key of keys) {
      const r = table[key]!;
      out.push(`${what} ${key}: ${formatCount(r.attempts)} attempts, ${formatCount(r.connected)} connected, errors ${formatErrors(r.errors)}`);
    }
  }
  return out;
}

const CELL_WIDTH = 34;

/** A side-by-side table of two or more runs, one column each, rows from the key figures. */
export function renderComparison(summaries: readonly RunSummary[], options: TerminalOptions = { color: false }): string {
  if (summaries.length === 0) return '';
  const st = styler(options.color);
  const columns = summaries.map((s) => new Map(keyFigures(s).map((f) => [f.key, f])));
  const rows: { label: string; cells: string[] }[] = [];
  const seen = new Set<string>();
  for (const figures of columns) {
    for (const [key, figure] of figures) {
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ label: figure.label, cells: columns.map((c) => c.get(key)?.value ?? '–') });
    }
  }
  rows.push({ label: 'Model says', cells: summaries.map((s) => (s.prediction.exhausts ? 'exhausts' : 'does not exhaust')) });
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const widths = summaries.map((s, i) => Math.min(CELL_WIDTH, Math.max(s.scenario.name.length, ...rows.map((r) => visibleLength(r.cells[i]!)))));
  const pad = (text: string, w: number): string => text + ' '.repeat(Math.max(0, w - visibleLength(text)));
  const out = [`${' '.repeat(labelWidth)}  ${summaries.map((s, i) => st.bold(pad(s.scenario.name, widths[i]!))).join('  ')}`.trimEnd()];
  out.push(`${'─'.repeat(labelWidth)}  ${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const row of rows) {
    const wrapped = row.cells.map((cell, i) => wordWrap(cell, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let line = 0; line < height; line++) {
      const label = line === 0 ? row.label : '';
      const cells = wrapped.map((w, i) => pad(w[line] ?? '', widths[i]!));
      out.push(`${st.dim(label.padEnd(labelWidth))}  ${cells.join('  ')}`.trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}

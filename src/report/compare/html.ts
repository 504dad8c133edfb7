/**
 * compare.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) with every cell's
 * client TIME_WAIT and errors on shared axes, the breaking rates as bars with the model's marks, and the
 * table. Elements carry classes tests can query: `path.series[data-series=cell-N]`, `rect.bar[data-cell]`,
 * `line.model-mark[data-cell]`.
 */
import type { CompareResult } from '../../metrics/compare.js';
import type { RunSummary } from '../../metrics/types.js';
import { formatRate } from '../../util/units.js';
import { downsample, MAX_CHART_POINTS, type Point } from '../downsample.js';
import { escapeHtml, formatCount } from '../format.js';
import { compactNumber, niceTicks, renderChart, type ChartLine } from '../html-svg.js';
import { htmlPage } from '../html-page.js';
import { intervalWidthsMs } from '../series.js';
import { breakingRateText, compareRows, failureLines, verdictText } from './figures.js';

/** Distinct on white and for the common colour-vision deficiencies (Okabe-Ito, then darker repeats). */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#7f6000', '#4b0082', '#8b0000'];

const colorOf = (i: number): string => PALETTE[i % PALETTE.length]!;

function cellPoints(summary: RunSummary, pick: (iv: RunSummary['intervals'][number], widthMs: number) => number, at: 'end' | 'middle'): Point[] {
  const widths = intervalWidthsMs(summary);
  const points = summary.intervals.map((iv, i) => {
    const width = widths[i]!;
    return { x: (iv.tMs + (at === 'end' ? width : width / 2)) / 1000, y: pick(iv, width) };
  });
  return downsample(points, MAX_CHART_POINTS, 'max');
}

function lines(result: CompareResult, pick: (iv: RunSummary['intervals'][number], widthMs: number) => number, at: 'end' | 'middle'): ChartLine[] {
  return result.cells.flatMap((cell, i) =>
    cell.summary && cell.summary.intervals.length > 0
      ? [{ series: { id: `cell-${i + 1}`, label: cell.name, points: cellPoints(cell.summary, pick, at) }, color: colorOf(i) }]
      : [],
  );
}

function xMax(result: CompareResult): number {
  return Math.max(1, ...result.cells.map((c) => (c.summary ? c.summary.durationMs / 1000 : 0)));
}

function timeWaitChart(result: CompareResult): string {
  return renderChart({
    id: 'compare-time-wait',
    title: 'Client TIME_WAIT, every cell',
    description: 'Line chart over seconds since each cell started: client-side TIME_WAIT sockets of each cell, on one axis.',
    xMaxSec: xMax(result),
    left: { label: 'client TIME_WAIT', format: compactNumber },
    lines: lines(result, (iv) => iv.clientTimeWait, 'end'),
  });
}

function errorChart(result: CompareResult): string {
  return renderChart({
    id: 'compare-errors',
    title: 'Errors per second, every cell',
    description: 'Line chart over seconds since each cell started: failed connects per second of each cell, all codes together.',
    xMaxSec: xMax(result),
    left: { label: 'errors/s', format: compactNumber },
    lines: lines(result, (iv, widthMs) => (Object.values(iv.errors).reduce((a, b) => a + b, 0) * 1000) / widthMs, 'middle'),
  });
}

/** Horizontal bars of the breaking rates with a mark where the model put them. */
function breakingRateChart(result: CompareResult): string {
  const searched = result.cells.map((cell, i) => ({ cell, i })).filter(({ cell }) => cell.breakingRatePerSec !== undefined);
  if (searched.length === 0) return '';
  const maxValue = Math.max(1, ...searched.flatMap(({ cell }) => [cell.breakingRatePerSec ?? 0, cell.predictedBreakingRatePerSec ?? 0]));
  const ticks = niceTicks(maxValue * 1.05);
  const top = ticks[ticks.length - 1]!;
  const left = 220;
  const right = 920;
  const rowH = 34;
  const height = 40 + searched.length * rowH + 30;
  const x = (v: number): number => left + (v / top) * (right - left);
  const out = [
    `<svg class="chart" id="chart-compare-breaking" data-chart="compare-breaking" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 ${height}" role="img" aria-labelledby="br-title br-desc">`,
    '<title id="br-title">Breaking rate per cell</title>',
    '<desc id="br-desc">Bars: the highest constant rate each cell held for its duration; black marks: the model\'s rate for that duration.</desc>',
  ];
  ticks.forEach((t) => {
    out.push(`<line x1="${x(t)}" x2="${x(t)}" y1="30" y2="${height - 30}" stroke="#e3e6ea"/>`);
    out.push(`<text x="${x(t)}" y="${height - 12}" font-size="12" fill="#555" text-anchor="middle">${escapeHtml(compactNumber(t))}/s</text>`);
  });
  searched.forEach(({ cell, i }, row) => {
    const y = 36 + row * rowH;
    const value = cell.breakingRatePerSec ?? 0;
    out.push(`<text x="${left - 8}" y="${y + 16}" font-size="12" fill="#333" text-anchor="end">${escapeHtml(cell.name.slice(0, 32))}</text>`);
    out.push(
      `<rect class="bar" data-cell="${escapeHtml(cell.name)}" data-value="${value}" x="${left}" y="${y}" width="${Math.max(1, x(value) - left)}" height="22" fill="${colorOf(i)}"><title>${escapeHtml(`${cell.name}: ${breakingRateText(cell)}`)}</title></rect>`,
    );
    const model = cell.predictedBreakingRatePerSec;
    if (model !== undefined && model !== null) {
      out.push(`<line class="model-mark" data-cell="${escapeHtml(cell.name)}" data-value="${model}" x1="${x(model)}" x2="${x(model)}" y1="${y - 4}" y2="${y + 26}" stroke="#000" stroke-width="3"><title>${escapeHtml(`model: ${formatRate(model)}`)}</title></line>`);
    }
  });
  out.push('</svg>');
  return `<figure class="chart-figure" id="figure-compare-breaking"><h2>Breaking rate</h2><figcaption>The highest constant rate each cell held for its whole duration, found by search; the black mark is the model's figure.</figcaption>${out.join('\n')}</figure>`;
}

function table(result: CompareResult): string {
  const rows = compareRows(result);
  const head = `<tr><th>cell</th>${rows.map((r) => `<th>${escapeHtml(r.label)}</th>`).join('')}</tr>`;
  const body = result.cells
    .map((cell) => {
      const link = `<a href="${escapeHtml(encodeURI(`${cell.dir}/report.html`))}">${escapeHtml(cell.name)}</a>`;
      const cls = verdictText(cell) === 'pass' ? 'pass' : 'fail';
      return `<tr class="${cls}"><td>${link}</td>${rows.map((r) => `<td>${escapeHtml(r.value(cell))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<section class="card" id="compare-table"><h2>Cells</h2><div class="table-scroll"><table>${head}\n${body}</table></div></section>`;
}

function failures(result: CompareResult): string {
  const list = failureLines(result);
  if (list.length === 0) return `<section class="card" id="failures"><h2>Checks</h2><p class="pass">${result.interrupted ? 'Interrupted: the finished cells are shown.' : 'Every cell held its expectations.'}</p></section>`;
  return `<section class="card" id="failures"><h2>Failed checks</h2><ul>${list.map((l) => `<li class="fail">${escapeHtml(l)}</li>`).join('')}</ul></section>`;
}

export function renderCompareHtml(result: CompareResult): string {
  const title = `portlab compare: ${result.name}`;
  const withData = result.cells.some((c) => (c.summary?.intervals.length ?? 0) > 0);
  return htmlPage(
    title,
    [
    `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(result.description)}</p><p class="muted">${formatCount(result.cells.length)} cells, ${result.parallel} at a time, ${(result.durationMs / 1000).toFixed(1)} s, portlab ${escapeHtml(result.version)}</p></header>`,
    failures(result),
    table(result),
    withData ? `<figure class="chart-figure" id="figure-compare-time-wait"><h2>Client TIME_WAIT</h2><figcaption>A cell whose line reaches its port range ran out of ports.</figcaption>${timeWaitChart(result)}</figure>` : '',
    withData ? `<figure class="chart-figure" id="figure-compare-errors"><h2>Errors per second</h2><figcaption>Failed connects per second, all error codes together.</figcaption>${errorChart(result)}</figure>` : '',
    breakingRateChart(result),
    '<footer>Generated by portlab from compare.json; re-render with <code>portlab report DIR</code>.</footer>',
    ],
    '.table-scroll{overflow-x:auto} tr.fail td:last-child{color:#b00020;font-weight:600} tr.pass td:last-child{color:#1b7f3b} #compare-table td,#compare-table th{white-space:nowrap}',
  );
}

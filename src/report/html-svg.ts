/**
 * Chart primitives: one inline SVG line chart with axes, ticks, a legend, horizontal reference lines and
 * labelled vertical markers. Plain strings, no library and no script, so report.html works offline.
 *
 * Elements carry stable classes and data attributes that tests (and curious readers) can query:
 * `path.series[data-series][data-points]`, `g.marker.<id>[data-x-sec]`, `g.hline.<id>`, `g.legend-item`.
 */
import type { Point } from './downsample.js';
import { escapeHtml } from './format.js';
import type { Series } from './series.js';

export interface ChartLine {
  series: Series;
  color: string;
  /** Which y axis it is read against; 'right' needs ChartSpec.right. */
  axis?: 'left' | 'right';
  dashed?: boolean;
}

export interface ChartMarker {
  /** CSS class, e.g. "onset-measured". */
  id: string;
  label: string;
  xSec: number;
  color: string;
  dashed?: boolean;
}

export interface ChartHLine {
  id: string;
  label: string;
  y: number;
  color: string;
}

export interface ChartAxis {
  label: string;
  format: (value: number) => string;
  /** Fixed top of the axis (e.g. 100 for percent); default: from the data. */
  max?: number;
}

export interface ChartSpec {
  /** Used in element ids: "rates" -> "chart-rates". */
  id: string;
  title: string;
  /** What the chart shows, for screen readers (<desc>). */
  description: string;
  xMaxSec: number;
  left: ChartAxis;
  right?: ChartAxis;
  lines: ChartLine[];
  hLines?: ChartHLine[];
  markers?: ChartMarker[];
}

const WIDTH = 960;
const HEIGHT = 340;
const LEGEND_ROW_PX = 20;
/** Below this many points a series also gets dots (with a tooltip each); above, dots would be clutter. */
const DOTS_UP_TO = 40;

/** Ticks at 1, 2 or 5 x 10^k, from 0 to the first tick at or above max. */
export function niceTicks(max: number, target = 5): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1]! < top - step * 1e-9; i++) ticks.push(round(i * step, 10));
  return ticks;
}

/** 950 -> "950", 1200 -> "1.2k", 1500000 -> "1.5M". */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${round(value / 1e6, 1)}M`;
  if (abs >= 1e4) return `${round(value / 1e3, 0)}k`;
  if (abs >= 1e3) return `${round(value / 1e3, 1)}k`;
  return String(round(value, 2));
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

const n = (value: number): string => String(round(value, 1));

interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: (sec: number) => number;
  y: (value: number, axis?: 'left' | 'right') => number;
}

/** Renders one chart as an accessible inline <svg>. */
export function renderChart(spec: ChartSpec): string {
  const legend = legendLayout(spec);
  const xTicks = niceTicks(spec.xMaxSec, 8);
  const xMax = xTicks[xTicks.length - 1]!;
  const leftTicks = niceTicks(spec.left.max ?? dataMax(spec, 'left') * 1.05);
  const rightTicks = spec.right ? niceTicks(spec.right.max ?? dataMax(spec, 'right') * 1.05) : [];
  const leftMax = leftTicks[leftTicks.length - 1]!;
  const rightMax = rightTicks[rightTicks.length - 1] ?? 1;
  const top = 14 + legend.rows * LEGEND_ROW_PX + 10;
  const f: Frame = {
    left: 72,
    right: WIDTH - (spec.right ? 72 : 24),
    top,
    bottom: HEIGHT - 48,
    x: (sec) => f.left + (sec / xMax) * (f.right - f.left),
    y: (value, axis = 'left') => f.bottom - (value / (axis === 'right' ? rightMax : leftMax)) * (f.bottom - f.top),
  };
  const titleId = `chart-${spec.id}-title`;
  const descId = `chart-${spec.id}-desc`;
  return [
    `<svg class="chart" id="chart-${escapeHtml(spec.id)}" data-chart="${escapeHtml(spec.id)}" xmlns="http://www.w3.org/2000/svg"`,
    ` viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escapeHtml(spec.title)}</title><desc id="${descId}">${escapeHtml(spec.description)}</desc>`,
    gridAndAxes(spec, f, xTicks, leftTicks, rightTicks),
    ...(spec.hLines ?? []).map((h) => hLine(h, f)),
    // Drawn last-first, so the first line (the one the legend lists first) ends up on top.
    ...spec.lines.map((line) => seriesPath(line, f)).reverse(),
    ...(spec.markers ?? []).map((m, i) => marker(m, i, f, xMax)),
    legend.svg,
    '</svg>',
  ].join('\n');
}

function dataMax(spec: ChartSpec, axis: 'left' | 'right'): number {
  let max = 0;
  for (const line of spec.lines) {
    if ((line.axis ?? 'left') !== axis) continue;
    for (const p of line.series.points) max = Math.max(max, p.y);
  }
  if (axis === 'left') for (const h of spec.hLines ?? []) max = Math.max(max, h.y);
  return max;
}

function gridAndAxes(spec: ChartSpec, f: Frame, xTicks: number[], leftTicks: number[], rightTicks: number[]): string {
  const out: string[] = ['<g class="grid" stroke="#e3e6ea" stroke-width="1">'];
  for (const t of leftTicks) out.push(`<line x1="${f.left}" x2="${f.right}" y1="${n(f.y(t))}" y2="${n(f.y(t))}"/>`);
  out.push('</g>', '<g class="axis x-axis" font-size="12" fill="#555" text-anchor="middle">');
  for (const t of xTicks) {
    out.push(`<line x1="${n(f.x(t))}" x2="${n(f.x(t))}" y1="${f.bottom}" y2="${f.bottom + 5}" stroke="#888"/>`);
    out.push(`<text class="tick" x="${n(f.x(t))}" y="${f.bottom + 19}">${escapeHtml(`${compactNumber(t)}s`)}</text>`);
  }
  out.push(`<text class="axis-label" x="${n((f.left + f.right) / 2)}" y="${HEIGHT - 8}">seconds since start</text>`, '</g>');
  out.push(`<line class="axis-line" x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}" stroke="#888"/>`);
  out.push(axisY(spec.left, f, leftTicks, 'left'));
  if (spec.right) out.push(axisY(spec.right, f, rightTicks, 'right'));
  return out.join('\n');
}

function axisY(axis: ChartAxis, f: Frame, ticks: number[], side: 'left' | 'right'): string {
  const x = side === 'left' ? f.left : f.right;
  const dir = side === 'left' ? -1 : 1;
  const anchor = side === 'left' ? 'end' : 'start';
  const out = [`<g class="axis y-axis ${side}" font-size="12" fill="#555" text-anchor="${anchor}">`];
  out.push(`<line class="axis-line" x1="${x}" x2="${x}" y1="${f.top}" y2="${f.bottom}" stroke="#888"/>`);
  for (const t of ticks) {
    const y = n(f.y(t, side));
    out.push(`<line x1="${x}" x2="${x + dir * 5}" y1="${y}" y2="${y}" stroke="#888"/>`);
    out.push(`<text class="tick" x="${x + dir * 8}" y="${y}" dy="4">${escapeHtml(axis.format(t))}</text>`);
  }
  const lx = side === 'left' ? 16 : WIDTH - 12;
  const ly = n((f.top + f.bottom) / 2);
  out.push(`<text class="axis-label" text-anchor="middle" transform="translate(${lx} ${ly}) rotate(-90)">${escapeHtml(axis.label)}</text>`, '</g>');
  return out.join('\n');
}

function seriesPath(line: ChartLine, f: Frame): string {
  const { series, color } = line;
  const axis = line.axis ?? 'left';
  const pts = series.points.map((p: Point) => [n(f.x(p.x)), n(f.y(p.y, axis))] as const);
  const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join(' ');
  const id = escapeHtml(series.id);
  const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
  const out = [`<g class="series-group" data-series="${id}">`];
  out.push(`<path class="series" data-series="${id}" data-points="${pts.length}" data-axis="${axis}" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}/>`);
  if (pts.length <= DOTS_UP_TO) {
    series.points.forEach((p, i) => {
      const tip = `${series.label} at ${round(p.x, 2)}s: ${compactNumber(p.y)}`;
      out.push(`<circle class="point" cx="${pts[i]![0]}" cy="${pts[i]![1]}" r="3" fill="${color}"><title>${escapeHtml(tip)}</title></circle>`);
    });
  }
  out.push('</g>');
  return out.join('\n');
}

function hLine(h: ChartHLine, f: Frame): string {
  const y = n(f.y(h.y));
  return [
    `<g class="hline ${escapeHtml(h.id)}" data-y="${h.y}">`,
    `<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="${h.color}" stroke-width="1.5" stroke-dasharray="8 4"/>`,
    // Labelled at the left: series usually climb towards the line and sit on it at the right.
    `<text x="${f.left + 6}" y="${y}" dy="-5" font-size="12" fill="${h.color}" paint-order="stroke" stroke="#fff" stroke-width="3">${escapeHtml(h.label)}</text>`,
    '</g>',
  ].join('\n');
}

/** Vertical marker; labels alternate rows so two markers at nearly the same time stay readable. */
function marker(m: ChartMarker, index: number, f: Frame, xMax: number): string {
  const cls = `marker ${escapeHtml(m.id)}`;
  const labelY = f.top + 12 + (index % 2) * 16;
  if (m.xSec > xMax) {
    // Predicted after the run ended: no line to draw, but the reader should still see when.
    return `<g class="${cls}" data-x-sec="${m.xSec}" data-outside="true"><text x="${f.right - 4}" y="${labelY}" text-anchor="end" font-size="12" fill="${m.color}">${escapeHtml(`${m.label} →`)}</text></g>`;
  }
  const x = f.x(m.xSec);
  const toLeft = index % 2 === 1 ? x - f.left > 160 : f.right - x < 160;
  const dash = m.dashed ? ' stroke-dasharray="4 3"' : '';
  return [
    `<g class="${cls}" data-x-sec="${m.xSec}">`,
    `<line x1="${n(x)}" x2="${n(x)}" y1="${f.top}" y2="${f.bottom}" stroke="${m.color}" stroke-width="1.5"${dash}/>`,
    `<text x="${n(toLeft ? x - 5 : x + 5)}" y="${labelY}" text-anchor="${toLeft ? 'end' : 'start'}" font-size="12" font-weight="600" fill="${m.color}" paint-order="stroke" stroke="#fff" stroke-width="3">${escapeHtml(m.label)}</text>`,
    '</g>',
  ].join('\n');
}

interface LegendLayout {
  rows: number;
  svg: string;
}

/** One swatch + label per line, reference line and marker; wraps to more rows when wide. */
function legendLayout(spec: ChartSpec): LegendLayout {
  const items = [
    ...spec.lines.map((l) => ({ id: l.series.id, label: l.series.label + (l.axis === 'right' ? ' (right axis)' : ''), color: l.color, dashed: l.dashed ?? false })),
    ...(spec.hLines ?? []).map((h) => ({ id: h.id, label: h.label, color: h.color, dashed: true })),
    ...(spec.markers ?? []).map((m) => ({ id: m.id, label: m.label, color: m.color, dashed: m.dashed ?? false })),
  ];
  const out = ['<g class="legend" font-size="12" fill="#333">'];
  let x = 72;
  let row = 0;
  for (const item of items) {
    // ~7.2 px per character at 12 px sans-serif (upper case is wide): errs on the side of wrapping early.
    const w = 30 + item.label.length * 7.2 + 18;
    if (x + w > WIDTH - 16 && x > 72) {
      row++;
      x = 72;
    }
    const y = 14 + row * LEGEND_ROW_PX;
    const dash = item.dashed ? ' stroke-dasharray="6 3"' : '';
    out.push(
      `<g class="legend-item" data-series="${escapeHtml(item.id)}"><line x1="${n(x)}" x2="${n(x + 24)}" y1="${y}" y2="${y}" stroke="${item.color}" stroke-width="3"${dash}/>` +
        `<text x="${n(x + 30)}" y="${y}" dy="4">${escapeHtml(item.label)}</text></g>`,
    );
    x += w;
  }
  out.push('</g>');
  return { rows: row + 1, svg: out.join('\n') };
}

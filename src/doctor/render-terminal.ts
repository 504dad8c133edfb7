/** The doctor's terminal report: a headline level, the figures, the busiest tuples, then every finding. */
import { formatAboutMs, formatRatePerSec } from '../model/advice.js';
import { styler, visibleLength, wordWrap, type Styler } from '../report/ansi.js';
import { trimNumber } from '../util/units.js';
import type { DoctorReport, Finding, Level, TupleReport } from './types.js';

export interface TerminalOptions {
  color: boolean;
  /** Columns to wrap prose to. */
  width?: number;
}

const count = (n: number): string => trimNumber(n, 0);
const pct = (n: number): string => `${trimNumber(n, n < 10 ? 1 : 0)}%`;

function levelTag(level: Level, s: Styler): string {
  const text = level.toUpperCase().padEnd(8);
  return level === 'critical' ? s.red(s.bold(text)) : level === 'warning' ? s.yellow(s.bold(text)) : s.green(text);
}

/** Right-aligns every column but the first two; widths from the longest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => visibleLength(r[c] ?? ''))));
  return rows.map((row) => `  ${row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`.trimEnd());
}

function runsOut(t: TupleReport): string {
  if (t.exhaustsInMs === null) return '-';
  return t.exhaustsInMs === 0 ? 'now' : `~${formatAboutMs(t.exhaustsInMs)}`;
}

function tupleRows(report: DoctorReport, s: Styler): string[] {
  if (report.tuples.length === 0) return ['  (no outgoing connections)'];
  const head = ['source', 'destination', 'in use', 'usable', 'util', 'TIME_WAIT', 'ESTAB', 'new/s', 'runs out'];
  const rows = report.tuples.map((t) => [
    t.source,
    t.destination,
    count(t.portsInUse),
    count(t.usablePorts),
    t.level === 'ok' ? pct(t.utilizationPct) : t.level === 'critical' ? s.red(pct(t.utilizationPct)) : s.yellow(pct(t.utilizationPct)),
    count(t.timeWait),
    count(t.established),
    trimNumber(t.newPerSec, t.newPerSec < 10 ? 1 : 0),
    runsOut(t),
  ]);
  const [first, ...rest] = table([head, ...rows]);
  return [s.dim(first!), ...rest];
}

function findingLines(f: Finding, width: number, s: Styler): string[] {
  const indent = ' '.repeat(12);
  const body = wordWrap(f.summary, width - indent.length);
  const advice = wordWrap(`-> ${f.recommendation}`, width - indent.length);
  return [`  ${levelTag(f.level, s)}  ${s.bold(f.id)}`, ...body.map((l) => indent + l), ...advice.map((l) => indent + s.dim(l))];
}

/** "netlink", or "/proc (why not netlink)". */
function readerText(report: DoctorReport): string {
  const { name, note } = report.reader;
  return name === 'netlink' ? 'netlink (sock_diag)' : `/proc/net/tcp${note ? ` (${note})` : ''}`;
}

/** The whole report, ending in a newline. */
export function renderDoctorTerminal(report: DoctorReport, options: TerminalOptions): string {
  const s = styler(options.color);
  const width = options.width ?? 100;
  const worst = report.findings.filter((f) => f.level === report.level && f.level !== 'ok');
  const range = report.portRange;
  const states = Object.entries(report.sockets.byState)
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${count(n)} ${state}`)
    .join(', ');
  const tw = report.timeWait;
  const r = report.rates;
  const window = report.windowMs > 0 ? `window ${formatAboutMs(report.windowMs)}, ` : '';
  const lines = [
    s.bold(`portlab doctor: ${report.target.label}, ${report.takenAt}`) + s.dim(` (${window}read ${trimNumber(report.costMs.read)} ms via ${readerText(report)}, analysis ${trimNumber(report.costMs.analyze)} ms)`),
    `${levelTag(report.level, s)} ${worst.length ? worst.map((f) => f.id).join(', ') : 'no port pressure found'}`,
    '',
    `  ports       ${range.low}-${range.high}: ${count(range.size)} ports, ${count(range.usable)} usable per tuple; reserved in range: ${count(report.reservedPorts.inRange)}`,
    `  sockets     ${count(report.sockets.total)}${states ? `: ${states}` : ''}`,
    `  TIME_WAIT   ${count(tw.total)} = ${count(tw.client)} client side + ${count(tw.server)} server side${tw.sockstat === null ? '' : ` (sockstat tw ${count(tw.sockstat)})`}`,
  ];
  if (report.windowMs > 0) {
    const o = report.observed;
    lines.push(
      `  new conns   ${formatRatePerSec(r.newConnectionsPerSec)} (${formatRatePerSec(r.clientClosesPerSec)} closed by the client, ${formatRatePerSec(r.resetsPerSec)} resets); ` +
        `pattern ${o.pattern}${o.close ? `, ${o.close} closes first` : ''}`,
    );
  }
  lines.push('', s.bold(`Tuples, busiest first (${report.tuples.length} of ${report.tupleCount})`), ...tupleRows(report, s), '', s.bold('Findings'));
  const order: Record<Level, number> = { critical: 0, warning: 1, ok: 2 };
  const findings = [...report.findings].sort((a, b) => order[a.level] - order[b.level]);
  for (const f of findings) lines.push(...findingLines(f, width, s));
  return `${lines.join('\n')}\n`;
}

/**
 * The benchmark's report model and its Markdown table: each row is one measured value, with its target
 * (when the issue sets one), pass or miss, and by how much. Pure: the runner fills rows, this renders them.
 */

export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface BenchRow {
  /** Which part of the bench: "Raw churn", "Sampler" ... */
  section: string;
  name: string;
  /** null: not measured (the note says why). */
  value: number | null;
  unit: string;
  target?: Target;
  note?: string;
  /** The value is an estimate (extrapolated), not a measurement: the verdict says so. */
  estimated?: boolean;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  kernel: string;
  node: string;
  memGiB: number;
}

export interface BenchReport {
  date: string;
  command: string;
  machine: Machine;
  durationS: number;
  rows: BenchRow[];
  /** Free-form lines printed under the tables (how things were measured). */
  notes: string[];
}

export type Status = 'pass' | 'miss' | '';

/** a / b, or null when either is missing or b is not positive. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !(b > 0)) return null;
  return a / b;
}

/** A number as a table shows it: thousands separators, about three significant digits below 100. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  return unit === '×' ? `${formatNumber(value)}×` : `${formatNumber(value)} ${unit}`;
}

/** pass/miss against the target, and how far from it: "+12%" or "-6,000 starts/s (-30%)". */
export function verdictOf(row: BenchRow): { status: Status; by: string } {
  const { target, value } = row;
  if (!target || value === null) return { status: '', by: '' };
  const pass = target.op === '>=' ? value >= target.value : value <= target.value;
  const diff = value - target.value;
  const pct = target.value !== 0 ? (diff / target.value) * 100 : 0;
  const sign = (n: number): string => (n > 0 ? '+' : n < 0 ? '-' : '±');
  const pctText = `${sign(pct)}${Math.abs(pct).toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
  const estimate = row.estimated ? 'estimate; ' : '';
  if (pass) return { status: 'pass', by: `${estimate}${pctText} margin` };
  const amount = row.unit === '×' ? `${sign(diff)}${formatNumber(Math.abs(diff))}×` : `${sign(diff)}${formatNumber(Math.abs(diff))} ${row.unit}`;
  return { status: 'miss', by: `${estimate}${amount} (${pctText})` };
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One Markdown table per section, in the order the rows came. */
export function renderRows(rows: readonly BenchRow[]): string {
  const sections: string[] = [];
  for (const row of rows) if (!sections.includes(row.section)) sections.push(row.section);
  const out: string[] = [];
  for (const section of sections) {
    out.push(`### ${section}`, '', '| Measure | Value | Target | Result | Note |', '|---|---:|---:|---|---|');
    for (const row of rows.filter((r) => r.section === section)) {
      const { status, by } = verdictOf(row);
      const target = row.target ? `${row.target.op} ${formatValue(row.target.value, row.unit)}` : '';
      const result = status === '' ? '' : `${status} (${by})`;
      out.push(`| ${escapeCell(row.name)} | ${formatValue(row.value, row.unit)} | ${target} | ${result} | ${escapeCell(row.note ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Machine line for the README: what the numbers were measured on. */
export function machineLine(machine: Machine): string {
  return `${machine.nproc} × ${machine.cpuModel}, ${machine.memGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}`;
}

/** The whole Markdown report (results/bench/<date>.md, and the README section's body). */
export function renderReport(report: BenchReport): string {
  const targets = report.rows.filter((r) => r.target && r.value !== null);
  const missed = targets.filter((r) => verdictOf(r).status === 'miss');
  return [
    `Measured ${report.date} on ${machineLine(report.machine)}, with \`${report.command}\` (${Math.round(report.durationS)} s).`,
    `Targets: ${targets.length - missed.length} of ${targets.length} met${missed.length ? `; missed: ${missed.map((r) => r.name).join('; ')}` : ''}.`,
    '',
    renderRows(report.rows),
    ...report.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/**
 * The catalog in a terminal: per claim its sentence, the verdict (and whether it is the expected one),
 * what was measured and why, wrapped to the width; a one-line total at the end. Pure.
 */
import { styler, wordWrap, type Styler } from '../report/ansi.js';
import { figureOf, formatNamedFigure } from './figures.js';
import type { CatalogResult, ClaimResult } from './types.js';
import { asExpected, verdictLabel } from './verdict.js';

export interface ClaimsTerminalOptions {
  color: boolean;
  width?: number;
}

const INDENT = '    ';

function paint(result: ClaimResult, st: Styler): string {
  const label = result.outcome === 'pending' ? 'pending' : verdictLabel(result.outcome);
  if (result.outcome === 'pending' || result.outcome === 'inconclusive') return st.yellow(label);
  return asExpected(result) ? st.green(st.bold(label)) : st.red(st.bold(label));
}

function field(name: string, text: string, width: number, st: Styler): string[] {
  return wordWrap(`${name}: ${text}`, width - INDENT.length).map((line, i) => INDENT + (i === 0 ? line.replace(`${name}:`, st.dim(`${name}:`)) : `  ${line}`));
}

function claimLines(result: ClaimResult, width: number, st: Styler): string[] {
  const head = `${result.id}. ${result.claim}`;
  const lines = wordWrap(head, width).map((line, i) => (i === 0 ? st.bold(line) : `    ${line}`));
  const expected = result.expected && !asExpected(result) ? st.red(` (expected ${verdictLabel(result.expected)})`) : '';
  lines.push(`${INDENT}${paint(result, st)}${expected}`);
  if (result.outcome === 'pending') return [...lines, ...field('pending', result.pending!, width, st)];
  if (result.measured) lines.push(...field('measured', result.measured, width, st));
  if (result.outcome === 'confirmed-with-caveat' && result.caveat) lines.push(...field('caveat', result.caveat, width, st));
  lines.push(...field('why', result.why, width, st));
  for (const cell of result.cells) {
    const figures = cell.error ? `did not run: ${cell.error}` : result.figures.map((f) => `${f} ${formatNamedFigure(f, figureOf(cell.figures, f))}`).join(', ');
    lines.push(...field(`cell ${cell.name}`, figures, width, st));
  }
  return lines;
}

/** Every claim, then the total; ends with a newline. */
export function renderClaimsTerminal(catalog: CatalogResult, options: ClaimsTerminalOptions): string {
  const st = styler(options.color);
  const width = options.width ?? 100;
  const out: string[] = [];
  for (const result of catalog.claims) out.push(...claimLines(result, width, st), '');
  const judged = catalog.claims.filter((c) => c.outcome !== 'pending');
  const off = judged.filter((c) => !asExpected(c));
  const pending = catalog.claims.length - judged.length;
  const total = `${judged.length} ${judged.length === 1 ? 'claim' : 'claims'} judged${pending > 0 ? `, ${pending} pending` : ''} in ${(catalog.durationMs / 1000).toFixed(1)} s, ${catalog.parallel} ${catalog.parallel === 1 ? 'lab' : 'labs'} at a time`;
  out.push(st.bold(total));
  if (catalog.interrupted) out.push(st.yellow('interrupted: claims whose cells did not run are inconclusive'));
  if (off.length > 0) out.push(st.red(`${off.length} reached another verdict than expected: ${off.map((c) => `${c.id} (${verdictLabel(c.outcome)}, expected ${verdictLabel(c.expected!)})`).join(', ')}`));
  else if (judged.length > 0) out.push(st.green('every claim reached its expected verdict'));
  return `${out.join('\n')}\n`;
}

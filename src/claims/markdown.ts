/**
 * docs/claims.md: the catalog as a reader wants it (a table of every claim and its verdict, then a
 * section per claim: source, what was measured, why the verdict, the kernel behaviour, every cell's
 * figures), and `verdictsOfCatalog`, which reads the verdicts back so a test can compare a fresh run
 * with the committed file. Pure.
 */
import { escapeMarkdown, escapeMarkdownLine } from '../report/markdown.js';
import { figureOf, formatNamedFigure, RUN_FIGURES } from './figures.js';
import { PROBE_FIGURES } from './probe/kinds.js';
import type { CatalogResult, ClaimResult, Outcome } from './types.js';
import { verdictLabel } from './verdict.js';

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** The verdict column: the label alone, so verdictsOfCatalog can read it back. */
function verdictCell(result: ClaimResult): string {
  return result.outcome === 'pending' ? 'pending' : verdictLabel(result.outcome);
}

function summaryRow(result: ClaimResult): string {
  const measured = result.outcome === 'pending' ? `needs ${result.pending!.replace(/^needs\s+/, '')}` : result.measured;
  return `| ${result.id} | ${verdictCell(result)} | [${escapeMarkdown(result.claim)}](#claim-${result.id}) | ${escapeMarkdown(measured)} |`;
}

function cellTable(result: ClaimResult): string[] {
  if (result.cells.length === 0) return [];
  const lines = [`| cell | ${result.figures.map(code).join(' | ')} |`, `|---|${result.figures.map(() => '---').join('|')}|`];
  for (const cell of result.cells) {
    const values = result.figures.map((f) => (cell.error ? '' : escapeMarkdown(formatNamedFigure(f, figureOf(cell.figures, f)))));
    const name = cell.error ? `${code(cell.name)} (did not run: ${escapeMarkdown(cell.error)})` : code(cell.name);
    lines.push(`| ${name} | ${values.join(' | ')} |`);
  }
  return [...lines, ''];
}

function section(result: ClaimResult): string[] {
  const lines = [`<a id="claim-${result.id}"></a>`, `## ${result.id}. ${escapeMarkdownLine(result.title)}`, '', `> ${escapeMarkdown(result.claim)}`, ''];
  lines.push(`- **Source:** ${escapeMarkdown(result.source)}`);
  if (result.outcome === 'pending') {
    lines.push(`- **Verdict:** pending: ${escapeMarkdown(result.pending!)}`, `- **Kernel behaviour:** ${escapeMarkdown(result.behaviour)}`, '');
    return lines;
  }
  const expected = result.expected && result.expected !== result.outcome ? ` (expected: ${verdictLabel(result.expected)})` : '';
  lines.push(`- **Verdict:** **${verdictLabel(result.outcome)}**${expected}`);
  if (result.outcome === 'confirmed-with-caveat' && result.caveat) lines.push(`- **Caveat:** ${escapeMarkdown(result.caveat)}`);
  if (result.measured) lines.push(`- **Measured:** ${escapeMarkdown(result.measured)}`);
  if (result.note) lines.push(`- **Scale:** ${escapeMarkdown(result.note)}`);
  lines.push(`- **Kernel behaviour:** ${escapeMarkdown(result.behaviour)}`, `- **Checks:**`);
  for (const trial of result.trials) {
    const mark = trial.pass ? 'all hold' : 'not all hold';
    lines.push(`  - ${verdictLabel(trial.verdict)} (${mark}):`);
    for (const check of trial.checks) lines.push(`    - ${check.pass ? 'holds' : 'fails'}: ${code(check.text)}: ${escapeMarkdown(check.detail)}`);
  }
  lines.push('', ...cellTable(result));
  return lines;
}

/** What every figure a check can name means: runs, then each probe kind. */
function legend(): string[] {
  const rows = (figures: Readonly<Record<string, string>>): string[] => Object.entries(figures).map(([name, what]) => `| ${code(name)} | ${escapeMarkdown(what)} |`);
  const lines = ['## Figures the checks use', '', 'Run cells (`errors.CODE`, `netstat.COUNTER` and `sysctl.KEY` name one counter or sysctl each):', '', '| figure | meaning |', '|---|---|', ...rows(RUN_FIGURES), ''];
  for (const [kind, figures] of Object.entries(PROBE_FIGURES)) lines.push(`Probe ${code(kind)}:`, '', '| figure | meaning |', '|---|---|', ...rows(figures), '');
  return lines;
}

/** docs/claims.md. */
export function renderClaimsMarkdown(catalog: CatalogResult): string {
  const judged = catalog.claims.filter((c) => c.outcome !== 'pending');
  const date = catalog.startedAt.slice(0, 10);
  const lines = [
    '# Claims about ephemeral ports, settled in a lab',
    '',
    'Advice about port exhaustion, each claim run as a small experiment in fresh network namespaces on',
    'loopback (tiny port ranges, a few seconds each) and judged by checks written in its file under',
    '`scenarios/claims/`. Regenerate with `portlab claims`; `npm test` fails when a fresh run reaches a',
    'different verdict than this file shows.',
    '',
    `Measured ${date} on Linux ${escapeMarkdown(catalog.kernel)} with portlab ${catalog.version}: ${judged.length} claims judged` +
      `${judged.length < catalog.claims.length ? ` (${catalog.claims.length - judged.length} pending)` : ''} in ` +
      `${formatSeconds(catalog.durationMs)}, ${catalog.parallel} ${catalog.parallel === 1 ? 'lab' : 'labs'} at a time${catalog.interrupted ? ' (interrupted: some cells did not run)' : ''}.`,
    '',
    '| # | verdict | claim | measured |',
    '|---|---|---|---|',
    ...catalog.claims.map(summaryRow),
    '',
  ];
  for (const result of catalog.claims) lines.push(...section(result));
  lines.push(...legend());
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

const OUTCOMES: Record<string, Outcome | 'pending'> = {
  confirmed: 'confirmed',
  'confirmed with a caveat': 'confirmed-with-caveat',
  refuted: 'refuted',
  inconclusive: 'inconclusive',
  pending: 'pending',
};

/** The verdict of every claim in a rendered catalog, by id (the summary table's rows). */
export function verdictsOfCatalog(markdown: string): Map<number, Outcome | 'pending'> {
  const verdicts = new Map<number, Outcome | 'pending'>();
  for (const line of markdown.split('\n')) {
    const match = /^\| (\d+) \| ([a-z ]+) \|/.exec(line);
    const outcome = match ? OUTCOMES[match[2]!] : undefined;
    if (match && outcome) verdicts.set(Number(match[1]), outcome);
  }
  return verdicts;
}

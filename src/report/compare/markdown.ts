/**
 * compare.md: one table with a row per cell, for a pull request comment or $GITHUB_STEP_SUMMARY, and the
 * failures under it. Rows per cell (not columns) because Markdown tables scroll sideways badly.
 */
import type { CompareResult } from '../../metrics/compare.js';
import { compareRows, failureLines } from './figures.js';

const cellText = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderCompareMarkdown(result: CompareResult): string {
  const rows = compareRows(result);
  const verdict = result.interrupted ? 'interrupted' : result.pass ? 'every cell passed' : 'some checks failed';
  const lines = [
    `## portlab compare: ${cellText(result.name)} (${verdict})`,
    '',
    ...(result.description ? [result.description, ''] : []),
    `| cell | ${rows.map((r) => r.label).join(' | ')} |`,
    `|---|${rows.map(() => '---').join('|')}|`,
    ...result.cells.map((cell) => `| ${cellText(cell.name)} | ${rows.map((r) => cellText(r.value(cell))).join(' | ')} |`),
    '',
  ];
  const failures = failureLines(result);
  if (failures.length > 0) lines.push('**Failed checks**', '', ...failures.map((f) => `- ${cellText(f)}`), '');
  if (result.baseline) lines.push(`Compared with the baseline in \`${result.baseline.dir}\` (tolerance ${result.baseline.tolerancePct}%).`, '');
  lines.push(`${result.cells.length} cells, ${result.parallel} at a time, ${(result.durationMs / 1000).toFixed(1)} s; each cell's own report is in its folder.`, '');
  return lines.join('\n');
}

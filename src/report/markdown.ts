/**
 * report.md: the run's story for a pull-request comment or a GitHub Actions job summary: verdict, the
 * diagnosis, a table of key figures, a sparkline of client TIME_WAIT and the expectations.
 */
import { formatDurationMs } from '../util/units.js';
import { formatCount } from './format.js';
import { keyFigures } from './figures.js';
import { clientTimeWaitValues } from './series.js';
import { sparkline } from './sparkline.js';
import type { RunSummary } from '../metrics/types.js';

/**
 * Makes text literal in GitHub Markdown: scenario names and descriptions are user input, and a "|" would
 * break a table, "<" would start HTML (">" only matters at the start of a line: escapeMarkdownLine). Underscores inside words stay (TIME_WAIT reads better unescaped and
 * GFM does not emphasise intraword underscores).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

/** escapeMarkdown for text that starts a line: a leading "#", "-" or "1." must not become a heading or list. */
export function escapeMarkdownLine(text: string): string {
  // A digit is not escapable in CommonMark, so "1." is kept a paragraph by escaping its dot.
  return escapeMarkdown(text).replace(/^(\s*)([#>+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

function verdict(summary: RunSummary): string {
  if (summary.expectations.length === 0) return 'ℹ️';
  return summary.pass ? '✅' : '❌';
}

function sparklineLine(summary: RunSummary): string {
  const values = clientTimeWaitValues(summary);
  if (values.length === 0) return '';
  const size = summary.lab.portRange.size;
  // Scaled to the port range, not to the peak: a full bar means a full range, whatever the run.
  const line = sparkline(values, { width: 40, max: size > 0 ? size : undefined });
  const peak = formatCount(summary.peak.clientTimeWait);
  return `**Client TIME_WAIT** over ${formatDurationMs(summary.durationMs)} (█ = all ${formatCount(size)} ports): \`${line}\` peak ${peak}`;
}

/** Renders report.md. */
export function renderMarkdown(summary: RunSummary): string {
  const lines: string[] = [`## ${verdict(summary)} portlab: ${escapeMarkdown(summary.scenario.name)}`, ''];
  if (summary.scenario.description) lines.push(escapeMarkdownLine(summary.scenario.description), '');
  lines.push(`> **Diagnosis:** ${escapeMarkdown(summary.diagnosis)}`, '');
  lines.push('| | |', '| --- | --- |');
  for (const figure of keyFigures(summary)) lines.push(`| ${escapeMarkdown(figure.label)} | ${escapeMarkdown(figure.value)} |`);
  lines.push('');
  const spark = sparklineLine(summary);
  if (spark) lines.push(spark, '');
  lines.push('### Expectations', '');
  if (summary.expectations.length === 0) {
    lines.push('None set: add an `expect:` block to the scenario to gate CI on this run.');
  } else {
    lines.push('| | Expectation | Measured |', '| --- | --- | --- |');
    for (const e of summary.expectations) lines.push(`| ${e.pass ? '✅' : '❌'} | ${escapeMarkdown(e.name)} | ${escapeMarkdown(e.detail)} |`);
  }
  lines.push('', `<sub>portlab ${escapeMarkdown(summary.version)} · run ${escapeMarkdown(summary.runId)} · charts in report.html</sub>`, '');
  return lines.join('\n');
}

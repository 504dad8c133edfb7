/** Puts the latest benchmark table into README.md under "## Benchmarks", replacing the previous one. */

const HEADING = '## Benchmarks';

/**
 * Returns `readme` with the Benchmarks section's body replaced by `body` (the section runs to the next
 * "## " heading or the end); appends the section when there is none. Other sections are untouched.
 */
export function replaceBenchmarksSection(readme: string, body: string): string {
  const section = `${HEADING}\n\n${body.trim()}\n`;
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === HEADING);
  if (start === -1) return `${readme.replace(/\n*$/, '')}\n\n${section}`;
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end === -1) end = lines.length;
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  return `${before}${before ? '\n' : ''}${section}${after ? `\n${after}` : ''}`;
}

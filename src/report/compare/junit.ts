/**
 * The comparison's junit.xml: one test suite per cell, one test case per expectation and per baseline
 * check, so a CI system lists exactly which cell failed which gate.
 */
import type { CompareCell, CompareResult } from '../../metrics/compare.js';
import { escapeXml } from '../format.js';

const attr = (value: string | number): string => `"${escapeXml(String(value))}"`;

interface Case {
  name: string;
  pass: boolean;
  detail: string;
  error?: boolean;
}

function casesOf(cell: CompareCell): Case[] {
  if (cell.error) return [{ name: 'cell ran', pass: false, detail: cell.error, error: true }];
  const cases: Case[] = (cell.summary?.expectations ?? []).map((e) => ({ name: e.name, pass: e.pass, detail: e.detail }));
  for (const b of cell.baseline ?? []) cases.push({ name: `baseline: ${b.name}`, pass: b.pass, detail: b.detail });
  if (cell.summary?.interrupted) cases.push({ name: 'run completed', pass: false, detail: 'the run was interrupted' });
  return cases.length > 0 ? cases : [{ name: 'run completed', pass: true, detail: 'the cell sets no expectations' }];
}

function suite(cell: CompareCell): string {
  const cases = casesOf(cell);
  const failures = cases.filter((c) => !c.pass && !c.error).length;
  const errors = cases.filter((c) => c.error).length;
  const seconds = ((cell.summary?.durationMs ?? 0) / 1000).toFixed(3);
  const body = cases.map((c) => {
    const open = `    <testcase classname=${attr(`portlab.compare.${cell.name}`)} name=${attr(c.name)} time="0"`;
    if (c.pass) return `${open}/>`;
    const tag = c.error ? 'error' : 'failure';
    return `${open}>\n      <${tag} message=${attr(`${c.name}: ${c.detail}`)}>${escapeXml(c.detail)}</${tag}>\n    </testcase>`;
  });
  return [
    `  <testsuite name=${attr(cell.name)} tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds}">`,
    ...body,
    ...(cell.summary ? [`    <system-out>${escapeXml(cell.summary.diagnosis)}</system-out>`] : []),
    '  </testsuite>',
  ].join('\n');
}

export function renderCompareJunit(result: CompareResult): string {
  const all = result.cells.map(casesOf).flat();
  const failures = all.filter((c) => !c.pass && !c.error).length;
  const errors = all.filter((c) => c.error).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(`portlab compare ${result.name}`)} tests="${all.length}" failures="${failures}" errors="${errors}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    ...result.cells.map(suite),
    '</testsuites>',
    '',
  ].join('\n');
}

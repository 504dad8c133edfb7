/**
 * junit.xml: one test case per expectation so CI systems show which gate failed and with what values.
 * A run without expectations is one passing case, "run completed", so the file is never empty.
 */
import { escapeXml } from './format.js';
import { keyFigures } from './figures.js';
import type { Expectation, RunSummary } from '../metrics/types.js';

const attr = (value: string | number): string => `"${escapeXml(String(value))}"`;

function testcase(classname: string, e: Expectation, measured: string): string {
  const open = `    <testcase classname=${attr(classname)} name=${attr(e.name)} time="0"`;
  if (e.pass) return `${open}/>`;
  return [
    `${open}>`,
    `      <failure type="expectation" message=${attr(`${e.name}: ${e.detail}`)}>${escapeXml(`${e.detail}\n\n${measured}`)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** Renders junit.xml (the common Ant/Jenkins dialect that GitHub, GitLab and Jenkins read). */
export function renderJunit(summary: RunSummary): string {
  const name = summary.scenario.name;
  const classname = `portlab.${name}`;
  const cases: Expectation[] =
    summary.expectations.length > 0 ? summary.expectations : [{ name: 'run completed', pass: true, detail: 'the scenario sets no expectations' }];
  const failures = cases.filter((e) => !e.pass).length;
  const seconds = (summary.durationMs / 1000).toFixed(3);
  const figures = keyFigures(summary);
  const measured = figures.map((f) => `${f.label}: ${f.value}`).join('\n');
  const properties = [
    ['lab.kind', summary.lab.kind],
    ...Object.keys(summary.lab.sysctls)
      .sort()
      .map((key) => [key, summary.lab.sysctls[key]!]),
    ...figures.map((f) => [f.key, f.value]),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="portlab" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds}">`,
    `  <testsuite name=${attr(name)} tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp=${attr(summary.startedAt)}>`,
    '    <properties>',
    ...properties.map(([key, value]) => `      <property name=${attr(key!)} value=${attr(value!)}/>`),
    '    </properties>',
    ...cases.map((e) => testcase(classname, e, measured)),
    `    <system-out>${escapeXml(`${summary.diagnosis}\n\n${measured}`)}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

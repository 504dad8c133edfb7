import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareCell, CompareResult } from '../../../src/metrics/compare.js';
import { renderCompareJunit } from '../../../src/report/compare/junit.js';
import { renderCompareMarkdown } from '../../../src/report/compare/markdown.js';
import { renderCompareTerminal } from '../../../src/report/compare/terminal.js';
import { loadFixture, withFailedExpectation } from '../fixture.js';

async function result(): Promise<CompareResult> {
  const exhausted = await loadFixture('no-pooling');
  const pooled = await loadFixture('keep-alive-pool');
  const cells: CompareCell[] = [
    { name: 'no-pool', overrides: {}, variant: 'no-pool', dir: 'cells/01-no-pool', summary: exhausted, pass: true, breakingRatePerSec: 40, predictedBreakingRatePerSec: 40, sustainedRatePerSec: 200 / 60 },
    { name: 'pool-10', overrides: {}, variant: 'pool-10', dir: 'cells/02-pool-10', summary: pooled, pass: true, breakingRatePerSec: 300, breakingRateAtLeast: true, predictedBreakingRatePerSec: null, sustainedRatePerSec: null },
  ];
  return { version: '0.1.0', name: 'demo', description: 'no pool vs a pool of 10', startedAt: '2026-12-01T00:00:00.000Z', durationMs: 12_000, parallel: 2, interrupted: false, baseline: null, cells, pass: true };
}

test('terminal: measures down the side, a column per cell, the search beside the model', async () => {
  const text = renderCompareTerminal(await result(), { color: false });
  assert.equal(
    text,
    [
      'demo: 2 cells, 2 at a time, 12.0 s',
      'no pool vs a pool of 10',
      '',
      '                       no-pool              pool-10',
      'exhaustion at          2.0s EADDRNOTAVAIL   none',
      'model predicted        2.0s                 none',
      'connected              200                  10',
      'errors                 300 (EADDRNOTAVAIL)  0',
      'peak client TIME_WAIT  200                  0',
      'peak server TIME_WAIT  0                    0',
      'ports (range)          200                  200',
      'breaking rate          40/s                 >= 300/s',
      'model, this duration   40/s                 unlimited',
      'model, sustained       3.3/s                unlimited',
      'verdict                pass                 pass',
      '',
      'every cell held its expectations',
      '',
    ].join('\n'),
  );
});

test('terminal: many cells wrap into blocks that fit the width; failures come last, with the cell', async () => {
  const base = await result();
  const failed = withFailedExpectation(base.cells[0]!.summary!);
  const cells = Array.from({ length: 12 }, (_, i): CompareCell => ({ ...base.cells[i % 2]!, name: `cell-number-${i + 1}`, ...(i === 7 ? { summary: failed, pass: false } : {}) }));
  const text = renderCompareTerminal({ ...base, cells, pass: false }, { color: false, width: 100 });
  const lines = text.split('\n');
  assert.ok(lines.every((l) => l.length <= 100), lines.find((l) => l.length > 100));
  const headers = lines.filter((l) => /^\s+cell-number-\d+(\s+cell-number-\d+)*$/.test(l));
  assert.ok(headers.length >= 3, `${headers.length} blocks`);
  assert.deepEqual(headers.join(' ').match(/cell-number-\d+/g), cells.map((c) => c.name));
  assert.deepEqual(lines.slice(-4), ['1 check failed:', '  cell-number-8: expectation maxClientTimeWait: 100 failed: peak client TIME_WAIT 200 > 100', '    <limit> & "quoted"', '']);
});

test('markdown: a row per cell with the same figures', async () => {
  const md = renderCompareMarkdown(await result());
  assert.ok(md.startsWith('## portlab compare: demo (every cell passed)\n'));
  assert.ok(md.includes('| no-pool | 2.0s EADDRNOTAVAIL | 2.0s | 200 | 300 (EADDRNOTAVAIL) | 200 | 0 | 200 | 40/s | 40/s | 3.3/s | pass |'));
  assert.ok(md.includes('| pool-10 | none | none | 10 | 0 | 0 | 0 | 200 | >= 300/s | unlimited | unlimited | pass |'));
});

test('junit: a suite per cell, a case per expectation and per baseline check; failures counted', async () => {
  const base = await result();
  const bad = { ...base.cells[1]!, pass: false, baseline: [{ name: 'errors', pass: false, baseline: 0, current: 4, changePct: null, detail: '0 -> 4 (from 0 to 4; a rise over 10% fails)' }] };
  const xml = renderCompareJunit({ ...base, cells: [base.cells[0]!, bad], pass: false });
  assert.match(xml, /<testsuites name="portlab compare demo" tests="8" failures="1" errors="0"/);
  assert.match(xml, /<testsuite name="no-pool" tests="3" failures="0"/);
  assert.match(xml, /<testsuite name="pool-10" tests="5" failures="1"/);
  assert.match(xml, /<testcase classname="portlab.compare.pool-10" name="baseline: errors" time="0">\n\s+<failure message="baseline: errors: 0 -&gt; 4 \(from 0 to 4; a rise over 10% fails\)">/);
});

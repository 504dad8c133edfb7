/**
 * compare.html in a real headless Chromium: no console, page or network errors, every cell's curve drawn
 * with length on screen on both shared-axis charts, the breaking-rate bars and model marks visible.
 * Skipped without Chromium, except in CI (CI=true), where that is a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareResult } from '../../../src/metrics/compare.js';
import { renderCompareHtml } from '../../../src/report/compare/html.js';
import { ARTIFACTS, browserMissing, launchBrowser, openHtml } from '../browser-page.js';
import { loadFixture } from '../fixture.js';

test('compare.html renders in Chromium: every cell curve drawn, bars and model marks visible, no errors', { timeout: 120_000 }, async (t) => {
  const missing = browserMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const exhausted = await loadFixture('no-pooling');
  const pooled = await loadFixture('keep-alive-pool');
  const result: CompareResult = {
    version: '0.1.0', name: 'pool', description: 'no pool vs a pool', startedAt: '2026-12-01T00:00:00.000Z', durationMs: 9000, parallel: 2, interrupted: false, baseline: null, pass: true,
    cells: [
      { name: 'no-pool', overrides: {}, variant: 'no-pool', dir: 'cells/01-no-pool', summary: exhausted, pass: true, breakingRatePerSec: 39, predictedBreakingRatePerSec: 40, sustainedRatePerSec: 3.3 },
      { name: 'pool-10', overrides: {}, variant: 'pool-10', dir: 'cells/02-pool-10', summary: pooled, pass: true, breakingRatePerSec: 300, breakingRateAtLeast: true, predictedBreakingRatePerSec: null, sustainedRatePerSec: null },
    ],
  };
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openHtml(browser, renderCompareHtml(result), 'compare');
  assert.equal(await page.title(), 'portlab compare: pool');
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => ({
      id: svg.getAttribute('data-chart'),
      series: [...svg.querySelectorAll<SVGPathElement>('path.series')].map((p) => ({ id: p.getAttribute('data-series'), length: p.getTotalLength() })),
      bars: [...svg.querySelectorAll('rect.bar')].map((r) => ({ cell: r.getAttribute('data-cell'), width: r.getBoundingClientRect().width })),
      marks: [...svg.querySelectorAll('line.model-mark')].map((l) => ({ cell: l.getAttribute('data-cell'), height: l.getBoundingClientRect().height })),
    })),
  );
  assert.deepEqual(charts.map((c) => c.id), ['compare-time-wait', 'compare-errors', 'compare-breaking']);
  for (const chart of charts.slice(0, 2)) {
    assert.deepEqual(chart.series.map((s) => s.id), ['cell-2', 'cell-1'], `${chart.id}: one curve per cell`);
    for (const s of chart.series) assert.ok(s.length > 0, `${chart.id}/${s.id}: the curve has length on screen`);
  }
  const bars = charts[2]!;
  assert.deepEqual(bars.bars.map((b) => b.cell), ['no-pool', 'pool-10']);
  assert.ok(bars.bars[1]!.width > bars.bars[0]!.width * 5, 'the pool holds a far higher rate');
  assert.deepEqual(bars.marks.map((m) => m.cell), ['no-pool']);
  assert.ok(bars.marks[0]!.height > 10);
  assert.ok(await page.getByRole('link', { name: 'no-pool' }).isVisible());
  await page.screenshot({ path: `${ARTIFACTS}compare.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

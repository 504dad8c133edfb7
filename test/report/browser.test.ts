/**
 * Opens the rendered report.html in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core): no console or page errors, no network requests, every chart has drawn points, the onset
 * markers are on screen; a full-page screenshot is kept in results/test-artifacts/ for humans and CI.
 *
 * Skipped where /usr/bin/chromium (or $PORTLAB_CHROMIUM) is missing, except in CI (CI=true), where that is a failure: a browser
 * test that silently skips in CI proves nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { ARTIFACTS, browserMissing, launchBrowser, openHtml } from './browser-page.js';
import { loadFixture } from './fixture.js';

interface ChartInfo {
  id: string;
  width: number;
  series: { id: string; declared: number; inPath: number; length: number }[];
  dots: number;
  markers: { cls: string; height: number }[];
}

/** What the page actually drew, measured through the DOM (layout included). */
function inspectCharts(page: Page): Promise<ChartInfo[]> {
  return page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => ({
      id: svg.getAttribute('data-chart') ?? '',
      width: svg.getBoundingClientRect().width,
      series: [...svg.querySelectorAll<SVGPathElement>('path.series')].map((path) => ({
        id: path.getAttribute('data-series') ?? '',
        declared: Number(path.getAttribute('data-points')),
        inPath: (path.getAttribute('d') ?? '').split(/[ML]/).filter((s) => s.trim() !== '').length,
        length: path.getTotalLength(),
      })),
      dots: svg.querySelectorAll('circle.point').length,
      markers: [...svg.querySelectorAll('g.marker')].map((g) => ({
        cls: g.getAttribute('class') ?? '',
        height: g.getBoundingClientRect().height,
      })),
    })),
  );
}

function openReport(browser: Browser, summary: RunSummary, name: string): Promise<{ page: Page; problems: string[] }> {
  return openHtml(browser, renderHtml(summary), name);
}

test('report.html renders in Chromium: charts drawn, onset marked, no errors', { timeout: 120_000 }, async (t) => {
  const missing = browserMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const summary = await loadFixture('no-pooling');
  const { page, problems } = await openReport(browser, summary, 'report');
  assert.equal(await page.title(), 'portlab: no-pooling');
  const charts = await inspectCharts(page);
  assert.deepEqual(charts.map((c) => c.id), ['rates', 'occupancy', 'latency']);
  for (const chart of charts) {
    assert.ok(chart.width > 600, `${chart.id}: laid out ${chart.width}px wide`);
    assert.ok(chart.series.length >= 2, `${chart.id}: series`);
    for (const s of chart.series) {
      assert.ok(s.declared > 1, `${chart.id}/${s.id}: points`);
      assert.equal(s.inPath, s.declared, `${chart.id}/${s.id}: drawn points`);
      assert.ok(s.length > 0, `${chart.id}/${s.id}: the path has length on screen`);
    }
    assert.ok(chart.dots > 0, `${chart.id}: data points drawn as dots`);
  }
  const occupancy = charts.find((c) => c.id === 'occupancy')!;
  for (const cls of ['onset-measured', 'onset-predicted']) {
    const marker = occupancy.markers.find((m) => m.cls.split(' ').includes(cls));
    assert.ok(marker, `${cls} marker present`);
    assert.ok(marker.height > 100, `${cls} marker spans the plot (${marker.height}px)`);
  }
  // Visible to a reader too, not only in the DOM.
  // The fixture's onset came at 2001.7 ms, predicted at 2000 ms.
  assert.ok(await page.getByText('onset 2.0s').first().isVisible());
  assert.ok(await page.getByText('predicted 2.0s').first().isVisible());
  await page.screenshot({ path: `${ARTIFACTS}report.png`, fullPage: true });
  assert.deepEqual(problems, []);

  // The healthy run: no onset, so no markers, and still no errors.
  const pool = await openReport(browser, await loadFixture('keep-alive-pool'), 'report-keep-alive-pool');
  const poolCharts = await inspectCharts(pool.page);
  assert.equal(poolCharts.flatMap((c) => c.markers).length, 0);
  assert.ok(poolCharts.every((c) => c.series.some((s) => s.declared > 0)));
  await pool.page.screenshot({ path: `${ARTIFACTS}report-keep-alive-pool.png`, fullPage: true });
  assert.deepEqual(pool.problems, []);

  // A nat lab run adds the gateway's chart: drawn, with the NAT's ports and the onset on screen.
  const nat = await openReport(browser, await loadFixture('nat-exhaustion'), 'report-nat');
  const natChart = (await inspectCharts(nat.page)).find((c) => c.id === 'nat');
  assert.ok(natChart, 'the NAT chart is on the page');
  assert.ok(natChart.width > 600);
  for (const s of natChart.series) assert.ok(s.declared > 1 && s.inPath === s.declared && s.length > 0, `nat/${s.id}: drawn`);
  assert.ok(natChart.markers.some((m) => m.cls.split(' ').includes('onset-measured') && m.height > 100));
  assert.ok(await nat.page.getByText(/NAT ports per destination: 100/).first().isVisible());
  await nat.page.screenshot({ path: `${ARTIFACTS}report-nat.png`, fullPage: true });
  assert.deepEqual(nat.problems, []);
});

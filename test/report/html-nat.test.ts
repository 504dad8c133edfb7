/** The NAT chart of report.html, on a captured nat-exhaustion run (test/fixtures/runs/nat-exhaustion). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../src/report/html.js';
import { chartMarkup, pathPoints, tags, withClass } from './html-parse.js';
import { loadFixture } from './fixture.js';

test('a nat lab run gets the NAT chart: gateway entries against the NAT ports, beside client timeouts and drops', async () => {
  const summary = await loadFixture('nat-exhaustion');
  const html = renderHtml(summary);
  const list = tags(chartMarkup(html, 'nat'));
  const series = withClass(list, 'series');
  assert.deepEqual(series.map((t) => t.attrs['data-series']).sort(), ['client-timeouts', 'nat-drops', 'nat-held', 'nat-time-wait']);
  for (const path of series) {
    const points = Number(path.attrs['data-points']);
    assert.ok(points > 1, `${path.attrs['data-series']}: points`);
    assert.equal(pathPoints(path.attrs.d ?? ''), points);
  }
  const capacity = withClass(list, 'hline', 'nat-capacity');
  assert.equal(capacity.length, 1);
  assert.equal(Number(capacity[0]!.attrs['data-y']), summary.nat!.capacityPerDestination);
  assert.equal(withClass(list, 'marker', 'onset-measured').length, 1);
  assert.match(html, /<figure class="chart-figure" id="figure-nat"/);
});

test('runs outside the nat lab have no NAT chart', async () => {
  assert.doesNotMatch(renderHtml(await loadFixture('no-pooling')), /figure-nat|data-chart="nat"/);
});

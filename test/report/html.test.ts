import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../src/report/html.js';
import { chartMarkup, pathPoints, tags, withClass } from './html-parse.js';
import { loadFixture, longRun, withFailedExpectation, withHostileText } from './fixture.js';

const CHARTS = ['rates', 'occupancy', 'latency'];

test('the page is self-contained: no script, nothing fetched, one inline style', async () => {
  const html = renderHtml(await loadFixture('no-pooling'));
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<(link|img|iframe|object|embed)\b/i);
  const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
  assert.ok(urls.length > 0 && urls.every((u) => u === 'http://www.w3.org/2000/svg'), `only the SVG namespace: ${urls.join(', ')}`);
  assert.doesNotMatch(html, /\b(src|href)=/i);
  assert.doesNotMatch(html, /url\(/i);
  assert.equal(tags(html).filter((t) => t.name === 'style' && !t.closing).length, 1);
});

test('the header shows scenario, lab, sysctls, diagnosis, expectations, totals, latency and the prediction', async () => {
  const summary = await loadFixture('no-pooling');
  const html = renderHtml(summary);
  assert.match(html, /<h1><span class="brand">portlab<\/span> no-pooling<\/h1>/);
  assert.ok(html.includes(summary.scenario.description));
  // Rendering only: the fixture's diagnosis was written when it was captured; the pipeline tests guard the wording.
  assert.ok(html.includes(summary.diagnosis));
  assert.match(html, /<th scope="row">net\.ipv4\.tcp_tw_reuse<\/th><td>0<\/td>/);
  assert.equal(withClass(tags(html), 'badge', 'pass').length, 3);
  // 300 of 500 attempts failed.
  assert.ok(html.includes('<th scope="row">EADDRNOTAVAIL</th><td>connect</td><td>300</td><td>60%</td>'));
  assert.ok(html.includes('<th scope="row">connect</th><td>500</td><td>297µs</td><td>394µs</td><td>545µs</td><td>1.9ms</td><td>317µs</td>'));
  assert.ok(html.includes('<td>40000 40199</td>'));
  assert.ok(html.includes('<th scope="row">First failure</th><td>EADDRNOTAVAIL at 2.0s</td><td>2.0s</td>'));
  assert.ok(html.includes('<th scope="row">Arrival rate then</th><td>100/s</td><td>sustainable up to 3.33/s</td>'));
  assert.ok(html.includes('<th scope="row">Ports in use then</th><td>200 of 200 ports (100%)</td><td>needs 6,000 of 200 usable (200 ports × 1 tuple)</td>'));
  assert.match(html, /class="verdict pass"/);
});

test('the occupancy chart\'s guide gives TIME_WAIT\'s length on Linux, the OS of every lab', async () => {
  const html = renderHtml(await loadFixture('no-pooling'));
  assert.ok(
    html.includes(
      '<figcaption>Client TIME_WAIT climbing to the port-range line is ephemeral-port exhaustion; each socket holds its port for 60 s.</figcaption>',
    ),
  );
});

test('each chart is an accessible SVG with axes, a legend and series that have points', async () => {
  const html = renderHtml(await loadFixture('no-pooling'));
  for (const id of CHARTS) {
    const svg = chartMarkup(html, id);
    const list = tags(svg);
    const root = list[0]!;
    assert.equal(root.attrs.role, 'img', id);
    assert.match(root.attrs['aria-labelledby'] ?? '', new RegExp(`chart-${id}-title chart-${id}-desc`));
    assert.match(svg, new RegExp(`<title id="chart-${id}-title">[^<]+</title>`));
    const series = withClass(list, 'series');
    assert.ok(series.length >= 2, `${id}: series`);
    for (const path of series) {
      const points = Number(path.attrs['data-points']);
      assert.ok(points > 0, `${id}/${path.attrs['data-series']}: has points`);
      assert.equal(pathPoints(path.attrs.d ?? ''), points, `${id}/${path.attrs['data-series']}: d matches data-points`);
    }
    assert.ok(withClass(list, 'legend-item').length >= series.length, `${id}: legend`);
    assert.ok(withClass(list, 'tick').length >= 6, `${id}: tick labels`);
    assert.equal(withClass(list, 'axis-label').length >= 2, true, `${id}: axis labels`);
  }
});

test('the occupancy chart marks the port range, the measured and the predicted onset', async () => {
  const summary = await loadFixture('no-pooling');
  const list = tags(chartMarkup(renderHtml(summary), 'occupancy'));
  const measured = withClass(list, 'marker', 'onset-measured');
  const predicted = withClass(list, 'marker', 'onset-predicted');
  assert.equal(measured.length, 1);
  assert.equal(Number(measured[0]!.attrs['data-x-sec']), summary.onset!.atMs / 1000);
  assert.equal(predicted.length, 1);
  assert.equal(Number(predicted[0]!.attrs['data-x-sec']), summary.onset!.predictedAtMs! / 1000);
  const range = withClass(list, 'hline', 'port-range');
  assert.equal(range.length, 1);
  assert.equal(Number(range[0]!.attrs['data-y']), summary.lab.portRange.size);
  const ids = withClass(list, 'series').map((t) => t.attrs['data-series']);
  assert.deepEqual(ids.sort(), ['client-time-wait', 'ports-in-use', 'server-time-wait', 'time-wait-total']);
});

test('rates chart has one series per error code; latency chart has a right axis in %', async () => {
  const html = renderHtml(await loadFixture('no-pooling'));
  const rates = withClass(tags(chartMarkup(html, 'rates')), 'series').map((t) => t.attrs['data-series']);
  assert.deepEqual(rates.sort(), ['attempts', 'connected', 'error-EADDRNOTAVAIL']);
  const latency = tags(chartMarkup(html, 'latency'));
  assert.equal(withClass(latency, 'y-axis', 'right').length, 1);
  const full = withClass(latency, 'series').find((t) => t.attrs['data-series'] === 'range-full');
  assert.equal(full?.attrs['data-axis'], 'right');
});

test('the latency chart shows how late starts were, when the run recorded it', async () => {
  const summary = await loadFixture('no-pooling');
  const lagSeries = (s: typeof summary): string[] =>
    withClass(tags(chartMarkup(renderHtml(s), 'latency')), 'series')
      .map((t) => t.attrs['data-series'] ?? '')
      .filter((id) => id === 'lag-p99');
  assert.deepEqual(lagSeries(summary), ['lag-p99']);
  const older = structuredClone(summary);
  for (const interval of older.intervals) delete interval.scheduleLagUs;
  assert.deepEqual(lagSeries(older), [], 'runs without per-interval lag still render');
});

test('a run without onset has no onset markers, and a pool gets a requests/s line', async () => {
  const html = renderHtml(await loadFixture('keep-alive-pool'));
  assert.equal(withClass(tags(html), 'marker').length, 0);
  const rates = withClass(tags(chartMarkup(html, 'rates')), 'series').map((t) => t.attrs['data-series']);
  assert.ok(rates.includes('requests'));
});

test('a predicted onset after the run ends is labelled at the edge, not drawn off the chart', async () => {
  const summary = await loadFixture('no-pooling');
  summary.onset!.predictedAtMs = 12_000;
  const list = tags(chartMarkup(renderHtml(summary), 'occupancy'));
  const predicted = withClass(list, 'marker', 'onset-predicted');
  assert.equal(predicted[0]?.attrs['data-outside'], 'true');
});

test('scenario names and descriptions are escaped everywhere', async () => {
  const html = renderHtml(withHostileText(withFailedExpectation(await loadFixture('no-pooling'))));
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | pipes'));
  assert.match(html, /<title>portlab: &lt;script&gt;/);
  assert.ok(html.includes('peak client TIME_WAIT 200 &gt; 100 &lt;limit&gt; &amp; &quot;quoted&quot;'));
  assert.match(html, /class="verdict fail"/);
  assert.equal(withClass(tags(html), 'badge', 'fail').length, 1);
});

test('a 10-minute run stays light: at most 600 points per series, peaks kept', async () => {
  const html = renderHtml(longRun(await loadFixture('no-pooling')));
  for (const id of CHARTS) {
    for (const path of withClass(tags(chartMarkup(html, id)), 'series')) {
      const points = Number(path.attrs['data-points']);
      assert.ok(points > 0 && points <= 600, `${id}/${path.attrs['data-series']}: ${points} points`);
    }
  }
  // The one-interval ECONNREFUSED burst is still drawn: its series reaches the top of the chart (lowest y).
  const refused = withClass(tags(chartMarkup(html, 'rates')), 'series').find((t) => t.attrs['data-series'] === 'error-ECONNREFUSED')!;
  const ys = [...refused.attrs.d!.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
  const zeroY = Math.max(...ys);
  assert.equal(ys.filter((y) => y < zeroY).length, 1, 'exactly one bucket above zero');
  assert.ok(html.length < 600_000, `page size ${html.length}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripAnsi, visibleLength } from '../../src/report/ansi.js';
import { formatAtMs, formatCount, formatLatencyUs } from '../../src/report/format.js';
import { renderComparison, renderTerminalSummary } from '../../src/report/terminal.js';
import { loadFixture, withFailedExpectation } from './fixture.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the summary leads with the onset: time, TIME_WAIT, ports in use, rate and the prediction', async () => {
  const summary = await loadFixture('no-pooling');
  const { onset, peak, totals, lab } = summary;
  const connect = summary.latency.connectUs!;
  const text = renderTerminalSummary(summary, { color: false });
  const n = summary.expectations.length;
  assert.ok(text.startsWith(`portlab · no-pooling · passed (${n}/${n})\n`));
  const at = `EADDRNOTAVAIL at ${formatAtMs(onset!.atMs)} (predicted ${formatAtMs(onset!.predictedAtMs!)})`;
  assert.match(text, new RegExp(`Onset +${escape(at)}: client TIME_WAIT ${formatCount(onset!.clientTimeWait)}, ports in use ${formatCount(onset!.portsInUse)} of ${formatCount(lab.portRange.size)} ports \\([\\d.]+%\\), rate [\\d.,]+/s`));
  assert.match(text, new RegExp(`Peak +client TIME_WAIT ${formatCount(peak.clientTimeWait)} of ${formatCount(lab.portRange.size)} ports \\([\\d.]+%\\) [▁▂▃▄▅▆▇█]+\n`));
  assert.match(text, new RegExp(`Errors +EADDRNOTAVAIL ${formatCount(totals.errors.EADDRNOTAVAIL!)}`));
  const percentiles = (['p50', 'p90', 'p99', 'max'] as const).map((k) => `${k} ${formatLatencyUs(connect[k])}`).join(', ');
  assert.ok(text.includes(`connect ${percentiles}`));
  for (const e of summary.expectations) assert.ok(text.includes(`✓ ${e.name} — ${e.detail}`));
  const firstWords = summary.diagnosis.split(' ').slice(0, 4).join(' ');
  assert.match(text, new RegExp(`Diagnosis +${escape(firstWords)}`));
  assert.equal(text, stripAnsi(text), 'no escape codes without color');
  for (const line of text.split('\n')) assert.ok(visibleLength(line) <= 140, `line too long: ${line}`);
});

test('without onset it says so; with color the failure is red', async () => {
  assert.match(renderTerminalSummary(await loadFixture('keep-alive-pool'), { color: false }), /Onset +no exhaustion \(predicted: none\)/);
  const colored = renderTerminalSummary(withFailedExpectation(await loadFixture('no-pooling')), { color: true });
  assert.notEqual(colored, stripAnsi(colored));
  const total = (await loadFixture('no-pooling')).expectations.length + 1;
  assert.ok(colored.includes(`\x1b[31m\x1b[1mFAILED (1/${total} failed)`), 'FAILED in bold red');
  assert.match(stripAnsi(colored), /✗ maxClientTimeWait: 100 — peak client TIME_WAIT 200 > 100/);
});

test('the diagnosis wraps to the given width', async () => {
  const text = renderTerminalSummary(await loadFixture('no-pooling'), { color: false, width: 60 });
  const start = text.indexOf('Diagnosis');
  const lines = text.slice(start).trimEnd().split('\n');
  assert.ok(lines.length >= 5);
  for (const line of lines) assert.ok(visibleLength(line) <= 60 + 2, line);
});

test('the comparison puts runs side by side, one aligned column each', async () => {
  const runs = [await loadFixture('no-pooling'), await loadFixture('keep-alive-pool')];
  const text = renderComparison(runs);
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0]!, /^ +no-pooling +keep-alive-pool$/);
  const col2 = lines[0]!.indexOf('keep-alive-pool');
  const onset = lines.find((l) => l.startsWith('First failure (onset)'))!;
  assert.equal(onset.indexOf('none (predicted none)'), col2, 'second column aligned');
  assert.match(onset, /^First failure \(onset\) +EADDRNOTAVAIL at \d/);
  assert.match(lines.find((l) => l.startsWith('Errors'))!, /EADDRNOTAVAIL [\d,]+ +none$/);
  assert.match(lines.find((l) => l.startsWith('Model says'))!, /exhausts +does not exhaust/);
  assert.equal(renderComparison([]), '');
});

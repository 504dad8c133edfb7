import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripAnsi, visibleLength } from '../../src/report/ansi.js';
import { ProgressReporter, renderProgressLine, type ProgressState } from '../../src/report/progress.js';

const state = (patch: Partial<ProgressState> = {}): ProgressState => ({
  elapsedMs: 2300,
  totalMs: 5000,
  ratePerSec: 100,
  connectedPerSec: 0,
  errorsPerSec: { EADDRNOTAVAIL: 100 },
  clientTimeWait: 100,
  portRangeSize: 200,
  onsetAtMs: null,
  ...patch,
});

test('the line shows time, rates, errors by code and TIME_WAIT against the range', () => {
  const line = renderProgressLine(state({ onsetAtMs: 2003 }), { width: 200, color: false });
  assert.equal(line.replace(/[█░]+/, 'BAR'), '2.3s/5.0s  rate 100/s  connected 0/s  EADDRNOTAVAIL 100/s  TIME_WAIT 100/200 (50%) BAR  onset 2.0s');
});

test('the bar is filled in proportion to client TIME_WAIT / port range', () => {
  for (const [tw, filledShare] of [[0, 0], [100, 0.5], [200, 1], [500, 1]] as const) {
    const line = renderProgressLine(state({ clientTimeWait: tw }), { width: 200, color: false });
    const bar = /([█░]+)$/.exec(line)![1]!;
    const filled = [...bar].filter((c) => c === '█').length;
    assert.equal(filled, Math.round(filledShare * bar.length), `tw ${tw}`);
  }
});

test('the line never exceeds the width, colored or not', () => {
  for (const width of [120, 80, 60, 40, 20]) {
    for (const color of [false, true]) {
      const line = renderProgressLine(state({ onsetAtMs: 2003, errorsPerSec: { EADDRNOTAVAIL: 90, ECONNREFUSED: 3 } }), { width, color });
      assert.ok(visibleLength(line) <= width, `width ${width}: ${visibleLength(line)} "${stripAnsi(line)}"`);
    }
  }
  assert.ok(renderProgressLine(state(), { width: 200, color: true }).includes('\x1b['), 'colored');
});

test('on a TTY each update rewrites the one line; finish clears it', () => {
  const out: string[] = [];
  const reporter = new ProgressReporter({ write: (t) => out.push(t), isTTY: true, now: () => 0, columns: 100 });
  reporter.update(state());
  reporter.update(state({ elapsedMs: 2550 }));
  assert.equal(out.length, 2);
  for (const chunk of out) {
    assert.ok(chunk.startsWith('\r\x1b[2K'));
    assert.ok(!chunk.includes('\n'));
    assert.ok(visibleLength(chunk.slice(5)) < 100);
  }
  reporter.finish();
  assert.equal(out.at(-1), '\r\x1b[2K');
});

test('off a TTY one plain line every few seconds, and the onset at once', () => {
  const out: string[] = [];
  let now = 0;
  const reporter = new ProgressReporter({ write: (t) => out.push(t), isTTY: false, now: () => now, quietIntervalMs: 5000 });
  for (let t = 0; t <= 12_000; t += 250) {
    now = t;
    reporter.update(state({ elapsedMs: t, onsetAtMs: t >= 2000 ? 2003 : null }));
  }
  // At 0 (first), 2000 (onset), 7000 and 12000 (every 5 s since the last line).
  assert.deepEqual(out.map((l) => /^progress (\S+)\//.exec(l)?.[1]), ['0.0s', '2.0s', '7.0s', '12.0s']);
  for (const line of out) {
    assert.ok(line.endsWith('\n') && !line.includes('\r') && line === stripAnsi(line));
    assert.ok(!line.includes('█'), 'no bar in the quiet line');
  }
  reporter.finish();
  assert.equal(out.length, 4, 'finish writes nothing off a TTY');
});

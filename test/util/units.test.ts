/** The unit parsers (util/units.ts): what users write in scenario files and flags, values written out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDurationMs, formatRate, parseDurationMs, parsePortRange, parseRatePerSec, trimNumber, type Parsed } from '../../src/util/units.js';

function valueOf<T>(parsed: Parsed<T>): T {
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.value;
}

function messageOf<T>(parsed: Parsed<T>): string {
  assert.equal(parsed.ok, false, 'expected a refusal');
  return parsed.ok ? '' : parsed.message;
}

test('durations: ms, s, m, h, decimals and spaces', () => {
  const cases: [string, number][] = [
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['0.25m', 15_000],
    [' 10s ', 10_000],
    ['10 s', 10_000],
    ['0s', 0],
    // Rounded to whole milliseconds.
    ['1.4ms', 1],
    ['0.0004s', 0],
  ];
  for (const [text, ms] of cases) assert.equal(valueOf(parseDurationMs(text)), ms, text);
});

test('durations that are refused: no unit, unknown or upper-case units, other number forms', () => {
  for (const text of ['10', '', 's', '10S', '10sec', '1d', '1e3ms', '.5s', '5.s', '1,5s', '10s10ms', 'ten s']) {
    assert.equal(parseDurationMs(text).ok, false, JSON.stringify(text));
  }
});

test('a negative duration is refused with its own message', () => {
  assert.match(messageOf(parseDurationMs('-5s')), /negative/);
  assert.doesNotMatch(messageOf(parseDurationMs('5x')), /negative/);
});

test('rates: per ms, s, sec, m, min, h, and bare numbers per second', () => {
  const cases: [string | number, number][] = [
    ['100/s', 100],
    ['5/sec', 5],
    ['6000/m', 100],
    ['6000/min', 100],
    ['3600/h', 1],
    ['2/ms', 2000],
    [' 100 / s ', 100],
    ['2.5/s', 2.5],
    ['100', 100],
    ['0.5', 0.5],
    [100, 100],
    [0, 0],
    // Positivity is the schema's rule, not the parser's.
    [-5, -5],
  ];
  for (const [input, perSec] of cases) assert.equal(valueOf(parseRatePerSec(input)), perSec, String(input));
});

test('rates that are refused', () => {
  for (const input of ['', '/s', '100/', '100/d', '100/S', '-5/s', '100 per second', '1e3/s', 'fast', NaN, Infinity, -Infinity]) {
    assert.equal(parseRatePerSec(input).ok, false, String(input));
  }
});

test('port ranges: the kernel\'s "LOW HIGH" (spaces or a tab) and the CLI\'s "LOW-HIGH"', () => {
  const cases: [string, { low: number; high: number; size: number }][] = [
    ['40000 40199', { low: 40000, high: 40199, size: 200 }],
    ['40000\t40199', { low: 40000, high: 40199, size: 200 }],
    ['40000-40199', { low: 40000, high: 40199, size: 200 }],
    ['40000 - 40199', { low: 40000, high: 40199, size: 200 }],
    ['  32768   60999\n', { low: 32768, high: 60999, size: 28_232 }],
    ['1 65535', { low: 1, high: 65535, size: 65_535 }],
    ['40000 40000', { low: 40000, high: 40000, size: 1 }],
  ];
  for (const [text, range] of cases) assert.deepEqual(valueOf(parsePortRange(text)), range, JSON.stringify(text));
});

test('port ranges that are refused: outside 1..65535, reversed, one number, other separators', () => {
  for (const input of ['0 100', '1 65536', '40199 40000', '40000', '40000-', '-40000', '40000,40199', '40000 40199 40300', 'a-b', '40000.5 40199', '', 40000]) {
    assert.equal(parsePortRange(input).ok, false, JSON.stringify(input));
  }
});

test('formatDurationMs writes durations the way users write them', () => {
  const cases: [number, string][] = [
    [0, '0ms'],
    [250, '250ms'],
    [999.4, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [2104.2, '2.1s'],
    [59_999, '60s'],
    [60_000, '1m'],
    [90_000, '90s'],
    [120_000, '2m'],
    [3_600_000, '60m'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDurationMs(ms), text, String(ms));
  // Each written form parses back to the same value.
  for (const ms of [250, 1500, 60_000, 120_000]) assert.equal(valueOf(parseDurationMs(formatDurationMs(ms))), ms);
});

test('formatRate and trimNumber: at most the given decimals, no trailing zero, thousands separated', () => {
  assert.equal(formatRate(100), '100/s');
  assert.equal(formatRate(470.5333), '470.5/s');
  assert.equal(formatRate(3.3333), '3.3/s');
  assert.equal(formatRate(1234.56), '1,234.6/s');
  assert.equal(trimNumber(2.04), '2');
  assert.equal(trimNumber(3.3333, 2), '3.33');
  assert.equal(trimNumber(6000, 0), '6,000');
  assert.equal(trimNumber(28_232.4, 0), '28,232');
});

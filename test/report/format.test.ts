/** The number formats every renderer shares (report/format.ts), values written out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, escapeXml, formatAtMs, formatCount, formatErrors, formatLatencyUs, formatPct, sortedErrorCodes } from '../../src/report/format.js';

test('formatCount: whole, with thousands separators', () => {
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(999.5), '1,000');
  assert.equal(formatCount(12_345), '12,345');
  assert.equal(formatCount(1_234_567.4), '1,234,567');
});

test('formatLatencyUs: µs below 1 ms, ms below 1 s, then seconds', () => {
  assert.equal(formatLatencyUs(95), '95µs');
  assert.equal(formatLatencyUs(999.4), '999µs');
  assert.equal(formatLatencyUs(1000), '1ms');
  assert.equal(formatLatencyUs(1520), '1.5ms');
  assert.equal(formatLatencyUs(999_000), '999ms');
  assert.equal(formatLatencyUs(1_000_000), '1s');
  assert.equal(formatLatencyUs(2_345_678), '2.35s');
});

test('formatAtMs: one decimal of seconds, whole durations past 2 minutes', () => {
  assert.equal(formatAtMs(0), '0.0s');
  assert.equal(formatAtMs(2001.66), '2.0s');
  assert.equal(formatAtMs(2050), '2.0s');
  assert.equal(formatAtMs(2051), '2.1s');
  assert.equal(formatAtMs(119_999), '120.0s');
  assert.equal(formatAtMs(120_000), '2m');
  assert.equal(formatAtMs(150_400), '150s');
});

test('formatPct: one decimal below 10%, whole from there', () => {
  assert.equal(formatPct(0), '0%');
  assert.equal(formatPct(0.54), '0.5%');
  assert.equal(formatPct(9.96), '10%');
  assert.equal(formatPct(60), '60%');
  assert.equal(formatPct(99.6), '100%');
  // No thousands separator: a model's 3000% reads as one number in a table cell.
  assert.equal(formatPct(3000), '3000%');
});

test('error codes: most frequent first, ties by name, zeros left out', () => {
  const errors = { ECONNREFUSED: 2, EADDRNOTAVAIL: 300, ETIMEDOUT: 2, EADDRINUSE: 0 };
  assert.deepEqual(sortedErrorCodes(errors), ['EADDRNOTAVAIL', 'ECONNREFUSED', 'ETIMEDOUT']);
  assert.equal(formatErrors(errors), 'EADDRNOTAVAIL 300, ECONNREFUSED 2, ETIMEDOUT 2');
  assert.equal(formatErrors({ EADDRNOTAVAIL: 12_000 }), 'EADDRNOTAVAIL 12,000');
  assert.equal(formatErrors({}), 'none');
  assert.equal(formatErrors({ EADDRINUSE: 0 }), 'none');
});

test('escaping: HTML entities, and XML also drops the control characters it cannot carry', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(escapeXml('bell\u0007 tab\t nl\n esc\u001b'), 'bell\uFFFD tab\t nl\n esc\uFFFD');
});

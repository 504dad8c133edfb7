import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorEnabled } from '../../src/report/ansi.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

test('a terminal gets colour; a pipe, a file or a stream that does not say gets none', () => {
  assert.equal(colorEnabled(tty, {}), true);
  assert.equal(colorEnabled(pipe, {}), false);
  assert.equal(colorEnabled({}, {}), false);
});

test('NO_COLOR with any non-empty value turns colour off; empty means unset (no-color.org)', () => {
  for (const value of ['1', '0', 'false', 'yes', ' ']) assert.equal(colorEnabled(tty, { NO_COLOR: value }), false, JSON.stringify(value));
  assert.equal(colorEnabled(tty, { NO_COLOR: '' }), true);
  assert.equal(colorEnabled(tty, { TERM: 'dumb' }), false);
});

test('FORCE_COLOR forces colour on (even into a pipe, even with NO_COLOR), and 0/false forces it off', () => {
  for (const value of ['', '1', '2', '3', 'true']) {
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: value }), true, JSON.stringify(value));
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: value, NO_COLOR: '1' }), true, JSON.stringify(value));
  }
  for (const value of ['0', 'false']) assert.equal(colorEnabled(tty, { FORCE_COLOR: value }), false, value);
});

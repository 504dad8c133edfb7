import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCheck, evaluateValue, ExpressionError, formatFigure, parseCheck, parseValue, refsOf, type FigureLookup } from '../../src/claims/expression.js';
import type { FigureValue } from '../../src/claims/types.js';

const FIGURES: Record<string, Record<string, FigureValue>> = {
  'fin-timeout=60': { connected: 100, onsetMs: 1000, failure: null },
  'fin-timeout=1': { connected: 100, onsetMs: 1080, failure: null },
  recycle: { failure: 'SYSCTL_REFUSED', onsetMs: null },
};
const lookup: FigureLookup = (figure, cell) => FIGURES[cell ?? 'fin-timeout=60']?.[figure] ?? null;

test('arithmetic follows precedence: * / mod before + -, parentheses first, unary minus', () => {
  assert.equal(evaluateValue(parseValue('1 + 2 * 3'), lookup), 7);
  assert.equal(evaluateValue(parseValue('(1 + 2) * 3'), lookup), 9);
  assert.equal(evaluateValue(parseValue('1000 * connected[fin-timeout=60] / 200'), lookup), 500);
  assert.equal(evaluateValue(parseValue('28232 mod 2'), lookup), 0);
  assert.equal(evaluateValue(parseValue('11 mod 2 - 1'), lookup), 0);
  assert.equal(evaluateValue(parseValue('-3 + 5'), lookup), 2);
});

test('a figure alone reads the only cell; none, strings and division by 0 have no number', () => {
  assert.equal(evaluateValue(parseValue('connected'), lookup), 100);
  assert.equal(evaluateValue(parseValue('none'), lookup), null);
  assert.equal(evaluateValue(parseValue('SYSCTL_REFUSED'), lookup), 'SYSCTL_REFUSED');
  assert.equal(evaluateValue(parseValue('onsetMs[recycle] + 1'), lookup), null);
  assert.equal(evaluateValue(parseValue('failure[recycle] * 2'), lookup), null);
  assert.equal(evaluateValue(parseValue('1 / 0'), lookup), null);
});

test('comparisons: == and != on any value, ordering only between numbers', () => {
  const run = (text: string) => evaluateCheck(parseCheck(text), lookup);
  assert.deepEqual(run('connected[fin-timeout=1] == connected[fin-timeout=60]'), { pass: true, detail: '100 == 100' });
  assert.deepEqual(run('failure[recycle] == SYSCTL_REFUSED'), { pass: true, detail: 'SYSCTL_REFUSED == SYSCTL_REFUSED' });
  assert.deepEqual(run('failure[fin-timeout=1] == none'), { pass: true, detail: 'none == none' });
  assert.deepEqual(run('onsetMs[recycle] != none'), { pass: false, detail: 'none != none' });
  assert.deepEqual(run('onsetMs[recycle] < 5'), { pass: false, detail: 'none < 5' });
  assert.deepEqual(run('connected[fin-timeout=1] > 1.5 * connected[fin-timeout=60]'), { pass: false, detail: '100 > 150' });
  assert.deepEqual(run('connected >= 100'), { pass: true, detail: '100 >= 100' });
});

test('within N% of: the distance relative to the right side', () => {
  const run = (text: string) => evaluateCheck(parseCheck(text), lookup);
  assert.deepEqual(run('onsetMs[fin-timeout=1] within 10% of onsetMs[fin-timeout=60]'), { pass: true, detail: '1,080 vs 1,000: 8.0% apart, at most 10%' });
  assert.deepEqual(run('onsetMs[fin-timeout=1] within 5% of onsetMs[fin-timeout=60]'), { pass: false, detail: '1,080 vs 1,000: 8.0% apart, at most 5%' });
  assert.deepEqual(run('onsetMs[recycle] within 5% of 1000'), { pass: false, detail: 'none vs 1,000: not two numbers' });
  assert.deepEqual(run('0 within 5% of 0'), { pass: true, detail: '0 vs 0: 0.0% apart, at most 5%' });
});

test('references are listed with their cells, for the loader to check', () => {
  const refs = refsOf(parseCheck('connected[a] + onsetMs within 5% of 2 * held[b c]'));
  assert.deepEqual(refs.map((r) => [r.figure, r.cell, r.offset]), [['connected', 'a', 0], ['onsetMs', null, 15], ['held', 'b c', 40]]);
});

test('a check that does not parse says what and where (0-based offset)', () => {
  const fail = (text: string): [string, number] => {
    try {
      parseCheck(text);
    } catch (err) {
      assert.ok(err instanceof ExpressionError);
      return [err.message, err.offset];
    }
    throw new Error(`parsed: ${text}`);
  };
  assert.deepEqual(fail('connected[a]'), ['expected ==, !=, <, <=, >, >= or "within N% of"; found the end', 12]);
  assert.deepEqual(fail('connected[a] = 5'), ['unexpected "="', 13]);
  assert.deepEqual(fail('connected[a == 5'), ['"[" without its "]"', 9]);
  assert.deepEqual(fail('connected[] == 5'), ['"[]" names no cell', 9]);
  assert.deepEqual(fail('a within 10 of b'), ['expected "%" after 10', 12]);
  assert.deepEqual(fail('a within 10% b'), ['expected "of" after "within 10%"', 13]);
  assert.deepEqual(fail('a == 1 2'), ['unexpected "2" after the end of the check', 7]);
  assert.deepEqual(fail('(a == 1'), ['expected ")", found "=="', 3]);
  assert.deepEqual(fail('== 1'), ['expected a number, a figure like connected[CELL], none or an error code; found "=="', 0]);
});

test('figures print as people read them', () => {
  assert.equal(formatFigure(28232), '28,232');
  assert.equal(formatFigure(1.2345), '1.23');
  assert.equal(formatFigure(123.456), '123');
  assert.equal(formatFigure(null), 'none');
  assert.equal(formatFigure('EADDRINUSE'), 'EADDRINUSE');
});

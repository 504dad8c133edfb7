import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, formatValue, ratio, renderReport, renderRows, verdictOf, type BenchRow } from '../../bench/table.js';

const row = (value: number | null, target?: BenchRow['target'], unit = 'starts/s'): BenchRow => ({ section: 'S', name: 'n', value, unit, target });

test('ratio divides, and is null for a missing or zero denominator', () => {
  assert.equal(ratio(20_000, 8_000), 2.5);
  assert.equal(ratio(20_000, null), null);
  assert.equal(ratio(null, 5), null);
  assert.equal(ratio(1, 0), null);
});

test('verdictOf says pass or miss and by how much, both directions of target', () => {
  assert.deepEqual(verdictOf(row(24_000, { op: '>=', value: 20_000 })), { status: 'pass', by: '+20% margin' });
  assert.deepEqual(verdictOf(row(14_000, { op: '>=', value: 20_000 })), { status: 'miss', by: '-6,000 starts/s (-30%)' });
  assert.deepEqual(verdictOf(row(115, { op: '<=', value: 100 }, 'ms')), { status: 'miss', by: '+15.0 ms (+15%)' });
  assert.deepEqual(verdictOf(row(40, { op: '<=', value: 50 }, 'us')), { status: 'pass', by: '-20% margin' });
  assert.deepEqual(verdictOf(row(99.7, { op: '<=', value: 100 }, 'ms')), { status: 'pass', by: '-0.3% margin' });
  assert.deepEqual(verdictOf(row(0.8, { op: '>=', value: 1 }, '×')), { status: 'miss', by: '-0.20× (-20%)' });
  assert.deepEqual(verdictOf(row(null, { op: '>=', value: 1 })), { status: '', by: '' });
  assert.deepEqual(verdictOf({ ...row(900, { op: '<=', value: 1000 }, 'MiB'), estimated: true }), { status: 'pass', by: 'estimate; -10% margin' });
  assert.deepEqual(verdictOf(row(5)), { status: '', by: '' });
});

test('numbers read well: separators above 100, a few significant digits below', () => {
  assert.equal(formatNumber(23_456.7), '23,457');
  assert.equal(formatNumber(12.34), '12.3');
  assert.equal(formatNumber(3.14159), '3.14');
  assert.equal(formatNumber(0.0123), '0.012');
  assert.equal(formatValue(null, 'ms'), '—');
  assert.equal(formatValue(2.5, '×'), '2.50×');
});

test('renderRows: one table per section, cells escaped, target and result columns filled', () => {
  const md = renderRows([
    { section: 'A', name: 'x | y', value: 25_000, unit: 'starts/s', target: { op: '>=', value: 20_000 }, note: 'n1' },
    { section: 'B', name: 'z', value: null, unit: 'ms', note: 'not installed' },
  ]);
  assert.match(md, /### A\n\n\| Measure \| Value \| Target \| Result \| Note \|/);
  assert.match(md, /\| x \\\| y \| 25,000 starts\/s \| >= 20,000 starts\/s \| pass \(\+25% margin\) \| n1 \|/);
  assert.match(md, /### B[\s\S]*\| z \| — \| {2}\| {2}\| not installed \|/);
});

test('renderReport counts targets met and names the missed ones', () => {
  const md = renderReport({
    date: '2026-11-21 10:00',
    command: 'npm run bench',
    machine: { nproc: 2, cpuModel: 'AMD EPYC', kernel: '6.18', node: 'v20.20.2', memGiB: 24 },
    durationS: 500,
    rows: [row(25_000, { op: '>=', value: 20_000 }), { ...row(200, { op: '<=', value: 100 }, 'ms'), name: 'parse' }],
    notes: ['how'],
  });
  assert.match(md, /2 × AMD EPYC, 24 GiB, Linux 6.18, Node v20.20.2/);
  assert.match(md, /Targets: 1 of 2 met; missed: parse\./);
  assert.match(md, /- how/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordKeyTable } from '../../src/sampler/tuple-table.js';

test('ids are dense, stable per key, and survive growing the table', () => {
  const table = new WordKeyTable(3, 4);
  const idOf = (a: number, b: number, c: number): number => {
    table.key.set([a, b, c]);
    return table.idOf();
  };
  // Words above 2^31 (an address whose last octet is >= 128) are keys like any other.
  assert.equal(idOf(0x0100007f, 0xc0a80180, 9000), 0);
  assert.equal(idOf(0x0100007f, 0xc0a80180, 9001), 1);
  assert.equal(idOf(0x0100007f, 0xc0a80180, 9000), 0);
  for (let i = 0; i < 1000; i++) assert.equal(idOf(i, 0xffffffff, i % 7), i + 2);
  assert.equal(table.size, 1002);
  assert.equal(idOf(0x0100007f, 0xc0a80180, 9001), 1);
  assert.equal(idOf(999, 0xffffffff, 999 % 7), 1001);
  assert.deepEqual(table.keyOf(1), [0x0100007f, 0xc0a80180, 9001]);
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readProcText } from '../../src/util/read-proc.js';

test('readProcText reads a procfs file (size 0 in stat) whole, like readFileSync', () => {
  for (const path of ['/proc/self/limits', '/proc/version']) assert.equal(readProcText(path), readFileSync(path, 'utf8'), path);
  assert.match(readProcText('/proc/net/sockstat'), /^sockets: used \d+/);
});

test('readProcText grows past its first buffer and keeps every byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portlab-read-proc-'));
  const path = join(dir, 'big.txt');
  const text = Array.from({ length: 40_000 }, (_, i) => `${String(i).padStart(6, '0')}: ${'x'.repeat(60)}\n`).join('');
  writeFileSync(path, text);
  assert.ok(text.length > 2 * (1 << 20));
  assert.equal(readProcText(path), text);
  assert.equal(readProcText(path).length, text.length, 'a second read into the grown buffer');
});

test('a missing file throws ENOENT, as the sampler expects for an absent tcp6', () => {
  assert.throws(() => readProcText('/proc/net/no-such-file'), { code: 'ENOENT' });
});

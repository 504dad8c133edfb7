/** The results folder is reserved exclusively and proven writable before a run; files are written whole. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPortlabError } from '../../src/errors/index.js';
import { releaseRunDir, reserveRunDir } from '../../src/report/run-dir.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { readOnlyDir } from '../helpers/read-only.js';

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'portlab-rundir-'));
}

test('two runs with the same id in one --out get two folders, never one shared', async () => {
  const out = temp();
  const reserved = await Promise.all([reserveRunDir(out, 'same'), reserveRunDir(out, 'same'), reserveRunDir(out, 'same')]);
  // Which call wins which name is a race; sorted, a is 'same', b 'same-2', c 'same-3'.
  const [a, b, c] = reserved.sort((x, y) => x.runId.localeCompare(y.runId));
  assert.deepEqual(new Set([a.runId, b.runId, c.runId]), new Set(['same', 'same-2', 'same-3']));
  assert.deepEqual(readdirSync(out).sort(), ['same', 'same-2', 'same-3']);
  assert.deepEqual(readdirSync(a.dir), [], 'the write check leaves nothing');
  // A folder that got no results is given back; one with results is kept.
  writeFileSync(join(b.dir, 'summary.json'), '{}');
  await releaseRunDir(a.dir);
  await releaseRunDir(b.dir);
  assert.deepEqual(readdirSync(out).sort(), ['same-2', 'same-3']);
  rmSync(out, { recursive: true });
});

test('a name too long for the file system is OUTPUT_UNWRITABLE (exit 2) naming the path', async () => {
  const out = temp();
  await assert.rejects(reserveRunDir(out, 'x'.repeat(300)), (err: unknown) => {
    assert.ok(isPortlabError(err) && err.code === 'OUTPUT_UNWRITABLE', String(err));
    assert.equal(err.exitCode, 2);
    assert.match(err.message, new RegExp(`${out}/x{300}: the name is too long`));
    return true;
  });
  rmSync(out, { recursive: true });
});

test('a read-only --out is OUTPUT_UNWRITABLE naming the path (not ENOENT)', async (t) => {
  const ro = readOnlyDir(t);
  if (!ro) return;
  try {
    await assert.rejects(reserveRunDir(join(ro.dir, 'results'), 'run'), (err: unknown) => {
      assert.ok(isPortlabError(err) && err.code === 'OUTPUT_UNWRITABLE', String(err));
      assert.match(err.message, new RegExp(`cannot write results to ${ro.dir}/results: (the file system is read-only|permission denied)`));
      return true;
    });
  } finally {
    ro.dispose();
  }
});

test('writeFileAtomic replaces a file whole and leaves no temp file, even when it fails', async () => {
  const dir = temp();
  const file = join(dir, 'summary.json');
  await writeFileAtomic(file, 'one');
  await writeFileAtomic(file, 'two');
  assert.deepEqual(readdirSync(dir), ['summary.json']);
  await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x.json'), 'three'));
  assert.deepEqual(readdirSync(dir), ['summary.json']);
  rmSync(dir, { recursive: true });
});

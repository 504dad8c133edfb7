import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { entryHeaders, tarHeader, tarStream, withDirectories, type TarEntry } from '../../../src/lab/docker/tar.js';

function data(path: string, text: string, mode = 0o644): TarEntry {
  const bytes = Buffer.from(text);
  return { path, mode, size: bytes.length, source: { data: bytes } };
}

/** GNU tar reads the archive back: an independent check of the format. */
function gnuTar(archive: Buffer, args: string[]): string {
  const result = spawnSync('tar', args, { input: archive, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('tarHeader: ustar magic, octal size and a checksum that matches its block', () => {
  const header = tarHeader('bin/portlab.js', 0o755, 1234);
  assert.equal(header.length, 512);
  assert.equal(header.toString('latin1', 257, 262), 'ustar');
  assert.equal(parseInt(header.toString('latin1', 124, 135), 8), 1234);
  assert.equal(parseInt(header.toString('latin1', 100, 107), 8), 0o755);
  const stored = parseInt(header.toString('latin1', 148, 154), 8);
  const copy = Buffer.from(header);
  copy.fill(' ', 148, 156);
  assert.equal(stored, copy.reduce((sum, byte) => sum + byte, 0));
});

test('entryHeaders: a path too long for ustar gets a pax header first', () => {
  const short = entryHeaders(data('a/b.js', 'x'));
  assert.equal(short.length, 1);
  const longName = `node_modules/${'x'.repeat(120)}.js`; // the file name alone exceeds 100 bytes
  const long = entryHeaders(data(longName, 'x'));
  assert.equal(long.length, 4);
  assert.equal(long[0]!.toString('latin1', 156, 157), 'x');
  assert.match(long[1]!.toString('utf8'), new RegExp(`^\\d+ path=${longName}\\n$`));
  const record = long[1]!.toString('utf8');
  assert.equal(Number(record.split(' ')[0]), Buffer.byteLength(record));
});

test('tarStream: GNU tar lists and extracts files from data, disk, long and deep paths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portlab-tar-'));
  try {
    const onDisk = join(dir, 'node');
    writeFileSync(onDisk, Buffer.alloc(1500, 7), { mode: 0o755 });
    const deep = `${'d'.repeat(90)}/${'e'.repeat(90)}/file.txt`; // > 100 bytes, fits ustar's prefix
    const long = `node_modules/${'y'.repeat(150)}.js`;
    const entries = withDirectories([
      data('Dockerfile', 'FROM scratch\n'),
      { path: 'rootfs/usr/local/bin/node', mode: 0o755, size: 1500, source: { file: onDisk } },
      data(deep, 'deep'),
      data(long, 'long'),
    ]);
    const archive = await buffer(tarStream(entries));
    assert.equal(archive.length % 512, 0);
    const listed = gnuTar(archive, ['-tvf', '-']).trim().split('\n');
    const names = listed.map((line) => line.split(/\s+/).pop());
    for (const name of ['Dockerfile', 'rootfs/usr/local/bin/node', deep, long, 'rootfs/', 'rootfs/usr/local/bin/']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    // Directories come before what they hold.
    assert.ok(names.indexOf('rootfs/usr/local/bin/') < names.indexOf('rootfs/usr/local/bin/node'));
    assert.match(listed.find((l) => l.endsWith('rootfs/usr/local/bin/node'))!, /^-rwxr-xr-x .* 1500 /);
    assert.equal(gnuTar(archive, ['-xOf', '-', deep]), 'deep');
    assert.equal(gnuTar(archive, ['-xOf', '-', long]), 'long');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tarStream: a file whose size changed fails instead of corrupting the archive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portlab-tar-'));
  try {
    const file = join(dir, 'f');
    writeFileSync(file, 'abc');
    const stream = tarStream([{ path: 'f', mode: 0o644, size: 10, source: { file } }]);
    await assert.rejects(buffer(stream), /changed while it was packed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

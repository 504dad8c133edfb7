import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { offlineDockerfile } from '../../../src/lab/docker/image.js';
import { PACKAGE_ROOT, packageEntries, productionPackages } from '../../../src/lab/docker/package-files.js';
import { offlineBlocker, parseLdd } from '../../../src/lab/docker/runtime-files.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string): string => readFileSync(join(root, 'test/fixtures/ldd', name), 'utf8');

test('parseLdd: glibc output gives every library and the loader, not the vDSO', () => {
  const paths = parseLdd(fixture('node-glibc-debian12.txt'));
  assert.ok(paths.includes('/lib/x86_64-linux-gnu/libc.so.6'));
  assert.ok(paths.includes('/lib64/ld-linux-x86-64.so.2'));
  assert.ok(paths.every((p) => p.startsWith('/')));
  assert.ok(!paths.some((p) => p.includes('vdso')));
  assert.equal(paths.length, 7);
});

test('parseLdd: musl lists the loader twice (as loader and as libc); it is copied once', () => {
  const paths = parseLdd(fixture('node-musl-alpine.txt'));
  assert.deepEqual(paths, ['/lib/ld-musl-x86_64.so.1', '/usr/lib/libstdc++.so.6', '/usr/lib/libgcc_s.so.1']);
});

test('parseLdd: a static binary needs no library; a missing one is an error', () => {
  assert.deepEqual(parseLdd(fixture('static.txt')), []);
  assert.throws(() => parseLdd(fixture('missing-lib.txt')), /libicuuc/);
});

test('offlineBlocker: only a linux host whose architecture matches the engine', () => {
  assert.equal(offlineBlocker({ os: 'linux', arch: 'amd64' }, { platform: 'linux', arch: 'x64' }), null);
  assert.equal(offlineBlocker({ os: 'linux', arch: 'arm64' }, { platform: 'linux', arch: 'arm64' }), null);
  assert.match(offlineBlocker({ os: 'linux', arch: 'arm64' }, { platform: 'linux', arch: 'x64' }) ?? '', /arm64/);
  assert.match(offlineBlocker({ os: 'linux', arch: 'amd64' }, { platform: 'darwin', arch: 'x64' }) ?? '', /darwin/);
  assert.match(offlineBlocker({ os: 'windows', arch: 'amd64' }, { platform: 'linux', arch: 'x64' }) ?? '', /windows/);
});

test('offlineDockerfile: FROM scratch, the library dirs on LD_LIBRARY_PATH, the Dockerfile layout', () => {
  const text = offlineDockerfile({ node: '/usr/bin/node', libraries: parseLdd(fixture('node-glibc-debian12.txt')) });
  assert.match(text, /^FROM scratch\n/);
  assert.match(text, /LD_LIBRARY_PATH=\/lib\/x86_64-linux-gnu:\/lib64\b/);
  const shipped = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
  // Both builds must lay portlab out the same way: the same COPY lines.
  const copies = (t: string): string[] => t.split('\n').filter((l) => l.startsWith('COPY ') && !l.includes('rootfs'));
  assert.deepEqual(copies(text), copies(shipped));
});

function writePackage(dir: string, pkg: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'index.js'), '');
}

test('productionPackages: the dependency closure, nested and hoisted, without dev dependencies', () => {
  const top = mkdtempSync(join(tmpdir(), 'portlab-pkg-'));
  try {
    // portlab installed as a dependency of a project: most of its deps hoisted above its own root.
    const app = join(top, 'node_modules', 'portlab');
    writePackage(app, { name: 'portlab', dependencies: { a: '1', '@s/b': '1' }, devDependencies: { dev: '1' } });
    writePackage(join(top, 'node_modules', 'a'), { name: 'a', dependencies: { c: '1' }, optionalDependencies: { gone: '1' } });
    writePackage(join(top, 'node_modules', 'a', 'node_modules', 'c'), { name: 'c' });
    writePackage(join(app, 'node_modules', '@s', 'b'), { name: '@s/b', dependencies: { a: '1' } });
    writePackage(join(top, 'node_modules', 'dev'), { name: 'dev' });
    const found = productionPackages(app);
    assert.deepEqual([...found.values()].sort(), ['node_modules/@s/b', 'node_modules/a', 'node_modules/a/node_modules/c']);
    assert.ok(![...found.keys()].some((dir) => dir.endsWith(`${'node_modules'}/dev`)));
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

test('productionPackages: a missing required dependency is IMAGE_BUILD_FAILED', () => {
  const top = mkdtempSync(join(tmpdir(), 'portlab-pkg-'));
  try {
    writePackage(top, { name: 'portlab', dependencies: { missing: '1' } });
    assert.throws(() => productionPackages(top), (err: unknown) => (err as { code?: string }).code === 'IMAGE_BUILD_FAILED');
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

test('packageEntries: this package ships the driver, the CLI and its runtime deps, not its dev tools', () => {
  assert.equal(dirname(join(PACKAGE_ROOT, 'x')), root.replace(/\/$/, ''));
  const paths = new Set(packageEntries().map((e) => e.path));
  for (const needed of ['package.json', 'bin/portlab.js', 'dist/src/driver/main.js', 'dist/src/cli/main.js', 'node_modules/yargs/package.json', 'node_modules/hdr-histogram-js/package.json']) {
    assert.ok(paths.has(needed), needed);
  }
  for (const dev of ['node_modules/typescript/package.json', 'node_modules/eslint/package.json']) assert.ok(!paths.has(dev), dev);
  assert.ok(![...paths].some((p) => p.startsWith('dist/test/')));
});

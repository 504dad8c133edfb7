/**
 * portlab's own files for the image, in the repository's layout (package.json, bin/, dist/src/,
 * node_modules/), so docker/Dockerfile copies them the same way from this context as from a checkout.
 * node_modules holds only the production dependency closure: the dev tools are ten times its size.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortlabError } from '../../errors/index.js';
import type { TarEntry } from './tar.js';

/** The installed package's root: dist/src/lab/docker/ is four levels below it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent's, up to the filesystem root (hoisting). */
function resolvePackageDir(fromDir: string, name: string): { dir: string; base: string } | null {
  for (let base = fromDir; ; base = dirname(base)) {
    const dir = join(base, 'node_modules', name);
    if (existsSync(join(dir, 'package.json'))) return { dir, base };
    if (dirname(base) === base) return null;
  }
}

/** The production dependency closure: package directory on disk -> its path inside the image. */
export function productionPackages(root = PACKAGE_ROOT): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (fromDir: string, name: string, optional: boolean): void => {
    const resolved = resolvePackageDir(fromDir, name);
    if (resolved === null) {
      if (optional) return;
      throw new PortlabError('IMAGE_BUILD_FAILED', `the dependency ${name} is not installed (looked from ${fromDir})`, {
        hint: 'run `npm install --omit=dev` (or `npm ci`) in the portlab package first',
      });
    }
    const { dir, base } = resolved;
    if (found.has(dir)) return;
    // Nested as on disk; a package hoisted above root (portlab installed as a dependency) goes under the
    // image path of the package that holds it, or at the top when an ancestor of root holds it.
    const inside = relative(root, dir);
    const inImage = !inside.startsWith('..') ? inside.split(sep).join('/') : `${found.get(base) ?? ''}${found.has(base) ? '/' : ''}node_modules/${name}`;
    found.set(dir, inImage);
    const pkg = readPackageJson(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dir, dep, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dir, dep, true);
  };
  const rootPkg = readPackageJson(root);
  for (const dep of Object.keys(rootPkg.dependencies ?? {})) visit(root, dep, false);
  for (const dep of Object.keys(rootPkg.optionalDependencies ?? {})) visit(root, dep, true);
  return found;
}

/**
 * Every regular file under `dir` as a tar entry under `prefix`. Symlinks are followed (copied as the
 * files they point to); `skip` names directories left out (a package's own node_modules is added as
 * packages of its own; .bin holds only links to scripts).
 */
export function directoryEntries(dir: string, prefix: string, skip: ReadonlySet<string> = new Set()): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (path: string, inImage: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue; // a dangling link
      if (stat.isDirectory()) {
        if (!skip.has(name)) walk(full, `${inImage}/${name}`);
      } else if (stat.isFile()) {
        entries.push({ path: `${inImage}/${name}`, mode: stat.mode, size: stat.size, source: { file: full } });
      }
    }
  };
  walk(dir, prefix);
  return entries;
}

/** One file as an entry at `inImage`. */
export function fileEntry(file: string, inImage: string): TarEntry {
  const stat = statSync(file);
  return { path: inImage, mode: stat.mode, size: stat.size, source: { file } };
}

/** package.json, bin/, dist/src/ and the production node_modules, at their repository paths. */
export function packageEntries(root = PACKAGE_ROOT): TarEntry[] {
  if (!existsSync(join(root, 'dist', 'src', 'driver', 'main.js'))) {
    throw new PortlabError('IMAGE_BUILD_FAILED', `${join(root, 'dist', 'src')} is missing or incomplete`, {
      hint: 'build portlab first: `npx tsc -p .` (npm run build)',
    });
  }
  const entries: TarEntry[] = [fileEntry(join(root, 'package.json'), 'package.json')];
  entries.push(...directoryEntries(join(root, 'bin'), 'bin'));
  entries.push(...directoryEntries(join(root, 'dist', 'src'), 'dist/src'));
  const seen = new Set<string>();
  for (const [dir, inImage] of productionPackages(root)) {
    // Two hoisted copies can map to one image path; the first (closest to root) wins.
    if (seen.has(inImage)) continue;
    seen.add(inImage);
    entries.push(...directoryEntries(dir, inImage, new Set(['node_modules', '.bin'])));
  }
  return entries;
}

/**
 * A digest of portlab's own files (package.json, bin/, dist/src/) and its dependencies' versions. A
 * released package changes it only with its version; a rebuilt checkout at the same version changes it
 * too, so the lab never runs a stale driver.
 */
export function packageFingerprint(root = PACKAGE_ROOT): string {
  const hash = createHash('sha256');
  const own = [fileEntry(join(root, 'package.json'), 'package.json'), ...directoryEntries(join(root, 'bin'), 'bin'), ...directoryEntries(join(root, 'dist', 'src'), 'dist/src')];
  for (const entry of own) {
    if (!('file' in entry.source)) continue;
    hash.update(`${entry.path}\0${entry.mode & 0o777}\0`);
    hash.update(readFileSync(entry.source.file));
  }
  for (const [dir, inImage] of productionPackages(root)) hash.update(`${inImage}@${readPackageJson(dir).version ?? '?'}\0`);
  return hash.digest('hex').slice(0, 16);
}

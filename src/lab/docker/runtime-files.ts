/**
 * The host's own Node runtime as files for a FROM-scratch image: the node binary and every shared
 * library the dynamic loader maps for it (ldd), plus the loader itself, each at the path the loader
 * looks for it. This is what lets `portlab lab build --offline` work where no base image can be pulled.
 */
import { execFileSync } from 'node:child_process';
import { PortlabError } from '../../errors/index.js';

/** Where the binary goes inside the image; on PATH whatever the host's node path was (nvm, /usr/bin ...). */
export const IMAGE_NODE_PATH = '/usr/local/bin/node';

/**
 * The absolute paths of the libraries in `ldd` output, loader included; the vDSO (no file) is left out.
 * Throws on "not found": an image missing a library would fail only at container start.
 */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '' || /statically linked|not a dynamic executable/.test(line)) continue;
    if (/=>\s*not found/.test(line)) throw new Error(`a library is missing on this host: ${line}`);
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const arrow = /=>\s*(\/\S+)/.exec(line);
    const bare = /^(\/\S+)/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

export interface RuntimeFiles {
  /** The host's node binary (copied to IMAGE_NODE_PATH). */
  node: string;
  /** Libraries and loader, copied to the same paths in the image. */
  libraries: string[];
}

/** Docker's architecture names for Node's process.arch values. */
const DOCKER_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/** Why this host's runtime cannot go into an image for that engine, or null when it can. */
export function offlineBlocker(engine: { os?: string; arch?: string }, host = { platform: process.platform, arch: process.arch }): string | null {
  if (host.platform !== 'linux') return `the offline image is made of this host's Linux node binary, and this host runs ${host.platform}`;
  if (engine.os !== undefined && engine.os !== 'linux') return `the docker engine runs ${engine.os} containers, not linux`;
  const wanted = DOCKER_ARCH[host.arch] ?? host.arch;
  if (engine.arch !== undefined && engine.arch !== wanted) return `the docker engine is ${engine.arch} and this host's node is ${wanted}`;
  return null;
}

/** Finds the running node's libraries with ldd (glibc and musl both ship one). */
export function hostRuntimeFiles(execPath = process.execPath): RuntimeFiles {
  let output: string;
  try {
    output = execFileSync('ldd', [execPath], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // ldd exits 1 for a static binary on glibc; its stdout still says so.
    const stdout = (err as { stdout?: string }).stdout ?? '';
    if (!/not a dynamic executable|statically linked/.test(stdout)) {
      throw new PortlabError('IMAGE_BUILD_FAILED', `could not list the libraries of ${execPath}: ${(err as Error).message}`, {
        hint: 'the offline build needs ldd (package libc-bin); or run `portlab lab build` where node:20-slim can be pulled',
      });
    }
    output = stdout;
  }
  try {
    return { node: execPath, libraries: parseLdd(output) };
  } catch (err) {
    throw new PortlabError('IMAGE_BUILD_FAILED', (err as Error).message, {
      hint: 'install the missing library, or run `portlab lab build` where node:20-slim can be pulled',
    });
  }
}

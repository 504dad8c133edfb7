/**
 * The root lab: a named namespace from `ip netns add portlab-<id>`. Unlike userns it outlives a killed
 * orchestrator (it is bind-mounted under /run/netns), so destroy() runs on every exit path and
 * `portlab lab prune` removes what a SIGKILL left.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PortlabError } from '../errors/index.js';
import { DRIVER_ENTRY, processLab } from './driver-process.js';
import type { Lab, LabOptions } from './types.js';

export const NETNS_PREFIX = 'portlab-';
/** Where `ip netns add` bind-mounts a named namespace. */
export const NETNS_DIR = '/run/netns';

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

/** Names of namespaces portlab created (for prune and for the leak checks in tests). */
export function listPortlabNetns(): string[] {
  try {
    const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 10_000 });
    return out
      .split('\n')
      .map((line) => line.split(' ')[0]!.trim())
      .filter((name) => name.startsWith(NETNS_PREFIX));
  } catch {
    return [];
  }
}

export function deleteNetns(name: string): void {
  try {
    ip(['netns', 'del', name]);
  } catch {
    // Already gone: destroy must be idempotent.
  }
}

export function createNetnsLab(options: LabOptions): Lab {
  const name = `${NETNS_PREFIX}${options.id}`;
  try {
    ip(['netns', 'add', name]);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    deleteNetns(name);
    throw new PortlabError('LAB_FAILED', `could not create network namespace ${name}`, {
      hint: 'the netns lab needs root and iproute2; the userns lab needs neither',
      cause: err,
    });
  }
  // Last resort for crashes: 'exit' handlers run synchronously even when an error escapes.
  const onExit = (): void => deleteNetns(name);
  process.once('exit', onExit);
  return processLab({
    kind: 'netns',
    id: options.id,
    sysctlMode: 'write',
    command: ['ip', 'netns', 'exec', name, process.execPath, DRIVER_ENTRY],
    cleanup: () => {
      deleteNetns(name);
      process.removeListener('exit', onExit);
    },
    lost: () => (existsSync(`${NETNS_DIR}/${name}`) ? null : `its network namespace ${name} was deleted during the run (ip netns del, or a lab prune)`),
  });
}

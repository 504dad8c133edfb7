/**
 * The root lab: a named namespace from `ip netns add portlab-<id>`. Unlike userns it outlives a killed
 * orchestrator (it is bind-mounted under /run/netns), so destroy() runs on every exit path and
 * `portlab lab prune` removes what a SIGKILL left.
 */
import { execFileSync } from 'node:child_process';
import { PortlabError } from '../errors/index.js';
import { spawnDriver, DRIVER_ENTRY } from './driver-process.js';
import type { Lab, LabOptions } from './types.js';

export const NETNS_PREFIX = 'portlab-';

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
  let driver: ReturnType<typeof spawnDriver> | undefined;
  return {
    kind: 'netns',
    id: options.id,
    sysctlMode: 'write',
    startDriver: async (config) => {
      driver = spawnDriver('ip', ['netns', 'exec', name, process.execPath, DRIVER_ENTRY], config);
      return driver;
    },
    destroy: async () => {
      driver?.kill();
      await driver?.exited;
      deleteNetns(name);
      process.removeListener('exit', onExit);
    },
  };
}

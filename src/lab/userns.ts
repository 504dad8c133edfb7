/**
 * The default lab: an unprivileged user namespace with its own network namespace (`unshare --user
 * --map-root-user --net`). The driver is root inside it, so it may write /proc/sys/net of that namespace;
 * the namespace dies with its last process, so nothing can be left behind.
 */
import { DRIVER_ENTRY, processLab } from './driver-process.js';
import type { Lab, LabOptions } from './types.js';

/** Runs `node ENTRY` in a fresh user + network namespace whose loopback is up (a claim's probe uses it too). */
export function usernsCommand(entry: string): [string, ...string[]] {
  // A new namespace's loopback starts down; bring it up before the entry binds anything.
  return ['unshare', '--user', '--map-root-user', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, entry];
}

export function createUsernsLab(options: LabOptions): Lab {
  return processLab({ kind: 'userns', id: options.id, sysctlMode: 'write', command: usernsCommand(DRIVER_ENTRY) });
}

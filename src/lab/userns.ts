/**
 * The default lab: an unprivileged user namespace with its own network namespace (`unshare --user
 * --map-root-user --net`). The driver is root inside it, so it may write /proc/sys/net of that namespace;
 * the namespace dies with its last process, so nothing can be left behind.
 */
import { DRIVER_ENTRY, processLab } from './driver-process.js';
import type { Lab, LabOptions } from './types.js';

export function createUsernsLab(options: LabOptions): Lab {
  return processLab({
    kind: 'userns',
    id: options.id,
    sysctlMode: 'write',
    // A new namespace's loopback starts down; bring it up before the driver binds anything.
    command: ['unshare', '--user', '--map-root-user', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, DRIVER_ENTRY],
  });
}

/**
 * The host lab: the driver runs in this machine's own network namespace. It reads sysctls and never
 * writes them: a load test must not retune the machine it runs on.
 */
import { DRIVER_ENTRY, processLab } from './driver-process.js';
import type { Lab, LabOptions } from './types.js';

export function createHostLab(options: LabOptions): Lab {
  return processLab({ kind: 'host', id: options.id, sysctlMode: 'read', command: [process.execPath, DRIVER_ENTRY] });
}

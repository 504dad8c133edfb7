/**
 * The host lab: the driver runs in this machine's own network namespace. It reads sysctls and never
 * writes them: a load test must not retune the machine it runs on.
 */
import { spawnDriver, DRIVER_ENTRY } from './driver-process.js';
import type { Lab, LabOptions } from './types.js';

export function createHostLab(options: LabOptions): Lab {
  let driver: ReturnType<typeof spawnDriver> | undefined;
  return {
    kind: 'host',
    id: options.id,
    sysctlMode: 'read',
    startDriver: async (config) => {
      driver = spawnDriver(process.execPath, [DRIVER_ENTRY], config);
      return driver;
    },
    destroy: async () => {
      driver?.kill();
      await driver?.exited;
    },
  };
}

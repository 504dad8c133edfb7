/** Starts the target for a protocol: one entry for the driver, the target thread and `portlab target`. */
import type { Protocol } from '../config/types.js';
import { startTcpTarget, type ListenAddress, type RunningTarget } from './tcp-server.js';

export interface TargetOptions {
  protocol: Protocol;
  listen: ListenAddress[];
  responseBytes: number;
  responseDelayMs: number;
  /** Close after each response (tcp), or answer "Connection: close" (http): the server closes first. */
  closeAfterResponse: boolean;
}

export async function startTarget(options: TargetOptions): Promise<RunningTarget> {
  switch (options.protocol) {
    case 'tcp':
      return startTcpTarget(options);
    case 'http':
      throw new Error('the http target is not built yet');
  }
}

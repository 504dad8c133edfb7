/** Why a run was cut short, from what the host saw: pure, so every path is tested on plain data. */
import type { ErrorCode } from '../errors/index.js';
import { INTERRUPT_REASONS, type Interruption } from '../metrics/types.js';
import type { DriverFailure } from './collect.js';

/** The lab itself failed (as opposed to the target or the driver's own code). */
const LAB_CODES: ReadonlySet<ErrorCode> = new Set(['LAB_FAILED', 'LAB_UNAVAILABLE', 'NAMESPACE_UNAVAILABLE', 'SYSCTL_REFUSED', 'DOCKER_UNAVAILABLE']);

/** A reason given to AbortController.abort(): portlab's own, or anything else (read as Ctrl-C). */
export function isInterruption(value: unknown): value is Interruption {
  if (typeof value !== 'object' || value === null) return false;
  const { reason, detail } = value as { reason?: unknown; detail?: unknown };
  return typeof detail === 'string' && (INTERRUPT_REASONS as readonly unknown[]).includes(reason);
}

/** The driver's 'error' event after it was ready: which part failed, in one line (no stack). */
export function failureInterruption(failure: Pick<DriverFailure, 'code' | 'message'>): Interruption {
  const detail = failure.message.split('\n')[0]!;
  if (failure.code === 'TARGET_FAILED') return { reason: 'target-failure', detail };
  if (LAB_CODES.has(failure.code)) return { reason: 'lab-failure', detail };
  return { reason: 'driver-crash', detail };
}

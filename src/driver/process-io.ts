/**
 * The driver's process boundary: its config arrives as the first stdin line (checked, never cast), events
 * leave as NDJSON on stdout, SIGINT/SIGTERM end the load early, and a failure becomes one 'error' event.
 */
import { isPortlabError, PortlabError } from '../errors/index.js';
import { parseDriverConfig, type DriverConfig, type DriverEvent } from './protocol.js';
import type { DriverIo } from './run-driver.js';

function emitLine(event: DriverEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** The first line as a DriverConfig; null when the host closed stdin before sending one. */
export async function readDriverConfig(lines: AsyncIterator<string>): Promise<DriverConfig | null> {
  const first = await lines.next();
  if (first.done) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(first.value);
  } catch (err) {
    throw new PortlabError('DRIVER_CONFIG_INVALID', `the driver's config line is not JSON: ${(err as Error).message}`);
  }
  return parseDriverConfig(parsed);
}

export function driverProcessIo(lines: AsyncIterator<string>): DriverIo {
  return {
    lines,
    emit: emitLine,
    // A terminal's Ctrl-C reaches the whole process group, this driver included: stop and report, as for "stop".
    onStopSignal: (stop) => {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      };
    },
  };
}

/** Reports the failure as the last event and exits non-zero. */
export function failDriver(err: unknown): never {
  if (isPortlabError(err)) emitLine({ type: 'error', code: err.code, message: err.message, hint: err.hint });
  else emitLine({ type: 'error', code: 'DRIVER_FAILED', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  process.exit(1);
}

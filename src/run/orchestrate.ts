/**
 * Runs one scenario end to end from the host: creates the lab, starts the driver inside it, collects its
 * events, and destroys the lab on every path (done, error, Ctrl-C). Returns what was collected even when
 * the run was cut short, so partial results are never lost.
 */
import type { Scenario } from '../config/types.js';
import { PortlabError } from '../errors/index.js';
import { createLab } from '../lab/index.js';
import type { DriverProcess, Lab } from '../lab/types.js';
import type { RunData } from './summary.js';
import type { Interval } from '../metrics/types.js';
import { assertNever } from '../util/assert.js';
import type { DriverEvent, DriverOnset, DriverReady } from '../driver/protocol.js';
import { packageVersion } from '../util/version.js';

export interface RunHooks {
  onReady?(ready: DriverReady, lab: Lab): void;
  onInterval?(interval: Interval): void;
  onOnset?(onset: DriverOnset): void;
  onLog?(level: 'info' | 'warn', message: string): void;
}

export interface RunOptions {
  hooks?: RunHooks;
  /** Aborting asks the driver to stop the load and report what it has (Ctrl-C). */
  signal?: AbortSignal;
  /** Aborting ends the driver at once (a second Ctrl-C): what it sent so far is kept, the lab destroyed. */
  abandon?: AbortSignal;
  /** Defaults to a timestamp and the scenario name. */
  runId?: string;
}

/** How long past its planned end a driver may run before it is killed: drain, final samples, exit. */
const OVERRUN_GRACE_MS = 30_000;


/** "20261121-101502-no-pooling": sortable, readable, safe as a directory and namespace name part. */
export function makeRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}`;
}

function shortLabId(): string {
  return `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

/** RunData while it is being collected: `ready` arrives with the first event, or never when the lab fails. */
type Collecting = Omit<RunData, 'ready'> & { ready?: DriverReady };

async function collect(driver: DriverProcess, data: Collecting, hooks: RunHooks, lab: Lab): Promise<DriverEvent & { type: 'error' } | null> {
  let failure: (DriverEvent & { type: 'error' }) | null = null;
  for await (const event of driver.events) {
    switch (event.type) {
      case 'ready':
        data.ready = event;
        hooks.onReady?.(event, lab);
        break;
      case 'started':
        break;
      case 'interval':
        data.intervals.push(event.interval);
        hooks.onInterval?.(event.interval);
        break;
      case 'onset':
        data.onset = event;
        hooks.onOnset?.(event);
        break;
      case 'done':
        data.done = event;
        break;
      case 'log':
        hooks.onLog?.(event.level, event.message);
        break;
      case 'error':
        failure = event;
        break;
      default:
        assertNever(event);
    }
  }
  return failure;
}

/**
 * Runs the scenario in its lab. Throws PortlabError when the lab or driver fails before any result;
 * otherwise resolves with the collected data (interrupted and partial where it was cut short).
 */
export async function runInLab(scenario: Scenario, options: RunOptions = {}): Promise<RunData> {
  const hooks = options.hooks ?? {};
  const lab = await createLab(scenario.lab.kind, {
    id: shortLabId(),
    sysctls: scenario.lab.sysctls,
    cpus: scenario.lab.cpus,
    memory: scenario.lab.memory,
    image: scenario.lab.image,
  });
  const data: Collecting = {
    runId: options.runId ?? makeRunId(scenario.name),
    startedAt: new Date().toISOString(),
    labKind: lab.kind,
    intervals: [],
    onset: null,
    done: null,
    interrupted: false,
    version: packageVersion(),
  };
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    data.interrupted = true;
    driver?.requestStop();
  };
  const onAbandon = (): void => {
    data.interrupted = true;
    driver?.kill();
  };
  let driver: DriverProcess | undefined;
  try {
    driver = await lab.startDriver({ scenario, sysctlMode: lab.sysctlMode, sysctls: lab.sysctlMode === 'read' ? {} : scenario.lab.sysctls });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.abandon?.addEventListener('abort', onAbandon, { once: true });
    if (options.signal?.aborted) onAbort();
    if (options.abandon?.aborted) onAbandon();
    // Every load loop stops by itself; this is the backstop if the driver hangs.
    const started = driver;
    killTimer = setTimeout(() => started.kill(), scenario.durationMs + scenario.client.connectTimeoutMs + OVERRUN_GRACE_MS);
    const failure = await collect(driver, data, hooks, lab);
    const exitCode = await driver.exited;
    if (failure && !data.ready) throw new PortlabError(failure.code, failure.message, { hint: failure.hint });
    if (failure) hooks.onLog?.('warn', `driver: ${failure.message}`);
    if (!data.ready) {
      throw new PortlabError('LAB_FAILED', `the ${lab.kind} lab's driver exited (code ${exitCode}) before it was ready`, {
        hint: driver.stderrTail() || 'run with PORTLAB_DEBUG=1 for details',
      });
    }
    if (!data.done && !data.interrupted) hooks.onLog?.('warn', `the driver exited (code ${exitCode}) without its totals: ${driver.stderrTail()}`);
    return { ...data, ready: data.ready };
  } finally {
    clearTimeout(killTimer);
    options.signal?.removeEventListener('abort', onAbort);
    options.abandon?.removeEventListener('abort', onAbandon);
    await lab.destroy();
  }
}

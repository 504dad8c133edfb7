/**
 * Runs one scenario end to end from the host: creates the lab, starts the driver inside it, collects its
 * events, and destroys the lab on every path (done, error, Ctrl-C). Returns what was collected even when
 * the run was cut short, so partial results are never lost.
 */
import type { Scenario } from '../config/types.js';
import { PortlabError } from '../errors/index.js';
import { createLab } from '../lab/index.js';
import { currentOwner, labIdFor } from '../lab/owner.js';
import type { DriverProcess, Lab } from '../lab/types.js';
import type { RunData } from './summary.js';
import type { Interval, Interruption } from '../metrics/types.js';
import type { DriverOnset, DriverReady } from '../driver/protocol.js';
import { collectEvent, createCollected, runDataOf, type Collected, type CollectHooks, type RunHeader } from './collect.js';
import { packageVersion } from '../util/version.js';
import { failpointDelayMs } from '../util/failpoint.js';
import { failureInterruption, isInterruption } from './interruption.js';

export interface RunHooks {
  onReady?(ready: DriverReady, lab: Lab): void;
  onInterval?(interval: Interval): void;
  onOnset?(onset: DriverOnset): void;
  onLog?(level: 'info' | 'warn', message: string): void;
}

/** Holds the load until the caller says go (compare starts its cells together). */
export interface StartGate {
  /** The driver is up and waiting; call `go` to start its load. */
  armed(go: () => void): void;
}

export interface RunOptions {
  hooks?: RunHooks;
  /**
   * Aborting asks the driver to stop the load and report what it has (Ctrl-C). Abort it with an
   * Interruption as the reason (SIGTERM, parent-exit ...) to say why; any other reason counts as Ctrl-C.
   */
  signal?: AbortSignal;
  /** Aborting ends the driver at once (a second Ctrl-C): what it sent so far is kept, the lab destroyed. */
  abandon?: AbortSignal;
  /** Defaults to a timestamp and the scenario name. */
  runId?: string;
  gate?: StartGate;
}

/** How long past its planned end a driver may run before it is killed: drain, final samples, exit. */
const OVERRUN_GRACE_MS = 30_000;


/** "20261121-101502-no-pooling": sortable, readable, safe as a directory and namespace name part. */
export function makeRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}`;
}

async function collect(driver: DriverProcess, into: Collected, hooks: RunHooks, lab: Lab, gate?: StartGate): Promise<void> {
  const withLab: CollectHooks = { ...hooks, onReady: (ready) => hooks.onReady?.(ready, lab), onArmed: () => gate?.armed(() => driver.go()) };
  for await (const event of driver.events) collectEvent(into, event, withLab);
}

/**
 * Runs the scenario in its lab. Throws PortlabError when the lab or driver fails before any result;
 * otherwise resolves with the collected data (interrupted and partial where it was cut short).
 */
export async function runInLab(scenario: Scenario, options: RunOptions = {}): Promise<RunData> {
  const hooks = options.hooks ?? {};
  const lab = await createLab(scenario.lab.kind, {
    // The id names the owner (this process), so `lab prune` can tell a live lab from a leaked one.
    id: labIdFor(currentOwner()),
    sysctls: scenario.lab.sysctls,
    cpus: scenario.lab.cpus,
    memory: scenario.lab.memory,
    image: scenario.lab.image,
  });
  const header: RunHeader = {
    runId: options.runId ?? makeRunId(scenario.name),
    startedAt: new Date().toISOString(),
    labKind: lab.kind,
    version: packageVersion(),
  };
  const collected = createCollected();
  // The first cause wins: a Ctrl-C after the target died does not hide that it died.
  let interruption: Interruption | null = null;
  const interrupt = (why: Interruption): void => {
    interruption ??= why;
  };
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    const reason: unknown = options.signal?.reason;
    interrupt(isInterruption(reason) ? reason : { reason: 'SIGINT', detail: 'stopped by Ctrl-C' });
    driver?.requestStop();
  };
  const onAbandon = (): void => {
    interrupt({ reason: 'SIGINT', detail: 'stopped at once by a second Ctrl-C' });
    driver?.kill();
  };
  let driver: DriverProcess | undefined;
  try {
    const started = await lab.startDriver({
      scenario,
      sysctlMode: lab.sysctlMode,
      sysctls: lab.sysctlMode === 'read' ? {} : scenario.lab.sysctls,
      ...(options.gate ? { holdUntilGo: true } : {}),
    });
    driver = started;
    // The fault harness's "the lab failed while being set up": everything made so far must be removed.
    if (failpointDelayMs('lab-failure') !== null) throw new PortlabError('LAB_FAILED', 'the lab failed while being set up (failpoint lab-failure)');
    driver.onLabFailure?.((why) => {
      interrupt(why);
      started.requestStop();
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.abandon?.addEventListener('abort', onAbandon, { once: true });
    if (options.signal?.aborted) onAbort();
    if (options.abandon?.aborted) onAbandon();
    // Every load loop stops by itself; this is the backstop if the driver hangs.
    killTimer = setTimeout(() => started.kill(), scenario.durationMs + scenario.client.connectTimeoutMs + OVERRUN_GRACE_MS);
    await collect(driver, collected, hooks, lab, options.gate);
    const exitCode = await driver.exited;
    const { failure, ready } = collected;
    if (failure && !ready) throw new PortlabError(failure.code, failure.message, { hint: failure.hint });
    if (failure) {
      interrupt(failureInterruption(failure));
      hooks.onLog?.('warn', `driver: ${failure.message.split('\n')[0]}`);
    }
    if (!ready) {
      throw new PortlabError('LAB_FAILED', `the ${lab.kind} lab's driver exited (code ${exitCode}) before it was ready`, {
        hint: driver.stderrTail() || 'run with PORTLAB_DEBUG=1 for details',
      });
    }
    if (!collected.done && !interruption) {
      const tail = driver.stderrTail();
      interrupt({ reason: 'driver-crash', detail: `the driver exited (code ${exitCode}) without its totals${tail ? `: ${tail.split('\n').slice(-1)[0]}` : ''}` });
      hooks.onLog?.('warn', `the driver exited (code ${exitCode}) without its totals: ${tail}`);
    }
    return runDataOf(header, { ...collected, ready }, interruption);
  } finally {
    clearTimeout(killTimer);
    options.signal?.removeEventListener('abort', onAbort);
    options.abandon?.removeEventListener('abort', onAbandon);
    await lab.destroy();
  }
}

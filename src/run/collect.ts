/**
 * Folds the driver's events into what the host keeps of a run, as they arrive. Pure: the orchestrator feeds
 * it the events of a live driver, tests feed it synthetic ones, and both get the same RunData.
 */
import type { DriverDone, DriverEvent, DriverOnset, DriverReady } from '../driver/protocol.js';
import type { Interval, Interruption } from '../metrics/types.js';
import { assertNever } from '../util/assert.js';
import type { RunData } from './summary.js';

/** An 'error' event: the driver gave up (before 'ready': the lab failed; after: the run was cut short). */
export type DriverFailure = Extract<DriverEvent, { type: 'error' }>;

/** What one driver's events have left so far. */
export interface Collected {
  /** null until the driver said 'ready' (it read the lab's sysctls back). */
  ready: DriverReady | null;
  intervals: Interval[];
  /** The first exhaustion error, with the ports' state right then. */
  onset: DriverOnset | null;
  /** null until the driver reported its totals; a driver that died or was killed never does. */
  done: DriverDone | null;
  /** The last 'error' event, if any. */
  failure: DriverFailure | null;
}

/** Called as each event is folded in (progress display, logs). */
export interface CollectHooks {
  onReady?(ready: DriverReady): void;
  onInterval?(interval: Interval): void;
  onOnset?(onset: DriverOnset): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** The driver is up and holds its load for the host's go (holdUntilGo). */
  onArmed?(): void;
}

/** Nothing collected yet. */
export function createCollected(): Collected {
  return { ready: null, intervals: [], onset: null, done: null, failure: null };
}

/** Folds one event into `into` (mutated), then tells the hooks. */
export function collectEvent(into: Collected, event: DriverEvent, hooks: CollectHooks = {}): void {
  switch (event.type) {
    case 'ready':
      into.ready = event;
      hooks.onReady?.(event);
      break;
    case 'started':
      break;
    case 'armed':
      hooks.onArmed?.();
      break;
    case 'interval':
      into.intervals.push(event.interval);
      hooks.onInterval?.(event.interval);
      break;
    case 'onset':
      into.onset = event;
      hooks.onOnset?.(event);
      break;
    case 'done':
      into.done = event;
      break;
    case 'log':
      hooks.onLog?.(event.level, event.message);
      break;
    case 'error':
      into.failure = event;
      break;
    default:
      assertNever(event);
  }
}

/** Folds a whole stream of events. */
export function collectEvents(events: Iterable<DriverEvent>, hooks: CollectHooks = {}): Collected {
  const collected = createCollected();
  for (const event of events) collectEvent(collected, event, hooks);
  return collected;
}

/** What the host knows of a run besides the driver's events. */
export type RunHeader = Pick<RunData, 'runId' | 'startedAt' | 'labKind' | 'version'>;

/** The run's data, once the driver has said 'ready'. `interruption`: why it was cut short (null: it was not). */
export function runDataOf(header: RunHeader, collected: Collected & { ready: DriverReady }, interruption: Interruption | null): RunData {
  const { ready, intervals, onset, done } = collected;
  return { ...header, ready, intervals, onset, done, interruption };
}

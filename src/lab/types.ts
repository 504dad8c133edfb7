/** One interface for every lab kind: create it, run the driver inside, destroy it. */
import type { LabKind } from '../config/types.js';
import type { DriverConfig, DriverEvent, SysctlMode } from '../driver/protocol.js';
import type { Interruption } from '../metrics/types.js';

export interface DriverProcess {
  /** Events as the driver emits them; ends when the driver's stdout closes. */
  events: AsyncIterable<DriverEvent>;
  /** Asks the driver to stop the load and report what it has (Ctrl-C). */
  requestStop(): void;
  /** Ends the driver at once. */
  kill(): void;
  /** Starts a load held with holdUntilGo. */
  go(): void;
  /** Resolves with the driver's exit code once it has exited. */
  exited: Promise<number | null>;
  /** The last lines the driver wrote to stderr, for error messages. */
  stderrTail(): string;
  /**
   * Calls `listener` when a part of the lab outside the driver fails during the run (the docker lab's target
   * container exits): the run is then stopped and its partial results kept, with this reason.
   */
  onLabFailure?(listener: (why: Interruption) => void): void;
}

export interface Lab {
  /** The concrete kind (never 'auto'). */
  kind: Exclude<LabKind, 'auto'>;
  /** A short id for names (namespace, containers) and the run directory. */
  id: string;
  /** How the driver must treat sysctls in this lab. */
  sysctlMode: SysctlMode;
  /** Starts the driver inside the lab and sends it its config. */
  startDriver(config: DriverConfig): Promise<DriverProcess>;
  /** Removes everything the lab created; safe to call twice. */
  destroy(): Promise<void>;
}

export interface LabOptions {
  id: string;
  /** The sysctls the lab should carry (docker applies them at container creation). */
  sysctls: Record<string, string>;
  cpus?: number;
  memory?: string;
  image?: string;
}

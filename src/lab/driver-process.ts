/**
 * Runs the driver as a child process (unshare, ip netns exec, or plain node) and turns its stdout into
 * DriverEvents. Shared by every lab that starts the driver with a local command.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GO_LINE, parseEventLine, STOP_LINE, type DriverConfig, type DriverEvent } from '../driver/protocol.js';
import type { DriverProcess, Lab } from './types.js';

/** The compiled driver entry, run inside the lab. */
export const DRIVER_ENTRY = fileURLToPath(new URL('../driver/main.js', import.meta.url));

const STDERR_TAIL_BYTES = 4000;

/** Turns a readable stream of NDJSON into DriverEvents, each line checked (parseEventLine), never cast. */
export async function* readEvents(stream: NodeJS.ReadableStream): AsyncIterable<DriverEvent> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    const event = parseEventLine(line);
    if (event) yield event;
  }
}

/** Spawns `command args...` (which must end up running DRIVER_ENTRY) and hands it the config. */
export function spawnDriver(command: string, args: string[], config: DriverConfig): DriverProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  // The driver may exit before reading everything; a broken pipe here is not a portlab error.
  child.stdin.on('error', () => {});
  child.stdin.write(`${JSON.stringify(config)}\n`);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      stderr += `\n${err.message}`;
      resolve(127);
    });
    child.once('exit', (code) => resolve(code));
  });
  return {
    events: readEvents(child.stdout),
    requestStop: () => {
      if (child.stdin.writable) child.stdin.write(`${STOP_LINE}\n`);
    },
    go: () => {
      if (child.stdin.writable) child.stdin.write(`${GO_LINE}\n`);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
    exited,
    stderrTail: () => stderr.trim(),
  };
}

export interface ProcessLabSpec {
  kind: Lab['kind'];
  id: string;
  sysctlMode: Lab['sysctlMode'];
  /** The command and arguments that end up running DRIVER_ENTRY inside the lab. */
  command: [string, ...string[]];
  /** What else destroy() must remove once the driver is gone (a named namespace). */
  cleanup?: () => void;
  /** Checked while the run goes: what of the lab is gone (its named namespace deleted), or null. */
  lost?: () => string | null;
}

/** How often `lost` is checked: a lab taken away mid-run is reported within this. */
const LOST_POLL_MS = 500;

/** A lab whose driver is a local child process: userns, netns and host differ only in the command. */
export function processLab(spec: ProcessLabSpec): Lab {
  let driver: DriverProcess | undefined;
  let poll: NodeJS.Timeout | undefined;
  const [command, ...args] = spec.command;
  const { lost } = spec;
  return {
    kind: spec.kind,
    id: spec.id,
    sysctlMode: spec.sysctlMode,
    startDriver: async (config) => {
      const started = spawnDriver(command, args, config);
      driver = started;
      if (!lost) return started;
      return {
        ...started,
        // The driver keeps a deleted namespace alive and would run on unaware: the run must say the lab went.
        onLabFailure: (listener) => {
          poll = setInterval(() => {
            const detail = lost();
            if (detail === null) return;
            clearInterval(poll);
            listener({ reason: 'lab-failure', detail });
          }, LOST_POLL_MS);
          poll.unref();
        },
      };
    },
    destroy: async () => {
      clearInterval(poll);
      driver?.kill();
      await driver?.exited;
      spec.cleanup?.();
    },
  };
}

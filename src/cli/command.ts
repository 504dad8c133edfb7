/**
 * The shape of a portlab command: a yargs command whose handler gets the parsed argv and the process's I/O,
 * and may return the process exit code. main.ts applies it (a handler that returns nothing means 0); errors
 * are thrown as PortlabError and mapped to their exit code there. Commands never call process.exit.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { SysctlProber } from '../config/sysctl-check.js';
import type { ColorTarget, Env } from '../report/ansi.js';

/** An exit code (see EXIT in errors/index.ts), or nothing for 0. */
export type CommandResult = number | void;

/** Where a command writes: process.stdout/stderr in main, strings in tests. */
export interface OutputStream extends ColorTarget {
  write(text: string): unknown;
  /** Terminal width, when it is a terminal. */
  columns?: number;
}

/** The I/O a command uses, injected so tests choose the streams and the environment (NO_COLOR, a TTY ...). */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Env;
  /** Tries sysctls in a throwaway namespace (validate, run); default: lab/sysctl-probe.ts, the kernel's word. */
  probeSysctls?: SysctlProber;
}

/** A yargs command; `U` is the argv its builder defines, so the handler sees exactly those options. */
export interface PortlabCommandModule<U> extends Omit<CommandModule<object, U>, 'handler' | 'builder'> {
  builder: (yargs: Argv) => Argv<U>;
  handler: (args: ArgumentsCamelCase<U>, io: CliIo) => CommandResult | Promise<CommandResult>;
}

/** Declares a command, inferring its argv type from the builder (no cast between builder and handler). */
export function defineCommand<U>(module: PortlabCommandModule<U>): PortlabCommandModule<U> {
  return module;
}

/**
 * The shape of a portlab command: a yargs CommandModule whose handler may return the process exit code.
 * main.ts applies it (a handler that returns nothing means 0); errors are thrown as PortlabError and main
 * maps them to their exit code. Commands never call process.exit themselves.
 */
import type { ArgumentsCamelCase, CommandModule } from 'yargs';

/** An exit code (see EXIT in errors/index.ts), or nothing for 0. */
export type CommandResult = number | void;

/** A yargs CommandModule whose handler may return (or resolve to) an exit code. */
export interface PortlabCommandModule<U> extends Omit<CommandModule<object, U>, 'handler'> {
  handler: (args: ArgumentsCamelCase<U>) => CommandResult | Promise<CommandResult>;
}

/**
 * The portlab command line as a function: parse the arguments, run the command, return the exit code. It
 * never exits and never touches process.* itself; main.ts hands it the process's arguments and I/O.
 *
 * Exit codes: a command's handler returns (or resolves to) its exit code, or nothing for 0 (see command.ts).
 * Anything it throws is mapped here: a PortlabError prints `portlab: message`, its details and `hint: ...`
 * to stderr and gives err.exitCode; any other error is an internal error (the stack only with debug on). A
 * usage error that yargs finds (unknown flag, missing argument) is bad input.
 *
 * To add a command: write src/cli/<name>.ts exporting a command made with defineCommand and add one
 * `command(...)` line to COMMANDS below.
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { EXIT, PortlabError } from '../errors/index.js';
import type { CliIo, CommandResult, PortlabCommandModule } from './command.js';
import { claimsCommand } from './claims.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { ALL_EXITS, exitCodesEpilogue } from './exit.js';
import { labCommand } from './lab.js';
import { reportError } from './output.js';
import { predictCommand } from './predict.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { targetCommand } from './target.js';
import { validateCommand } from './validate.js';
import { packageVersion } from '../util/version.js';

/** Registers one command on a parser; `setExit` receives the handler's exit code. */
type Registration = (parser: Argv, io: CliIo, setExit: (code: number) => void) => Argv;

function command<U>(module: PortlabCommandModule<U>): Registration {
  return (parser, io, setExit) =>
    parser.command<U>({
      ...module,
      handler: async (args) => {
        const result: CommandResult = await module.handler(args, io);
        setExit(typeof result === 'number' ? result : EXIT.OK);
      },
    });
}

/** Every command; one line each. */
const COMMANDS: readonly Registration[] = [
  command(runCommand),
  command(compareCommand),
  command(claimsCommand),
  command(demoCommand),
  command(predictCommand),
  command(validateCommand),
  command(reportCommand),
  command(targetCommand),
  command(labCommand),
  command(doctorCommand),
];

/** Parses `args` and runs the command; resolves to the process exit code. Help and version go to io.stdout. */
export async function runCli(args: readonly string[], io: CliIo, debug = false): Promise<number> {
  let exitCode: number = EXIT.OK;
  let parser = yargs([...args])
    .scriptName('portlab')
    .usage('$0 <command> [options]\n\nReproduce TCP ephemeral-port exhaustion in an isolated lab, and explain it.')
    .strict()
    .demandCommand(1, 'give a command; `portlab --help` lists them')
    .recommendCommands()
    .version(packageVersion())
    .alias('help', 'h')
    .exitProcess(false)
    // yargs lays the whole help text out on every command it runs (to cache it), and wrapping that to the
    // terminal's width was most of a command's start-up time: wrap only when help is asked for.
    .wrap(args.some((a) => a === '--help' || a === '-h') ? Math.min(120, io.stdout.columns ?? 100) : null)
    .example('$0 validate scenarios/*.yaml', 'check scenario files without running them')
    .example('$0 predict --rate 500/s', 'when would 500 new connections/s exhaust the ports?')
    .example('$0 run scenarios/no-pooling.yaml', 'reproduce exhaustion in a lab and explain it')
    .example('$0 run --rate 200 --port-range 40000-40199 --duration 5s', 'an ad-hoc scenario from flags')
    .epilogue(exitCodesEpilogue(ALL_EXITS))
    .fail((message, err) => {
      // A handler's own error reaches here too: keep it as it is so its exit code survives.
      if (err) throw err;
      // recommendCommands() reports a misspelt command as only "Did you mean X?".
      const text = message.startsWith('Did you mean') ? `unknown command "${String(args[0])}". ${message}` : message;
      throw new PortlabError('USAGE', text, { hint: 'see `portlab --help` or `portlab <command> --help`' });
    });
  for (const register of COMMANDS) parser = register(parser, io, (code) => (exitCode = code));
  try {
    // With a callback yargs hands over what it would print (--help, --version) instead of printing it.
    await parser.parseAsync([...args], {}, (err, _argv, output) => {
      if (!err && output) io.stdout.write(`${output}\n`);
    });
    return exitCode;
  } catch (err) {
    const report = reportError(err, debug);
    io.stderr.write(report.text);
    return report.exitCode;
  }
}

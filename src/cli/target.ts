/**
 * `portlab target`: the bundled target server on its own, for use outside labs (or as the docker lab's
 * target container). Listens on loopback only; runs until Ctrl-C or --duration.
 */
import { PROTOCOLS } from '../config/schema.js';
import { PortlabError } from '../errors/index.js';
import { formatListen, parseListen } from '../target/listen.js';
import type { ListenAddress } from '../target/tcp-server.js';
import { startTarget } from '../target/start.js';
import { isLoopbackLiteral, loopbackProblem } from '../util/loopback.js';
import { parseDurationMs } from '../util/units.js';
import { defineCommand } from './command.js';

/** The flags that say where to listen. */
interface ListenArgs {
  ports: string;
  host: string;
  listen?: string | undefined;
}

function parsePorts(text: string): number[] {
  const ports = text.split(',').map((p) => Number(p.trim()));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new PortlabError('USAGE', `--ports: expected ports like 9000,9001, got "${text}"`);
  }
  return ports;
}

function ms(flag: string, text: string): number {
  const parsed = parseDurationMs(text);
  if (!parsed.ok) throw new PortlabError('USAGE', `${flag}: ${parsed.message}`);
  return parsed.value;
}

/** --listen wins over --host/--ports; only loopback, as everywhere in portlab. */
function listenOf(args: ListenArgs): ListenAddress[] {
  let listen: ListenAddress[];
  if (args.listen !== undefined) {
    const parsed = parseListen(args.listen);
    if (!parsed) throw new PortlabError('USAGE', `--listen: expected HOST:PORT,... like 127.0.0.1:9000,[::1]:9000, got "${args.listen}"`);
    listen = parsed;
  } else {
    listen = parsePorts(args.ports).map((port) => ({ host: args.host, port }));
  }
  const outside = listen.find((a) => !isLoopbackLiteral(a.host));
  if (outside) throw new PortlabError('USAGE', `--listen/--host: ${loopbackProblem(outside.host) ?? outside.host}`);
  return listen;
}

export const targetCommand = defineCommand({
  command: 'target',
  describe: 'run the bundled target server on its own',
  builder: (yargs) =>
    yargs
      .option('protocol', { type: 'string', choices: PROTOCOLS, default: 'tcp' as const, describe: 'tcp request/response, http, or udp echo' })
      .option('ports', { type: 'string', default: '9000', describe: 'comma-separated ports' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'loopback address to listen on' })
      .option('listen', { type: 'string', describe: 'HOST:PORT list to listen on, instead of --host and --ports (e.g. 127.0.0.1:9000,127.0.0.2:9000)' })
      .option('response-bytes', { type: 'number', default: 16, describe: 'bytes in each response' })
      .option('response-delay', { type: 'string', default: '0ms', describe: 'delay before each response' })
      .option('close-after-response', { type: 'boolean', default: false, describe: 'close first after each response (server-side TIME_WAIT)' })
      .option('duration', { type: 'string', describe: 'stop after this long (default: until Ctrl-C)' })
      .option('stdin-lifeline', { type: 'boolean', default: false, describe: 'stop when stdin closes (the docker lab: the run that started it is gone)' })
      .example('$0 target --ports 9000,9001', 'a tcp target on two ports of 127.0.0.1')
      .example('$0 target --listen 127.0.0.1:9000,127.0.0.2:9000', 'one port on two loopback addresses')
      .example('$0 target --protocol http --close-after-response', 'an HTTP target that answers "Connection: close"'),
  handler: async (args, io) => {
    const listen = listenOf(args);
    const target = await startTarget({
      protocol: args.protocol,
      listen,
      responseBytes: args.responseBytes,
      responseDelayMs: ms('--response-delay', args.responseDelay),
      closeAfterResponse: args.closeAfterResponse,
    });
    io.stderr.write(`portlab target: ${args.protocol} on ${formatListen(listen)} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (args.duration) setTimeout(stop, ms('--duration', args.duration));
      if (args.stdinLifeline) {
        // The docker lab holds this stdin open over its attach connection; the engine closes it when that goes.
        process.stdin.once('end', stop).once('close', stop).resume();
      }
    });
    await target.close();
    io.stderr.write(`portlab target: stopped after ${target.accepted()} connections\n`);
  },
});

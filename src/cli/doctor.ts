/**
 * `portlab doctor`: diagnose the ports of a live namespace (this one, --netns, --pid or --container),
 * changing nothing, and optionally write a scenario that reproduces what it saw. Exit 0 ok, 10 warning,
 * 11 critical.
 */
import type { Argv } from 'yargs';
import { PortlabError } from '../errors/index.js';
import { openNamespace } from '../doctor/namespace.js';
import { openSocketReader, SOCKET_READERS, type SocketReaderChoice, type SocketTableReader } from '../doctor/socket-reader.js';
import { readProcText } from '../util/read-proc.js';
import { DOCTOR_FORMATS, exitCodeOfLevel, runDoctor, type DoctorFormat } from '../doctor/run-doctor.js';
import { parseDurationMs } from '../util/units.js';
import { packageVersion } from '../util/version.js';
import { exitCodesEpilogue } from './exit.js';
import type { PortlabCommandModule } from './command.js';

export interface DoctorArgs {
  netns?: string;
  pid?: number;
  container?: string;
  window: string;
  top: number;
  json?: boolean;
  format?: string;
  watch?: boolean;
  interval: string;
  count?: number;
  emitScenario?: string;
  scale?: number;
  output?: string;
  reader: string;
}

function durationFlag(flag: string, text: string): number {
  const parsed = parseDurationMs(text);
  if (!parsed.ok) throw new PortlabError('USAGE', `--${flag}: ${parsed.message}`);
  if (parsed.value < 100 || parsed.value > 60_000) throw new PortlabError('USAGE', `--${flag}: expected 100ms to 60s, got "${text}"`);
  return parsed.value;
}

function formatOf(args: DoctorArgs): DoctorFormat {
  const format = args.format ?? (args.json ? 'json' : 'terminal');
  if (!(DOCTOR_FORMATS as readonly string[]).includes(format)) throw new PortlabError('USAGE', `--format: expected one of ${DOCTOR_FORMATS.join(', ')}, got "${format}"`);
  if (args.json && format !== 'json') throw new PortlabError('USAGE', `--json and --format ${format} disagree`);
  return format as DoctorFormat;
}

export const doctorCommand: PortlabCommandModule<DoctorArgs> = {
  command: 'doctor',
  describe: 'diagnose the ephemeral ports of this machine, a namespace or a container (changes nothing)',
  builder: (yargs: Argv<object>) =>
    yargs
      .option('netns', { type: 'string', describe: 'a named network namespace (ip netns)' })
      .option('pid', { type: 'number', describe: "that process's network namespace" })
      .option('container', { type: 'string', describe: "a docker container's network namespace (name or id)" })
      .option('window', { type: 'string', default: '1s', describe: 'time between the two readings the rates come from' })
      .option('top', { type: 'number', default: 10, describe: 'tuples and destinations to list' })
      .option('json', { type: 'boolean', describe: 'print the report as JSON (same as --format json)' })
      .option('format', { type: 'string', describe: `output: ${DOCTOR_FORMATS.join(', ')} (Prometheus text exposition)` })
      .option('watch', { type: 'boolean', describe: 'refresh every --interval until Ctrl-C' })
      .option('interval', { type: 'string', default: '1s', describe: 'time between refreshes with --watch' })
      .option('count', { type: 'number', describe: 'with --watch: stop after this many refreshes' })
      .option('emit-scenario', { type: 'string', describe: 'write a scenario that reproduces what was seen, scaled down, to this file' })
      .option('scale', { type: 'number', describe: 'with --emit-scenario: play the live load this many times faster (default: exhaust within ~10 s)' })
      .option('reader', { type: 'string', default: 'auto', describe: `socket table: ${SOCKET_READERS.join(', ')} (auto: sock_diag netlink, else /proc/net/tcp)` })
      .option('output', { type: 'string', describe: 'write each report to this file (replaced whole) instead of stdout' })
      .example('$0 doctor', 'the ports of this machine, now')
      .example('$0 doctor --netns portlab-ab12 --emit-scenario incident.yaml', 'a lab namespace, and a scenario that replays it')
      .example('$0 doctor --container web --json', "a container's namespace, machine-readable")
      .example('$0 doctor --watch --format prometheus --output /var/lib/node_exporter/portlab.prom', 'for the textfile collector')
      .epilogue(exitCodesEpilogue(['OK', 'BAD_INPUT', 'LAB_UNAVAILABLE', 'DOCTOR_WARNING', 'DOCTOR_CRITICAL'])) as Argv<DoctorArgs>,
  handler: async (args) => {
    const format = formatOf(args);
    const windowMs = durationFlag('window', args.window);
    const intervalMs = durationFlag('interval', args.interval);
    if (!(Number.isInteger(args.top) && args.top > 0)) throw new PortlabError('USAGE', `--top: expected a whole number above 0, got ${args.top}`);
    if (args.count !== undefined && !(Number.isInteger(args.count) && args.count > 0)) throw new PortlabError('USAGE', `--count: expected a whole number above 0, got ${args.count}`);
    if (!(SOCKET_READERS as readonly string[]).includes(args.reader)) throw new PortlabError('USAGE', `--reader: expected one of ${SOCKET_READERS.join(', ')}, got "${args.reader}"`);
    const source = await openNamespace({ netns: args.netns, pid: args.pid, container: args.container });
    let sockets: SocketTableReader;
    try {
      sockets = await openSocketReader(source, args.reader as SocketReaderChoice, readProcText);
    } catch (err) {
      source.close();
      throw err;
    }
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const { report } = await runDoctor(
        { windowMs, intervalMs, topN: args.top, format, color: process.stdout.isTTY === true && format === 'terminal', watch: args.watch === true, count: args.count, emitScenario: args.emitScenario, scale: args.scale, output: args.output },
        { source, sockets, version: packageVersion(), write: (text) => process.stdout.write(text), signal: abort.signal },
      );
      return exitCodeOfLevel(report.level);
    } finally {
      process.removeListener('SIGINT', onSigint);
      sockets.close();
      source.close();
    }
  },
};

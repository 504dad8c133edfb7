/**
 * `portlab predict`: the exhaustion model on its own, no lab. "What would 500 connections/s do on Linux?"
 * Flags become a PredictInput (OS preset, then explicit overrides); bad input is PortlabError('USAGE').
 */
import type { Options } from 'yargs';
import { EXIT } from '../errors/index.js';
import { predict } from '../model/predict.js';
import { isOsName, OS_NAMES, OS_PRESETS, type OsPreset } from '../model/presets.js';
import type { Closer, PredictInput, Prediction } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { parseDurationMs, parsePortRange, parseRatePerSec } from '../util/units.js';
import { defineCommand } from './command.js';
import { exitCodesEpilogue } from './exit.js';
import { renderPrediction } from './predict-render.js';
import { destinationCount, positiveInt, sourceAddressCount, usage } from './predict-flags.js';
import { NAT_PREDICT_OPTIONS, runNatPredict, wantsNat } from './predict-nat.js';
import { PROXY_PREDICT_OPTIONS, runProxyPredict, wantsProxy } from './predict-proxy.js';

/**
 * The flags as yargs hands them over; values stay strings so every check (and its message) is ours. The
 * names are `portlab run`'s where both commands have the flag (--port-range, --source-addresses,
 * --destinations, --pool-size ...); the old spellings are yargs aliases (--range, --pool).
 */
export interface PredictArgs {
  rate?: string | undefined;
  portRange?: string | undefined;
  os?: string | undefined;
  timeWait?: string | undefined;
  /** A HOST:PORT list as `run` takes it, or a count. */
  destinations?: string | undefined;
  /** An address list as `run` takes it, or a count. */
  sourceAddresses?: string | undefined;
  poolSize?: string | undefined;
  close?: string | undefined;
  twReuse?: string | undefined;
  twReuseDelay?: string | undefined;
  maxTwBuckets?: string | undefined;
  finTimeout?: string | undefined;
  timestamps?: string | undefined;
  json?: boolean | undefined;
}

/** What `--json` prints. */
export interface PredictReport {
  /** The OS preset used for defaults (TIME_WAIT, parity, and the range unless --port-range was given). */
  os: OsPreset['name'];
  input: PredictInput;
  prediction: Prediction;
}

const CLOSERS: readonly Closer[] = ['client', 'server', 'reset', 'never'];

/** A duration flag; a bare number is in `bareUnit` (seconds for TIME_WAIT, ms for the reuse delay, as the sysctl). */
function durationMs(flag: string, text: string | undefined, bareUnitMs: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) * bareUnitMs : undefined;
  const parsed = value === undefined ? parseDurationMs(text) : { ok: true as const, value };
  if (!parsed.ok) throw usage(`--${flag}: ${parsed.message}`);
  if (parsed.value <= 0) throw usage(`--${flag}: must be longer than 0, got "${text}"`);
  return parsed.value;
}

/** A sysctl switch as the sysctl (0, 1, 2) or a boolean; given alone (`--tw-reuse`) it means on. */
function sysctlMode(flag: string, text: string | undefined, modes: string): 0 | 1 | 2 | undefined {
  if (text === undefined) return undefined;
  const value = text.trim().toLowerCase();
  if (['', '1', 'true', 'on', 'yes'].includes(value)) return 1;
  if (['0', 'false', 'off', 'no'].includes(value)) return 0;
  if (value === '2') return 2;
  throw usage(`--${flag}: expected ${modes} or true/false, got "${text}"`);
}

function closerOf(text: string | undefined): Closer {
  const closer = CLOSERS.find((c) => c === (text ?? 'client'));
  if (closer !== undefined) return closer;
  const guess = didYouMean(text ?? '', CLOSERS);
  throw usage(`--close: expected client, server, reset or never, got "${text}"`, guess ? `did you mean "${guess}"?` : undefined);
}

/** Flags -> model input. Throws PortlabError('USAGE') on the first bad flag. */
export function inputFromArgs(args: PredictArgs): { os: OsPreset; input: PredictInput } {
  if (args.rate === undefined) throw usage('--rate is required', 'e.g. portlab predict --rate 500/s');
  const rate = parseRatePerSec(args.rate);
  if (!rate.ok) throw usage(`--rate: ${rate.message}`);
  if (!(rate.value > 0)) throw usage(`--rate: must be above 0, got "${args.rate}"`);

  const osName = args.os ?? 'linux';
  if (!isOsName(osName)) {
    const guess = didYouMean(osName, OS_NAMES);
    throw usage(`--os: unknown OS "${osName}"`, `${guess ? `did you mean "${guess}"? ` : ''}one of: ${OS_NAMES.join(', ')}`);
  }
  const preset = OS_PRESETS[osName];
  let portRange = preset.portRange;
  if (args.portRange !== undefined) {
    const parsed = parsePortRange(args.portRange);
    if (!parsed.ok) throw usage(`--port-range: ${parsed.message}`, 'e.g. --port-range 40000-40199');
    portRange = parsed.value;
  }

  const reuse = sysctlMode('tw-reuse', args.twReuse, '0, 1, 2 (loopback only)');
  const timestamps = sysctlMode('timestamps', args.timestamps, '0, 1, 2');
  const input: PredictInput = {
    ratePerSec: rate.value,
    portRange,
    timeWaitMs: durationMs('time-wait', args.timeWait, 1000) ?? preset.timeWaitMs,
    destinations: destinationCount(args.destinations) ?? 1,
    sourceAddresses: sourceAddressCount(args.sourceAddresses) ?? 1,
    closer: closerOf(args.close),
    parityLoss: preset.parityLoss,
  };
  const optional: Partial<PredictInput> = {
    poolSize: positiveInt('pool-size', args.poolSize),
    twReuse: reuse === undefined ? undefined : reuse > 0,
    twReuseLoopbackOnly: reuse === 2 ? true : undefined,
    twReuseDelayMs: durationMs('tw-reuse-delay', args.twReuseDelay, 1),
    maxTwBuckets: positiveInt('max-tw-buckets', args.maxTwBuckets, true),
    finTimeoutSec: positiveInt('fin-timeout', args.finTimeout),
    tcpTimestamps: timestamps === undefined ? undefined : timestamps > 0,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(input, { [key]: value });
  }
  return { os: preset, input };
}

/** Runs the command: writes the table (or JSON) through `write`. Throws PortlabError('USAGE') on bad flags. */
export function runPredict(args: PredictArgs, write: (text: string) => void): PredictReport {
  const { os, input } = inputFromArgs(args);
  const report: PredictReport = { os: os.name, input, prediction: predict(input) };
  write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderPrediction(report, os));
  return report;
}

/** Every flag is text (see PredictArgs); the names match `portlab run`'s, the old spellings are aliases. */
const PREDICT_OPTIONS = {
  rate: { type: 'string', describe: 'required: new connections per second (churn) or requests per second (pool): "500", "500/s", "6000/m"' },
  os: { type: 'string', describe: `port range and TIME_WAIT of an OS: ${OS_NAMES.join(', ')}` },
  'port-range': { type: 'string', alias: 'range', describe: 'ephemeral port range LOW-HIGH, like 40000-40199 (default: the OS range)' },
  'time-wait': { type: 'string', describe: 'how long TIME_WAIT lasts, like "60s" (a bare number is seconds; default: the OS value)' },
  destinations: { type: 'string', describe: 'destinations the load is spread over: HOST:PORT,... as for run, or a count' },
  'source-addresses': { type: 'string', describe: 'source addresses the load is spread over: ADDRESS,... as for run, or a count' },
  'pool-size': { type: 'string', alias: 'pool', describe: 'a pool of N persistent connections instead of one connection per request' },
  close: { type: 'string', describe: 'who closes first: client (client TIME_WAIT), server, reset (RST, no TIME_WAIT), or never (a leak)' },
  'tw-reuse': { type: 'string', describe: 'net.ipv4.tcp_tw_reuse: 0, 1, or 2 (loopback only); also true/false' },
  'tw-reuse-delay': { type: 'string', describe: 'net.ipv4.tcp_tw_reuse_delay: ms, or a duration like "1s" (default 1000 ms)' },
  'max-tw-buckets': { type: 'string', describe: 'net.ipv4.tcp_max_tw_buckets: TIME_WAIT above this is destroyed' },
  'fin-timeout': { type: 'string', describe: 'net.ipv4.tcp_fin_timeout in seconds (to see that it changes nothing)' },
  timestamps: { type: 'string', describe: 'net.ipv4.tcp_timestamps: 0 disables them, and with them TIME_WAIT reuse' },
  json: { type: 'boolean', describe: 'print the inputs and the prediction as JSON' },
} as const satisfies Record<string, Options>;

/** The command module (main.ts convention: the handler returns the exit code, errors are thrown). */
export const predictCommand = defineCommand({
  command: 'predict',
  describe: 'predict whether a connection pattern exhausts ephemeral ports (no lab, pure arithmetic)',
  builder: (yargs) =>
    yargs
      .options({ ...PREDICT_OPTIONS, ...NAT_PREDICT_OPTIONS, ...PROXY_PREDICT_OPTIONS })
      .example('$0 predict --rate 500/s', 'Linux defaults: exhausts after about 56 s')
      .example('$0 predict --rate 500/s --pool-size 50', 'the same load over a 50-connection pool')
      .example('$0 predict --os windows --rate 100', 'Windows: 16,384 ports, 240 s TIME_WAIT')
      .example('$0 predict --rate 50 --port-range 40000-40019 --tw-reuse 1', 'a small lab range with reuse')
      .example('$0 predict --rate 900 --source-addresses 127.0.0.1,127.0.0.2', 'two source addresses: twice the ports')
      .example('$0 predict --rate 900 --destinations 127.0.0.1:9000,127.0.0.1:9001', 'two destinations, as run takes them')
      .example('$0 predict --rate 900 --range 40000-40199 --source-addresses 2', 'the older spellings')
      .example('$0 predict --rate 1000/s --json', 'machine-readable')
      .example('$0 predict --nat gcp-default --pool-size 100', 'a NAT: Cloud NAT gives a VM 64 ports per destination')
      .example('$0 predict --proxy per-request --rate 100/s --pool-size 10 --port-range 40000-40199', "a proxy: ports on both hops; its backend hop runs out at 2 s")
      .epilogue(
        'The flags are spelt as for `portlab run`. Older spellings still work: --range for --port-range, --pool for ' +
          `--pool-size, and a count for --source-addresses and --destinations. With --nat the NAT's model answers ` +
          `instead (concurrent connections per destination through the NAT's ports).\n\n${exitCodesEpilogue(['OK', 'BAD_INPUT'])}`,
      ),
  handler: (args, io) => {
    // --nat: a NAT's concurrent connections per destination instead of the client's ports.
    if (wantsNat(args)) runNatPredict(args, (text) => io.stdout.write(text));
    // --proxy: ports on both hops of a proxy (client -> proxy, proxy -> backend).
    else if (wantsProxy(args)) runProxyPredict(args, inputFromArgs(args).input, (text) => io.stdout.write(text));
    else runPredict(args, (text) => io.stdout.write(text));
    return EXIT.OK;
  },
});

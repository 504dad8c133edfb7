/**
 * `portlab predict`: the exhaustion model on its own, no lab. "What would 500 connections/s do on Linux?"
 * Flags become a PredictInput (OS preset, then explicit overrides); bad input is PortlabError('USAGE').
 */
import type { Argv } from 'yargs';
import { EXIT, PortlabError } from '../errors/index.js';
import { predict } from '../model/predict.js';
import { isOsName, OS_NAMES, OS_PRESETS, type OsPreset } from '../model/presets.js';
import type { Closer, PredictInput, Prediction } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { parseDurationMs, parsePortRange, parseRatePerSec } from '../util/units.js';
import type { PortlabCommandModule } from './command.js';
import { renderPrediction } from './predict-render.js';
import { NAT_PREDICT_FLAGS, runNatPredict, wantsNat, type NatPredictArgs } from './predict-nat.js';

/** The flags as yargs hands them over; values stay strings so every check (and its message) is ours. */
export interface PredictArgs extends NatPredictArgs {
  rate?: string;
  range?: string;
  os?: string;
  timeWait?: string;
  destinations?: string;
  sourceAddresses?: string;
  pool?: string;
  close?: string;
  twReuse?: string;
  twReuseDelay?: string;
  maxTwBuckets?: string;
  finTimeout?: string;
  json?: boolean;
}

/** What `--json` prints. */
export interface PredictReport {
  /** The OS preset used for defaults (TIME_WAIT, parity, and the range unless --range was given). */
  os: OsPreset['name'];
  input: PredictInput;
  prediction: Prediction;
}

const CLOSERS: readonly Closer[] = ['client', 'server', 'reset'];

function usage(message: string, hint?: string): PortlabError {
  return new PortlabError('USAGE', message, hint === undefined ? {} : { hint });
}

function positiveInt(flag: string, text: string | undefined, allowZero = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || (!allowZero && value === 0)) {
    throw usage(`--${flag}: expected a whole number${allowZero ? '' : ' above 0'}, got "${text}"`);
  }
  return value;
}

/** A duration flag; a bare number is in `bareUnit` (seconds for TIME_WAIT, ms for the reuse delay, as the sysctl). */
function durationMs(flag: string, text: string | undefined, bareUnitMs: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) * bareUnitMs : undefined;
  const parsed = value === undefined ? parseDurationMs(text) : { ok: true as const, value };
  if (!parsed.ok) throw usage(`--${flag}: ${parsed.message}`);
  if (parsed.value <= 0) throw usage(`--${flag}: must be longer than 0, got "${text}"`);
  return parsed.value;
}

/** tcp_tw_reuse as the sysctl (0, 1, 2) or a boolean; 2 is "on for loopback only". */
function twReuseMode(text: string | undefined): 0 | 1 | 2 | undefined {
  if (text === undefined) return undefined;
  const value = text.trim().toLowerCase();
  if (['', '1', 'true', 'on', 'yes'].includes(value)) return 1;
  if (['0', 'false', 'off', 'no'].includes(value)) return 0;
  if (value === '2') return 2;
  throw usage(`--tw-reuse: expected 0, 1, 2 (loopback only) or true/false, got "${text}"`);
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
  if (args.range !== undefined) {
    const parsed = parsePortRange(args.range);
    if (!parsed.ok) throw usage(`--range: ${parsed.message}`, 'e.g. --range 40000-40199');
    portRange = parsed.value;
  }

  const closer = (args.close ?? 'client') as Closer;
  if (!CLOSERS.includes(closer)) {
    const guess = didYouMean(closer, CLOSERS);
    throw usage(`--close: expected client, server or reset, got "${args.close}"`, guess ? `did you mean "${guess}"?` : undefined);
  }

  const reuse = twReuseMode(args.twReuse);
  const input: PredictInput = {
    ratePerSec: rate.value,
    portRange,
    timeWaitMs: durationMs('time-wait', args.timeWait, 1000) ?? preset.timeWaitMs,
    destinations: positiveInt('destinations', args.destinations) ?? 1,
    sourceAddresses: positiveInt('source-addresses', args.sourceAddresses) ?? 1,
    closer,
    parityLoss: preset.parityLoss,
  };
  const optional: Partial<PredictInput> = {
    poolSize: positiveInt('pool', args.pool),
    twReuse: reuse === undefined ? undefined : reuse > 0,
    twReuseLoopbackOnly: reuse === 2 ? true : undefined,
    twReuseDelayMs: durationMs('tw-reuse-delay', args.twReuseDelay, 1),
    maxTwBuckets: positiveInt('max-tw-buckets', args.maxTwBuckets, true),
    finTimeoutSec: positiveInt('fin-timeout', args.finTimeout),
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

const STRING_FLAGS: Record<string, string> = {
  rate: 'required: new connections per second (churn) or requests per second (pool): "500", "500/s", "6000/m"',
  os: `port range and TIME_WAIT of an OS: ${OS_NAMES.join(', ')}`,
  range: 'ephemeral port range LOW-HIGH (overrides the OS range)',
  'time-wait': 'how long TIME_WAIT lasts, like "60s" (a bare number is seconds; default: the OS value)',
  destinations: 'distinct destination (IP, port) pairs the load is spread over',
  'source-addresses': 'distinct source addresses the load is spread over',
  pool: 'a pool of N persistent connections instead of one connection per request',
  close: 'who closes first: client (client TIME_WAIT), server, or reset (RST, no TIME_WAIT)',
  'tw-reuse': 'net.ipv4.tcp_tw_reuse: 0, 1, or 2 (loopback only); also true/false',
  'tw-reuse-delay': 'net.ipv4.tcp_tw_reuse_delay: ms, or a duration like "1s" (default 1000 ms)',
  'max-tw-buckets': 'net.ipv4.tcp_max_tw_buckets: TIME_WAIT above this is destroyed',
  'fin-timeout': 'net.ipv4.tcp_fin_timeout in seconds (to see that it changes nothing)',
};

/** The command module (main.ts convention: the handler returns the exit code, errors are thrown). */
export const predictCommand: PortlabCommandModule<PredictArgs> = {
  command: 'predict',
  describe: 'predict whether a connection pattern exhausts ephemeral ports (no lab, pure arithmetic)',
  builder: (yargs: Argv<object>) => {
    let y = yargs as Argv<PredictArgs>;
    for (const [flag, describe] of Object.entries({ ...STRING_FLAGS, ...NAT_PREDICT_FLAGS })) {
      y = y.option(flag, { type: 'string', describe });
    }
    return y
      .option('json', { type: 'boolean', describe: 'print the inputs and the prediction as JSON' })
      .example('$0 predict --rate 500/s', 'Linux defaults: exhausts after about 56 s')
      .example('$0 predict --rate 500/s --pool 50', 'the same load over a 50-connection pool')
      .example('$0 predict --os windows --rate 100', 'Windows: 16,384 ports, 240 s TIME_WAIT')
      .example('$0 predict --rate 50 --range 40000-40019 --tw-reuse 1', 'a small lab range with reuse')
      .example('$0 predict --rate 1000/s --destinations 4 --json', 'machine-readable')
      .example('$0 predict --nat gcp-default --pool 100', 'a NAT: Cloud NAT gives a VM 64 ports per destination');
  },
  handler: (args) => {
    // --nat: a NAT's concurrent connections per destination instead of the client's ports.
    if (wantsNat(args)) runNatPredict(args, (text) => process.stdout.write(text));
    else runPredict(args, (text) => process.stdout.write(text));
    return EXIT.OK;
  },
};

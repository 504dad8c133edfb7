/**
 * `portlab predict --nat aws|azure-default|gcp-default`: the NAT model on its own. A NAT limits concurrent
 * connections per destination (its ports per client address, times the addresses a client can use), not the
 * connect rate, unless it keeps closed connections' tuples (Cloud NAT: 120 s). Flags become a NatInput
 * (preset, then overrides); bad input is PortlabError('USAGE').
 */
import type { Options } from 'yargs';
import { formatAboutMs, formatRatePerSec } from '../model/advice.js';
import { isNatPresetName, NAT_PRESET_NAMES, NAT_PRESETS, predictNat, type NatInput, type NatPreset, type NatPrediction } from '../model/nat.js';
import { didYouMean } from '../util/suggest.js';
import { parseDurationMs, parseRatePerSec, trimNumber } from '../util/units.js';
import { destinationCount, positiveInt, sourceAddressCount, usage } from './predict-flags.js';

/**
 * The flags `predict --nat` reads (strings, as yargs hands them over); --rate, --pool-size, --destinations,
 * --source-addresses and --json are predict's own, spelt as for `portlab run`.
 */
export interface NatPredictArgs {
  nat?: string | undefined;
  natPorts?: string | undefined;
  natAddresses?: string | undefined;
  hold?: string | undefined;
  rate?: string | undefined;
  poolSize?: string | undefined;
  /** A HOST:PORT list as `run` takes it, or a count. */
  destinations?: string | undefined;
  /** An address list as `run` takes it, or a count. */
  sourceAddresses?: string | undefined;
  json?: boolean | undefined;
}

/** What `predict --nat --json` prints; JSON has no Infinity, so a connection never closed shows as null. */
export interface NatPredictReport {
  nat: NatPreset['name'];
  input: NatInput;
  prediction: NatPrediction;
}

/** The flags this file adds to `portlab predict`. */
export const NAT_PREDICT_OPTIONS = {
  nat: { type: 'string', describe: `predict a NAT instead of the client's ports: ${NAT_PRESET_NAMES.join(', ')}` },
  'nat-ports': { type: 'string', describe: 'with --nat: ports per NAT address for one client (overrides the preset)' },
  'nat-addresses': { type: 'string', describe: 'with --nat: NAT addresses (overrides the preset)' },
  hold: { type: 'string', describe: 'with --nat: how long each connection stays open, like "30s", or "forever" (default 0: closed at once)' },
} as const satisfies Record<string, Options>;

function holdMs(text: string | undefined): number {
  if (text === undefined) return 0;
  if (['forever', 'never', 'inf', 'infinity'].includes(text.trim().toLowerCase())) return Infinity;
  const parsed = parseDurationMs(text);
  if (!parsed.ok) throw usage(`--hold: ${parsed.message}`, 'e.g. --hold 30s, or --hold forever');
  return parsed.value;
}

/** True when any NAT flag was given: the NAT model answers instead of the client-port model. */
export function wantsNat(args: NatPredictArgs): boolean {
  return args.nat !== undefined || args.natPorts !== undefined || args.natAddresses !== undefined || args.hold !== undefined;
}

/** Flags -> NAT model input. Throws PortlabError('USAGE') on the first bad flag. */
export function natInputFromArgs(args: NatPredictArgs): { preset: NatPreset; input: NatInput } {
  if (args.nat === undefined) throw usage('--nat-ports, --nat-addresses and --hold need --nat', `e.g. --nat ${NAT_PRESET_NAMES[0]}`);
  if (!isNatPresetName(args.nat)) {
    const guess = didYouMean(args.nat, NAT_PRESET_NAMES);
    throw usage(`--nat: unknown NAT "${args.nat}"`, `${guess ? `did you mean "${guess}"? ` : ''}one of: ${NAT_PRESET_NAMES.join(', ')}`);
  }
  const preset = NAT_PRESETS[args.nat];
  const base = {
    portsPerAddress: positiveInt('nat-ports', args.natPorts) ?? preset.portsPerAddress,
    addresses: positiveInt('nat-addresses', args.natAddresses) ?? preset.addresses,
    addressChoice: preset.addressChoice,
    destinations: destinationCount(args.destinations) ?? 1,
    clientAddresses: sourceAddressCount(args.sourceAddresses) ?? 1,
    closedHoldMs: preset.closedHoldMs ?? 0,
  };
  const poolSize = positiveInt('pool-size', args.poolSize);
  if (poolSize !== undefined) return { preset, input: { ...base, pattern: 'pool', poolSize } };
  if (args.rate === undefined) throw usage('--nat needs --rate (new connections per second) or --pool-size', 'e.g. portlab predict --nat aws --rate 500/s --hold 60s');
  const rate = parseRatePerSec(args.rate);
  if (!rate.ok) throw usage(`--rate: ${rate.message}`);
  if (!(rate.value > 0)) throw usage(`--rate: must be above 0, got "${args.rate}"`);
  return { preset, input: { ...base, pattern: 'churn', ratePerSec: rate.value, openMs: holdMs(args.hold) } };
}

const n = (value: number): string => (Number.isFinite(value) ? trimNumber(value, 0) : 'unbounded');

/** The human output: a short table, the advice, the notes. */
export function renderNatPrediction(report: NatPredictReport, preset: NatPreset): string {
  const { input, prediction: p } = report;
  const load =
    input.pattern === 'pool'
      ? `a pool of ${n(input.poolSize!)} connections`
      : `${formatRatePerSec(input.ratePerSec!)}, ${input.openMs === Infinity ? 'each kept open' : input.openMs ? `each open ${formatAboutMs(input.openMs)}` : 'each closed at once'}`;
  const rows: [string, string][] = [
    ['NAT', `${preset.label}: ${preset.source}`],
    ['per destination', `${n(p.capacityPerDestination)} connections (${n(input.portsPerAddress)} ports x ${n(p.usableAddresses)} address${p.usableAddresses === 1 ? '' : 'es'})`],
    ['destinations', n(input.destinations)],
    ['needed at once', `${n(p.concurrentPerDestination)} per destination`],
    ['exhausts', p.exhausts ? 'yes: SYNs dropped, clients see connect timeouts' : 'no'],
    ['first drop', p.firstDropMs === null ? 'never' : p.firstDropMs === 0 ? 'immediately' : `after ~${formatAboutMs(p.firstDropMs)}`],
  ];
  if (input.pattern === 'churn') {
    rows.push(['max sustainable rate', p.maxSustainableRatePerSec === null ? 'not limited by the NAT' : formatRatePerSec(p.maxSustainableRatePerSec)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [`portlab predict --nat ${preset.name}: ${load}`, '', ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`), '', p.advice];
  for (const note of p.notes) lines.push(`note: ${note}`);
  if (preset.closedHoldMs === null) {
    lines.push(`note: ${preset.label} does not document how long a closed connection keeps its port; counted as released at once.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `predict --nat`: writes the table (or JSON) through `write`. */
export function runNatPredict(args: NatPredictArgs, write: (text: string) => void): NatPredictReport {
  const { preset, input } = natInputFromArgs(args);
  const report: NatPredictReport = { nat: preset.name, input, prediction: predictNat(input) };
  write(args.json ? `${JSON.stringify(report, (_key, value: unknown) => (value === Infinity ? null : value), 2)}\n` : renderNatPrediction(report, preset));
  return report;
}

/**
 * `--emit-scenario`: a scenario that replays in a lab what doctor saw, scaled down. It keeps what decides
 * exhaustion: the close side, the pattern, the number of destinations, and the ratio of demand to ports
 * (rate x hold time / usable ports). Two scalings leave that ratio alone:
 * - fewer ports (at most 1,000 per destination) with the rate lowered in step;
 * - time, `--scale K` times faster: the lab cannot shorten TIME_WAIT, but tcp_tw_reuse=1 with
 *   tcp_tw_reuse_delay = hold / K gives every port back K times sooner, which is the same thing for the
 *   ports (kernel-facts.md: with reuse the sustainable rate is ports / delay).
 * The default K makes a live load that exhausts do so within about 10 s in the lab (one that does not, reach
 * its steady state within about 5 s). Expectations come from the model, as `portlab run` predicts them.
 */
import { stringify } from 'yaml';
import { checkScenarioText } from '../config/loader.js';
import { formatProblem, isError } from '../config/problems.js';
import { PortlabError } from '../errors/index.js';
import { formatAboutMs, formatRatePerSec } from '../model/advice.js';
import { OS_PRESETS } from '../model/presets.js';
import { predictRun } from '../run/prediction.js';
import { formatDurationMs, parsePortRange, trimNumber } from '../util/units.js';
import { holdMsFor } from './analyze.js';
import type { DoctorReport, TupleReport } from './types.js';

/** How fast the lab should reach what the live machine would reach. */
const TARGET_ONSET_MS = 10_000;
const TARGET_STEADY_MS = 5_000;
const MAX_LAB_PORTS = 1000;
const MIN_LAB_PORTS = 20;
/** Total lab rate kept under what the raw engine holds easily on two cores. */
const MAX_LAB_RATE_PER_SEC = 4000;
const MAX_DESTINATIONS = 16;
const FIRST_PORT = 40000;
const FIRST_TARGET_PORT = 9000;
/** Pool scenarios only need to show the pool fits (or not): a short run at a modest request rate. */
const POOL_REQUESTS_PER_SEC = 100;
const POOL_DURATION_MS = 5000;
/** Loads that leave the client no TIME_WAIT: long enough to see that nothing runs out. */
const REPLAY_DURATION_MS = 10_000;

/** What the scenario was derived from and what it asks for; `--json` shows it beside the report. */
export interface EmittedScenario {
  /** The YAML text, comment header included. */
  text: string;
  /** Time compression: the lab plays K seconds of the live machine per second. */
  scale: number;
  pattern: 'churn' | 'pool';
  close: 'client' | 'server' | 'reset';
  destinations: number;
  portsPerDestination: number;
  /** Total arrival rate (churn: connections/s; pool: requests/s). */
  ratePerSec: number;
  /** Hold time of a closed connection's port in the lab: TIME_WAIT, or tcp_tw_reuse_delay. */
  holdMs: number;
  durationMs: number;
  /** The model's onset for the scenario, ms after its start; null when it does not exhaust. */
  predictedOnsetMs: number | null;
  /** The live figures it came from. */
  live: { tuple: string; usablePorts: number; ratePerSec: number; holdMs: number; onsetFromEmptyMs: number | null };
}

const even = (n: number): number => Math.max(2, 2 * Math.floor(n / 2));
const roundMs = (ms: number): number => Math.max(100, Math.round(ms / 100) * 100);

/** What the scenario replays: the busiest tuple's figures (or the namespace's, when no client socket shows). */
type Replayed = Pick<TupleReport, 'source' | 'destination' | 'usablePorts' | 'portsInUse' | 'utilizationPct' | 'established' | 'closeWait' | 'newPerSec' | 'exhaustsInMs'>;

/**
 * The tuple to replay: the one the rate strains most, else the one holding most ports. Connections the
 * server closes or resets leave no client socket behind for long: then the opens alone describe the load.
 */
function tupleToReplay(report: DoctorReport): Replayed {
  const strained = [...report.tuples].filter((t) => t.newPerSec > 0).sort((a, b) => (b.steadyUtilizationPct ?? 0) - (a.steadyUtilizationPct ?? 0))[0];
  const tuple = strained ?? report.tuples[0];
  if (tuple && (tuple.newPerSec > 0 || report.observed.pattern === 'pool')) return tuple;
  if (report.rates.newConnectionsPerSec > 0) {
    const usablePorts = report.portRange.usable;
    return { source: 'any', destination: '(not seen)', usablePorts, portsInUse: 0, utilizationPct: 0, established: 0, closeWait: 0, newPerSec: 0, exhaustsInMs: null };
  }
  throw new PortlabError('USAGE', 'nothing to reproduce: no outgoing connection opened or stayed open during the window', {
    hint: 'run doctor while the load is on, or with a longer --window',
  });
}

function header(report: DoctorReport, e: Omit<EmittedScenario, 'text'>, tuple: Replayed): string[] {
  const live = e.live;
  const reuse = report.sysctls['net.ipv4.tcp_tw_reuse'] ?? '?';
  const lines = [
    `Emitted by \`portlab doctor --emit-scenario\` (portlab ${report.version}) from ${report.target.label} at ${report.takenAt}.`,
    `Live: ${live.tuple} held ${trimNumber(tuple.portsInUse, 0)} of ${trimNumber(live.usablePorts, 0)} usable ports (${trimNumber(tuple.utilizationPct)}%);`,
    `  ${formatRatePerSec(report.rates.newConnectionsPerSec)} new connections over ${formatAboutMs(report.windowMs)}, ${formatRatePerSec(live.ratePerSec)} to this tuple;`,
    `  pattern ${e.pattern}, ${e.close} closes first, ${e.destinations} destination(s); a closed port is held ${formatAboutMs(live.holdMs)} (tcp_tw_reuse=${reuse}).`,
    live.onsetFromEmptyMs === null
      ? '  Model: at that rate the live tuple never runs out of ports.'
      : `  Model: from an empty tuple it runs out after ${formatAboutMs(live.onsetFromEmptyMs)}` +
        (tuple.exhaustsInMs === null ? '.' : `; from the reading, in about ${formatAboutMs(tuple.exhaustsInMs)}.`),
    `Lab: ${e.portsPerDestination} ports per destination, ${e.scale === 1 ? 'real time' : `${trimNumber(e.scale)} times faster (a port is held ${formatAboutMs(e.holdMs)} through tcp_tw_reuse_delay)`}, ` +
      `${formatRatePerSec(e.ratePerSec)} in all.`,
    e.predictedOnsetMs === null ? 'Predicted: no exhaustion.' : `Predicted: exhaustion after ${formatAboutMs(e.predictedOnsetMs)}.`,
  ];
  if (e.holdMs < OS_PRESETS.linux.timeWaitMs) lines.push('tcp_tw_reuse_delay needs Linux 6.14 or later in the lab.');
  return lines.map((line) => `# ${line}`);
}

/** The scenario for `report`. `scale` overrides the time compression. Throws USAGE when there is nothing to replay. */
export function emitScenario(report: DoctorReport, options: { scale?: number; name?: string } = {}): EmittedScenario {
  const tuple = tupleToReplay(report);
  const observed = report.observed;
  const close = observed.close ?? 'client';
  const pattern: 'churn' | 'pool' = observed.pattern === 'pool' ? 'pool' : 'churn';
  const busy = report.tuples.filter((t) => (pattern === 'pool' ? t.established > 0 : t.newPerSec > 0));
  const destinations = Math.min(MAX_DESTINATIONS, Math.max(1, new Set(busy.map((t) => t.destination)).size));
  const usable = Math.max(1, tuple.usablePorts);
  const liveHoldMs = holdMsFor(tuple.destination, report.sysctls);
  // Churn that the client does not close first leaves no TIME_WAIT to count: take the opens, per destination.
  const liveRate = close === 'client' ? tuple.newPerSec : report.rates.newConnectionsPerSec / destinations;
  const demand = (liveRate * liveHoldMs) / 1000 / usable;
  const onsetFromEmptyMs = pattern === 'churn' && close === 'client' && demand > 1 ? (usable / liveRate) * 1000 : null;
  // Only TIME_WAIT the client keeps gets faster with a shorter hold: other loads replay in real time.
  const auto = onsetFromEmptyMs !== null ? onsetFromEmptyMs / TARGET_ONSET_MS : pattern === 'churn' && close === 'client' ? liveHoldMs / TARGET_STEADY_MS : 1;
  // A round factor reads better in the scenario (tcp_tw_reuse_delay 30000, not 30060).
  const scale = options.scale ?? Math.max(1, Math.round(auto * 10) / 10);
  if (!(Number.isFinite(scale) && scale >= 1)) throw new PortlabError('USAGE', `--scale: expected a number of at least 1, got ${scale}`);
  const holdMs = Math.max(1, Math.round(liveHoldMs / scale));

  let ports = even(Math.min(usable, MAX_LAB_PORTS));
  let ratePerDestination = (demand * ports * 1000) / holdMs;
  if (pattern === 'churn' && ratePerDestination * destinations > MAX_LAB_RATE_PER_SEC) {
    ports = even(Math.max(MIN_LAB_PORTS, (MAX_LAB_RATE_PER_SEC / destinations) * (holdMs / 1000) / Math.max(demand, 1e-9)));
    ratePerDestination = (demand * ports * 1000) / holdMs;
  }
  const poolSize = Math.max(1, Math.round(((tuple.established + tuple.closeWait) * ports) / usable)) * destinations;
  const ratePerSec = pattern === 'pool' ? POOL_REQUESTS_PER_SEC : Math.max(0.1, Number((ratePerDestination * destinations).toPrecision(4)));

  const sysctls: Record<string, string | number> = { 'net.ipv4.ip_local_port_range': `${FIRST_PORT} ${FIRST_PORT + ports - 1}` };
  if (holdMs >= OS_PRESETS.linux.timeWaitMs) sysctls['net.ipv4.tcp_tw_reuse'] = 0;
  else Object.assign(sysctls, { 'net.ipv4.tcp_tw_reuse': 1, 'net.ipv4.tcp_timestamps': 1, 'net.ipv4.tcp_tw_reuse_delay': holdMs });
  const targetPorts = Array.from({ length: destinations }, (_, i) => FIRST_TARGET_PORT + i);
  const name = options.name ?? 'doctor-reproduction';
  const document: Record<string, unknown> = {
    name,
    description: `Replays what portlab doctor saw in ${report.target.label} at ${report.takenAt}: ${tuple.source} -> ${tuple.destination}, scaled down.`,
    // Long enough for the model to find the onset; the real duration follows from it.
    duration: '1h',
    lab: { kind: 'auto', sysctls },
    target: { protocol: 'tcp', ports: targetPorts },
    client: pattern === 'pool' ? { pattern, rate: `${ratePerSec}/s`, pool: { size: poolSize } } : { pattern, close, rate: `${ratePerSec}/s` },
  };

  const scenario = load(stringify(document), name);
  const range = parsePortRange(`${FIRST_PORT} ${FIRST_PORT + ports - 1}`);
  if (!range.ok) throw new PortlabError('INTERNAL', range.message);
  const onsetMs = predictRun(scenario, scenario.lab.sysctls, range.value).onsetMs;
  // The model's slack shows as 2000.000000002 ms: whole ms are all a run can tell apart.
  const predictedOnsetMs = onsetMs === null ? null : Math.round(onsetMs);
  let durationMs = REPLAY_DURATION_MS;
  if (pattern === 'pool') durationMs = POOL_DURATION_MS;
  else if (predictedOnsetMs !== null) durationMs = roundMs(Math.max(5000, predictedOnsetMs * 1.5 + 2000));
  else if (close === 'client') durationMs = roundMs(Math.min(60_000, Math.max(TARGET_STEADY_MS, 2 * holdMs)));
  document.duration = formatDurationMs(durationMs);
  const expect: Record<string, unknown> = { eaddrnotavail: predictedOnsetMs !== null };
  if (predictedOnsetMs !== null) expect.onsetWithin = [formatDurationMs(roundMs(predictedOnsetMs * 0.85)), formatDurationMs(roundMs(predictedOnsetMs * 1.15))];
  document.expect = expect;

  const figures: Omit<EmittedScenario, 'text'> = {
    scale,
    pattern,
    close,
    destinations,
    portsPerDestination: ports,
    ratePerSec,
    holdMs,
    durationMs,
    predictedOnsetMs,
    live: { tuple: `${tuple.source} -> ${tuple.destination}`, usablePorts: usable, ratePerSec: liveRate, holdMs: liveHoldMs, onsetFromEmptyMs },
  };
  const text = `${header(report, figures, tuple).join('\n')}\n${stringify(document)}`;
  load(text, name);
  return { text, ...figures };
}

/** The scenario as `portlab run` would load it; an emitted file that does not validate is portlab's bug. */
function load(text: string, name: string): NonNullable<ReturnType<typeof checkScenarioText>['scenario']> {
  const { scenario, problems } = checkScenarioText(text, `${name}.yaml`);
  if (!scenario || problems.some(isError)) {
    throw new PortlabError('INTERNAL', 'the emitted scenario does not validate', { details: problems.map(formatProblem) });
  }
  return scenario;
}

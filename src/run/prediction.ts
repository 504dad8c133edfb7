/**
 * What the model predicts for a scenario in the lab it ran in: the effective sysctls decide the range,
 * reuse and the TIME_WAIT cap, so the prediction is made after the lab read them back.
 */
import type { Scenario } from '../config/types.js';
import { planFor } from '../model/plan.js';
import { keepAliveOutcome, type KeepAliveOutcome } from '../model/keep-alive.js';
import { DEFAULT_TW_REUSE_DELAY_MS, predict, predictOnsetMs } from '../model/predict.js';
import { predictRecyclingOnsetMs, recycles } from '../model/recycling.js';
import type { PredictInput, Prediction } from '../model/types.js';
import { portRange as rangeOf, type PortRange } from '../util/units.js';
import { bindsSource } from '../config/binding.js';
import { OS_PRESETS } from '../model/presets.js';

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/**
 * What a keep-alive HTTP client (node-agent, undici) does with idle connections against the scenario's
 * server; null for the other engines.
 */
export function keepAliveOf(scenario: Scenario): KeepAliveOutcome | null {
  const { client, target } = scenario;
  if (client.engine !== 'node-agent' && client.engine !== 'undici') return null;
  const agent = client.engine === 'node-agent';
  return keepAliveOutcome({
    client: client.engine,
    keepAlive: agent ? client.agent.keepAlive : true,
    clientTimeoutMs: agent ? client.agent.timeoutMs : client.undici.keepAliveTimeoutMs,
    serverTimeoutMs: target.keepAliveTimeoutMs,
    hint: target.keepAliveHint && !target.connectionClose,
  });
}

/** What a request takes on loopback besides the target's delay, for the size of an unlimited pool. */
const LOOPBACK_REQUEST_MS = 10;

/**
 * Persistent connections the load keeps, if it pools: the raw and autocannon engines pool with
 * `pattern: pool`; Node's http.Agent and undici pool when they reuse connections (keepAlive on, and no server
 * hint that turns reuse off), up to maxSockets or connections. An unlimited pool grows to the requests in
 * flight at once (rate x time per request, at least one per worker), not to maxInFlight. Without reuse each
 * socket is destroyed after its response: churn, client first.
 */
export function modelledPoolSize(scenario: Scenario): number | undefined {
  const { client, target } = scenario;
  const keepAlive = keepAliveOf(scenario);
  if (keepAlive) {
    if (!keepAlive.reuses || target.connectionClose) return undefined;
    const limit = client.engine === 'node-agent' ? client.agent.maxSockets : client.undici.connections;
    const inFlight = Math.ceil((planFor(client.stages).peakRatePerSec * (target.responseDelayMs + LOOPBACK_REQUEST_MS)) / 1000);
    return Math.min(limit ?? Infinity, client.maxInFlight, Math.max(client.workers, inFlight));
  }
  return client.pattern === 'pool' ? client.pool.size : undefined;
}

/**
 * The ports a socket may draw with IP_LOCAL_PORT_RANGE: the kernel keeps the per-socket range within the
 * namespace's (inet_sk_get_local_port_range), and ignores it when the two do not overlap.
 */
export function narrowed(lab: PortRange, socket: PortRange | null): PortRange {
  if (!socket) return lab;
  const low = Math.max(lab.low, socket.low);
  const high = Math.min(lab.high, socket.high);
  return low > high ? lab : rangeOf(low, high);
}

/** The model's inputs for a scenario and the lab's effective sysctls. */
export function predictInputFor(scenario: Scenario, sysctls: Record<string, string>, portRange: PortRange): PredictInput {
  const { client } = scenario;
  const twReuse = num(sysctls['net.ipv4.tcp_tw_reuse']) ?? 2;
  const destinations = new Set(client.destinations.map((d) => `${d.host}:${d.port}`)).size;
  const bound = bindsSource(scenario.client);
  const exclusivePorts = bound && client.bindStrategy === 'bind';
  const recycle = { lifetimeMs: client.pool.maxLifetimeMs, requestsPerConnection: client.pool.maxRequestsPerConnection };
  const recycling = client.engine === 'raw' && client.pattern === 'pool' && recycles({ poolSize: client.pool.size, ...recycle });
  // UDP (measured): a socket's port is free again the moment it closes (no TIME_WAIT, as after an RST), and
  // the port is taken by bind(0), exclusive whatever the destination.
  const udp = scenario.target.protocol === 'udp';
  return {
    ratePerSec: planFor(client.stages).peakRatePerSec,
    portRange: bound && client.bindStrategy === 'no-port' ? narrowed(portRange, client.socketPortRange) : portRange,
    // Labs are Linux: TCP_TIMEWAIT_LEN, fixed in the kernel, no sysctl changes it.
    timeWaitMs: OS_PRESETS.linux.timeWaitMs,
    // bind(ip, 0) picks a port free for that address whatever the destination: destinations stop multiplying.
    // IP_BIND_ADDRESS_NO_PORT leaves the choice to connect(), per 4-tuple: they multiply again.
    destinations: exclusivePorts || udp ? 1 : destinations,
    sourceAddresses: bound ? new Set(client.sourceAddresses).size : 1,
    boundSources: bound,
    ...(bound ? { bindStrategy: client.bindStrategy } : {}),
    poolSize: modelledPoolSize(scenario),
    ...(recycling ? { poolRecycle: recycle } : {}),
    closer: udp && client.close === 'client' ? 'reset' : client.close,
    ...(udp ? { transport: 'udp' as const } : {}),
    // 2 means loopback only, and every lab destination is loopback.
    twReuse: twReuse !== 0,
    twReuseLoopbackOnly: twReuse === 2,
    twReuseDelayMs: num(sysctls['net.ipv4.tcp_tw_reuse_delay']),
    tcpTimestamps: (num(sysctls['net.ipv4.tcp_timestamps']) ?? 1) !== 0,
    maxTwBuckets: num(sysctls['net.ipv4.tcp_max_tw_buckets']),
    finTimeoutSec: scenario.lab.sysctls['net.ipv4.tcp_fin_timeout'] !== undefined ? num(sysctls['net.ipv4.tcp_fin_timeout']) : undefined,
  };
}

export interface RunPrediction {
  input: PredictInput;
  prediction: Prediction;
  /** When the planned load (ramps included) first exhausts, ms since start; null if never. */
  onsetMs: number | null;
}

export function predictRun(scenario: Scenario, sysctls: Record<string, string>, portRange: PortRange): RunPrediction {
  const input = predictInputFor(scenario, sysctls, portRange);
  const prediction = predict(input);
  let onsetMs: number | null;
  if (input.poolSize !== undefined && input.poolRecycle !== undefined) {
    onsetMs = predictRecyclingOnsetMs(scenario.client.stages, prediction.capacity, input.timeWaitMs, { poolSize: input.poolSize, ...input.poolRecycle });
  } else if (input.poolSize !== undefined) onsetMs = prediction.timeToFirstFailureMs;
  else {
    const reuse = input.twReuse && input.tcpTimestamps !== false;
    onsetMs = predictOnsetMs(scenario.client.stages, prediction.capacity, input.timeWaitMs, {
      closer: input.closer,
      twReuseDelayMs: reuse ? (input.twReuseDelayMs ?? DEFAULT_TW_REUSE_DELAY_MS) : undefined,
      maxTwBuckets: input.maxTwBuckets,
    });
  }
  return { input, prediction, onsetMs };
}

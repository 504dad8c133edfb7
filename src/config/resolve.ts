/**
 * Turns a validated scenario (user units) into a Scenario (numbers), and runs the checks that span
 * several fields: how long the run lasts, the port range (parsed here, once), expectations that contradict.
 */
import type { ScenarioParsed } from './schema.js';
import { PORT_RANGE_SYSCTL, type AgentSettings, type Destination, type Problem, type Scenario, type Stage } from './types.js';
import { formatDurationMs, formatRate, parseDurationMs, parsePortRange, parseRatePerSec, portRangeSysctlValue, type PortRange } from '../util/units.js';
import { planFor } from '../model/plan.js';
import { MAX_DURATION_MS } from './schema.js';
import { engineProblems } from './engine-problems.js';
import { defaultDestinationHost, resolveNat } from './nat.js';
import { resolveProxy } from './proxy.js';

/** Sysctls every created lab sets unless the scenario says otherwise. */
export const LAB_DEFAULT_SYSCTLS: Readonly<Record<string, string>> = {
  // The kernel's default 2 turns TIME_WAIT reuse on for loopback only, which would hide exhaustion that a
  // real remote backend shows; the lab models a remote backend.
  'net.ipv4.tcp_tw_reuse': '0',
};

const ms = (text: string): number => {
  const parsed = parseDurationMs(text);
  if (!parsed.ok) throw new Error(`unvalidated duration: ${text}`);
  return parsed.value;
};

const perSec = (value: string | number): number => {
  const parsed = parseRatePerSec(value);
  if (!parsed.ok) throw new Error(`unvalidated rate: ${value}`);
  return parsed.value;
};

/**
 * The scenario's port range, parsed here once; null when it sets none (the lab keeps its kernel's range).
 * An odd-sized range is a warning: it works, but one port is lost.
 */
function resolvePortRange(value: string | number | undefined, problems: Problem[]): PortRange | null {
  if (value === undefined) return null;
  const path = ['lab', 'sysctls', PORT_RANGE_SYSCTL];
  const parsed = parsePortRange(value);
  if (!parsed.ok) {
    problems.push({ severity: 'error', path, message: parsed.message });
    return null;
  }
  const { low, high, size } = parsed.value;
  if (size % 2 === 1) {
    problems.push({
      severity: 'warning',
      path,
      message:
        `the range holds an odd number of ports (${size}); the kernel prefers different parity for ` +
        `start and end and loses one port, so use an even-sized range like "${low} ${high + 1}"`,
    });
  }
  return parsed.value;
}

/**
 * client.socketPortRange: a narrower range for each socket (IP_LOCAL_PORT_RANGE), set through koffi on the
 * sockets the no-port strategy makes, so it needs that strategy and bound sources.
 */
function resolveSocketPortRange(client: ScenarioParsed['client'], problems: Problem[]): PortRange | null {
  if (client.socketPortRange === undefined) return null;
  const path = ['client', 'socketPortRange'];
  const parsed = parsePortRange(client.socketPortRange);
  if (!parsed.ok) {
    problems.push({ severity: 'error', path, message: parsed.message });
    return null;
  }
  const bound = client.sourceAddresses.length > 1 || !['127.0.0.1', '::1'].includes(client.sourceAddresses[0] ?? '127.0.0.1');
  if (client.bindStrategy !== 'no-port' || !bound) {
    problems.push({
      severity: 'error',
      path,
      message: 'socketPortRange is set on the sockets the no-port strategy makes: give client.sourceAddresses and bindStrategy: no-port',
    });
  }
  return parsed.value;
}

/**
 * http.globalAgent's options on Node 19 and later (`new Agent({ keepAlive: true, scheduling: 'lifo', timeout:
 * 5000 })` in lib/_http_agent.js); a test checks them against the running Node. `new http.Agent()` has
 * keepAlive off and no timeout.
 */
export const GLOBAL_AGENT_DEFAULTS = { keepAlive: true, timeoutMs: 5000 } as const;

/** The agent's settings: the keys the scenario gives, over the defaults it starts from. */
function resolveAgent(agent: ScenarioParsed['client']['agent']): AgentSettings {
  const global = agent.defaults === 'global';
  const timeoutMs = agent.timeout !== undefined ? ms(agent.timeout) : global ? GLOBAL_AGENT_DEFAULTS.timeoutMs : undefined;
  return {
    defaults: agent.defaults,
    keepAlive: agent.keepAlive ?? (global ? GLOBAL_AGENT_DEFAULTS.keepAlive : false),
    maxSockets: agent.maxSockets,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

function parseDestination(text: string): Destination {
  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host, port: Number(text.slice(colon + 1)) };
}

export interface Resolved {
  scenario: Scenario;
  problems: Problem[];
}

/** Resolves a schema-valid scenario; problems carry paths, the loader adds locations. */
export function resolveScenario(input: ScenarioParsed, sourceFile?: string): Resolved {
  const problems: Problem[] = [];
  const { client } = input;

  let stages: Stage[] = [];
  const stagesGiven = client.stages !== undefined;
  if (client.stages && client.rate !== undefined) {
    problems.push({ severity: 'error', path: ['client', 'stages'], message: 'give either client.rate or client.stages, not both' });
  }
  if (client.stages) {
    stages = client.stages.map((s) => ({ durationMs: ms(s.duration), ratePerSec: perSec(s.rate) }));
  }
  const stagesMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  let durationMs = input.duration !== undefined ? ms(input.duration) : stagesMs;
  if (stagesMs > MAX_DURATION_MS && input.duration === undefined) {
    problems.push({
      severity: 'error',
      path: ['client', 'stages'],
      message: `the stages add up to ${formatDurationMs(stagesMs)}, longer than the 1h limit (a run lasts its stages when no duration is given)`,
    });
  }
  if (stages.length > 0 && input.duration !== undefined) problems.push(...durationBesideStages(stages, stagesMs, durationMs));
  if (input.duration === undefined && stages.length === 0) {
    problems.push({
      severity: 'error',
      path: ['duration'],
      message: 'missing; without it the run would be unbounded (a run must stop by itself): give a duration like "10s", or client.stages',
    });
    durationMs = 0;
  }
  if (client.rate === undefined && stages.length === 0) {
    problems.push({ severity: 'error', path: ['client', 'rate'], message: 'missing; give a rate like "100/s", or client.stages' });
  }
  if (stages.length === 0 && client.rate !== undefined) stages = [{ durationMs, ratePerSec: perSec(client.rate) }];
  else if (stages.length > 0) stages = fitStages(stages, durationMs);
  if (stages.length > 0 && durationMs > 0 && planFor(stages).totalStarts < 1) {
    problems.push({
      severity: 'warning',
      path: stagesGiven ? ['client', 'stages'] : ['client', 'rate'],
      message: `this rate starts a single connection in ${formatDurationMs(durationMs)} (at 0 s); the run still lasts its duration`,
    });
  }

  const portRange = resolvePortRange(input.lab.sysctls[PORT_RANGE_SYSCTL], problems);
  const sysctls: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...LAB_DEFAULT_SYSCTLS, ...input.lab.sysctls })) {
    // The value the lab writes comes from the typed range: in the kernel's own form, so it reads back equal.
    sysctls[key] = key === PORT_RANGE_SYSCTL && portRange ? portRangeSysctlValue(portRange) : String(value).trim();
  }
  if (input.lab.kind === 'host' && Object.keys(input.lab.sysctls).length > 0) {
    problems.push({
      severity: 'error',
      path: ['lab', 'sysctls'],
      message: 'the host lab never changes sysctls of this machine; use lab.kind userns, netns or docker to set them',
    });
  }

  const ports = input.target.ports;
  const portSet = new Set(ports);
  const destinations = (client.destinations ?? ports.map((port) => `${defaultDestinationHost(input.lab.kind)}:${port}`)).map(parseDestination);
  destinations.forEach((d, i) => {
    if (d.port < 1 || d.port > 65535) {
      problems.push({ severity: 'error', path: ['client', 'destinations', i], message: `port ${d.port} is outside 1..65535` });
    } else if (!portSet.has(d.port)) {
      problems.push({
        severity: 'error',
        path: ['client', 'destinations', i],
        message: `port ${d.port} is not a target port (target.ports: ${ports.join(', ')}); nothing would listen there`,
      });
    }
  });
  const nat = resolveNat(input, destinations, problems);
  const proxy = resolveProxy(input, problems);
  if (client.sourceAddresses.some((a) => a === '::1') !== destinations.some((d) => d.host === '::1') && client.sourceAddresses.includes('::1')) {
    problems.push({ severity: 'error', path: ['client', 'sourceAddresses'], message: 'source ::1 needs an IPv6 destination like "[::1]:9000"' });
  }

  const expect = input.expect ?? {};
  const onsetWithinMs = expect.onsetWithin ? ([ms(expect.onsetWithin[0]), ms(expect.onsetWithin[1])] as [number, number]) : undefined;
  if (onsetWithinMs && onsetWithinMs[0] > onsetWithinMs[1]) {
    problems.push({ severity: 'error', path: ['expect', 'onsetWithin'], message: 'the first bound of onsetWithin must not exceed the second' });
  }
  if (onsetWithinMs && expect.eaddrnotavail === false) {
    problems.push({ severity: 'error', path: ['expect', 'onsetWithin'], message: 'onsetWithin contradicts eaddrnotavail: false' });
  }
  if (client.pattern === 'churn' && client.close === 'server' && client.requestsPerConnection !== 1) {
    problems.push({
      severity: 'error',
      path: ['client', 'requestsPerConnection'],
      message: 'close: server needs exactly 1 request per connection: the target closes right after its first response',
    });
  }
  const target = input.target;
  const serverKeepAlive = target.keepAliveTimeout !== '65s' || !target.keepAliveHint || target.maxRequestsPerSocket > 0;
  if (target.protocol === 'tcp' && serverKeepAlive) {
    problems.push({ severity: 'warning', path: ['target'], message: 'keepAliveTimeout, keepAliveHint and maxRequestsPerSocket apply to the http target only' });
  } else if (target.protocol === 'http' && input.lab.kind === 'docker' && serverKeepAlive) {
    problems.push({
      severity: 'warning',
      path: ['target'],
      message: "the docker lab's target container does not take keepAliveTimeout, keepAliveHint or maxRequestsPerSocket yet (it keeps 65s, the hint, no limit): use the userns or netns lab",
    });
  }
  if (client.bindStrategy === 'no-port' && client.sourceAddresses.length === 1 && ['127.0.0.1', '::1'].includes(client.sourceAddresses[0]!)) {
    problems.push({
      severity: 'warning',
      path: ['client', 'bindStrategy'],
      message: 'bindStrategy applies to bound source addresses; with the default source nothing is bound (give client.sourceAddresses)',
    });
  }
  if (client.pattern === 'pool' && input.client.close !== 'client') {
    problems.push({ severity: 'warning', path: ['client', 'close'], message: 'client.close applies to the churn pattern only; a pool keeps its connections' });
  }

  const scenario: Scenario = {
    name: input.name,
    description: input.description,
    sourceFile,
    durationMs,
    lab: { kind: input.lab.kind, sysctls, portRange, cpus: input.lab.cpus, memory: input.lab.memory, image: input.lab.image, ...(nat && { nat }) },
    target: {
      protocol: input.target.protocol,
      ports,
      responseDelayMs: ms(input.target.responseDelay),
      responseBytes: input.target.responseBytes,
      connectionClose: input.target.connectionClose,
      keepAliveTimeoutMs: ms(input.target.keepAliveTimeout),
      keepAliveHint: input.target.keepAliveHint,
      maxRequestsPerSocket: input.target.maxRequestsPerSocket,
      ...(proxy && { proxy }),
    },
    client: {
      engine: client.engine,
      pattern: client.pattern,
      close: client.close,
      stages,
      arrival: client.arrival,
      seed: client.seed,
      pool: {
        size: client.pool.size,
        maxRequestsPerConnection: client.pool.maxRequestsPerConnection,
        maxLifetimeMs: ms(client.pool.maxLifetime),
      },
      agent: resolveAgent(client.agent),
      undici: {
        api: client.undici.api,
        ...(client.undici.connections === undefined ? {} : { connections: client.undici.connections }),
        keepAliveTimeoutMs: ms(client.undici.keepAliveTimeout),
      },
      pipelining: client.pipelining,
      requestsPerConnection: client.requestsPerConnection,
      sourceAddresses: client.sourceAddresses,
      bindStrategy: client.bindStrategy,
      socketPortRange: resolveSocketPortRange(client, problems),
      destinations,
      maxInFlight: client.maxInFlight,
      retries: client.retries,
      connectTimeoutMs: ms(client.connectTimeout),
      workers: client.workers,
    },
    expect: { ...stripOnset(expect), onsetWithinMs },
    sampler: {
      sockstatIntervalMs: ms(input.sampler.sockstatInterval),
      tcpIntervalMs: ms(input.sampler.tcpInterval),
      reportIntervalMs: ms(input.sampler.reportInterval),
    },
  };
  problems.push(...engineProblems(scenario));
  return { scenario, problems };
}

function stripOnset<T extends { onsetWithin?: unknown }>(value: T): Omit<T, 'onsetWithin'> {
  const { onsetWithin: _onset, ...rest } = value;
  return rest;
}

/**
 * `duration` beside `stages` follows one rule (README "Scenario files"): the run lasts `duration`; stages
 * longer than it are cut there (a ramp ends at the rate it had reached), shorter ones hold their last rate
 * until it ends. Either way a warning says so, since one of the two numbers is then not what runs.
 */
function durationBesideStages(stages: readonly Stage[], stagesMs: number, durationMs: number): Problem[] {
  if (stagesMs === durationMs) return [];
  const [run, total] = [formatDurationMs(durationMs), formatDurationMs(stagesMs)];
  const message =
    durationMs < stagesMs
      ? `duration ${run} is shorter than the stages (${total}): the run stops at ${run} and the stages are cut there; remove duration to run them all`
      : `duration ${run} is longer than the stages (${total}): the last stage's rate (${formatRate(stages[stages.length - 1]!.ratePerSec)}) holds for the remaining ${formatDurationMs(durationMs - stagesMs)}; remove duration to stop with the stages`;
  return [{ severity: 'warning', path: ['duration'], message }];
}

/** Cuts the stages at the run's duration, or holds the last rate until it ends (see durationBesideStages). */
function fitStages(stages: Stage[], durationMs: number): Stage[] {
  const fitted: Stage[] = [];
  let t = 0;
  stages.forEach((stage, i) => {
    if (t >= durationMs) return;
    const take = Math.min(stage.durationMs, durationMs - t);
    // A ramp cut short ends at the rate it had reached, so the shape before the cut is unchanged.
    const from = i === 0 ? stage.ratePerSec : stages[i - 1]!.ratePerSec;
    const ratePerSec = take === stage.durationMs ? stage.ratePerSec : from + ((stage.ratePerSec - from) * take) / stage.durationMs;
    fitted.push({ durationMs: take, ratePerSec });
    t += take;
  });
  if (t < durationMs) fitted.push({ durationMs: durationMs - t, ratePerSec: stages[stages.length - 1]!.ratePerSec });
  return fitted;
}

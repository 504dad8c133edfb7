/**
 * How many files a scenario may hold open in the driver's process, against the open-file limit
 * (RLIMIT_NOFILE): every client socket the load may have open at once, the same number again when the
 * target accepts them in the same process (every lab but docker's and the nat lab's, whose target runs
 * elsewhere), and the driver's own (Node, its threads, /proc reads). Past the soft limit connect() and
 * accept() fail with EMFILE, which is not port exhaustion; so a run whose need is above the hard limit is
 * refused before any lab is made, at the field that drives the need, and the driver raises the soft limit.
 */
import { assertNever } from '../util/assert.js';
import type { FileLimit } from '../util/file-limit.js';
import { loadNameOf } from './engine-problems.js';
import { withFoundProblems, type CheckResult } from './loader.js';
import type { Problem, Scenario } from './types.js';

/**
 * The driver's own files: a 2-worker driver held 46 (measured: stdio, epoll and eventfds, the target's
 * listeners, V8 and libuv threads); each thread adds a few.
 */
const BASE_FILES = 64;
const FILES_PER_WORKER = 8;

export interface FileNeed {
  /** Files the driver's process may hold at once. */
  total: number;
  /** Client sockets the load may hold at once. */
  clientSockets: number;
  /** The field that sets clientSockets, where a problem is located. */
  path: Problem['path'];
}

/** An HTTP agent's sockets: its per-origin limit times the origins, or maxInFlight when that is lower. */
function perOrigin(client: Scenario['client'], limit: number | undefined, path: Problem['path']): { count: number; path: Problem['path'] } {
  const byAgent = limit === undefined ? Infinity : limit * client.destinations.length;
  return byAgent < client.maxInFlight ? { count: byAgent, path } : { count: client.maxInFlight, path: ['client', 'maxInFlight'] };
}

/** Client sockets the load may hold open at once, and the field that bounds them. */
function clientSocketsOf(client: Scenario['client']): { count: number; path: Problem['path'] } {
  const load = loadNameOf(client);
  switch (load) {
    case 'churn':
      return { count: client.maxInFlight, path: ['client', 'maxInFlight'] };
    case 'pool':
    case 'autocannon':
      return { count: client.pool.size, path: ['client', 'pool', 'size'] };
    case 'node-agent':
      // http.Agent counts maxSockets per origin; requests beyond maxInFlight are never issued.
      return perOrigin(client, client.agent.maxSockets, ['client', 'agent', 'maxSockets']);
    case 'undici':
      // The same for undici's Agent: `connections` per origin.
      return perOrigin(client, client.undici.connections, ['client', 'undici', 'connections']);
    case 'udp':
      // One socket per start in flight (churn), or the held sockets (pool).
      return client.pattern === 'pool' ? { count: client.pool.size, path: ['client', 'pool', 'size'] } : { count: client.maxInFlight, path: ['client', 'maxInFlight'] };
    default:
      return assertNever(load);
  }
}

/** Whether the target accepts the load's connections in the driver's own process. */
export function targetInDriver(kind: Scenario['lab']['kind']): boolean {
  return kind !== 'docker' && kind !== 'nat';
}

export function filesNeeded(scenario: Scenario, targetInProcess: boolean): FileNeed {
  const { count, path } = clientSocketsOf(scenario.client);
  // Each client socket has its accepted end in the target; a proxy adds its own connection to the backend
  // (two more files) for each.
  const perSocket = targetInProcess ? (scenario.target.proxy ? 4 : 2) : 1;
  const total = BASE_FILES + FILES_PER_WORKER * scenario.client.workers + count * perSocket;
  return { total, clientSockets: count, path };
}

/** "2,100 files (1,000 client sockets, as many accepted by the target, 100 of the driver's own)". */
export function describeNeed(need: FileNeed, targetInProcess: boolean): string {
  const own = need.total - need.clientSockets * (targetInProcess ? 2 : 1);
  const accepted = targetInProcess ? ', as many accepted by the target in the same process' : '';
  return `up to ${need.total} open files (${need.clientSockets} client sockets${accepted}, ${own} of the driver's own)`;
}

const RAISE_HARD = 'raise the hard open-file limit where portlab starts (as root: `ulimit -Hn N`, `prlimit --nofile=N:N`, systemd LimitNOFILE=, docker --ulimit nofile=N:N)';
/** What to do when a run needs more files than it may open. */
export const FILE_LIMIT_HINT = `${RAISE_HARD}, or ask for fewer connections at once`;

/**
 * The problem of a scenario whose need is above the hard limit (none when the soft one can be raised to it).
 * Not for the docker lab: its driver runs under the container's limit, and checks that itself.
 */
export function fileLimitProblems(scenario: Scenario, limit: FileLimit | null): Problem[] {
  if (!limit || scenario.lab.kind === 'docker') return [];
  const inProcess = targetInDriver(scenario.lab.kind);
  const need = filesNeeded(scenario, inProcess);
  if (need.total <= limit.hard) return [];
  return [
    {
      severity: 'error',
      path: need.path,
      message: `this run may hold ${describeNeed(need, inProcess)}, above the open-file hard limit of ${limit.hard} here (EMFILE, not port exhaustion); lower it, or ${RAISE_HARD}`,
    },
  ];
}

/** A check result with the file-limit problem located and merged in (it takes the scenario away). */
export function withFileLimitCheck(result: CheckResult, limit: FileLimit | null): CheckResult {
  return result.scenario ? withFoundProblems(result, fileLimitProblems(result.scenario, limit)) : result;
}

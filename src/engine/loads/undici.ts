/**
 * The undici engine: what `fetch` and undici's `request` do in a Node service. Every scheduled start is one
 * request through this worker's undici Agent (one per source address when sources are bound), which decides
 * whether it gets a new connection or reuses an idle one: its connection limit (`connections`), `pipelining`
 * and idle `keepAliveTimeout` are the scenario's. undici opens every socket through the load's connector,
 * so each is one connect attempt (connected, or failed with its code) and attempts = connected + sum(errors)
 * holds; failures after the connect (UND_ERR_SOCKET "other side closed", ECONNRESET ...) are request errors,
 * counted by their codes.
 */
import type net from 'node:net';
import { Agent, fetch, type Dispatcher } from 'undici';
import type { buildConnector } from 'undici';
import { LOAD_SPECS } from '../../config/engine-problems.js';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../../errors/index.js';
import { RESET_CODES } from '../../model/keep-alive.js';
import { formatHostPort } from '../../util/host-port.js';
import { workerMaxSockets } from './node-agent.js';
import type { WorkerRuntime } from '../worker/runtime.js';
import { admittedEndpoint, destinationLabel, endpointCycle, type Endpoint } from '../worker/endpoints.js';
import type { Load, LoadContext, LoadEntry, Running } from './load.js';

/** This worker's share of the connections per origin (as http.Agent's maxSockets); unlimited stays unlimited (undici's null). */
export function workerConnections(connections: number | undefined, workers: number, index: number): number | null {
  const own = workerMaxSockets(connections, workers, index);
  return Number.isFinite(own) ? own : null;
}

/**
 * The code a failed request is counted under: undici's own (UND_ERR_SOCKET ...), a socket's (ECONNRESET),
 * or, for fetch, which wraps every failure in a TypeError, that of its cause.
 */
export function undiciErrorCode(err: unknown): string {
  const own = errnoCode(err);
  if (own !== undefined) return own;
  const cause = err instanceof Error ? err.cause : undefined;
  return errnoCode(cause, UNKNOWN_ERROR_CODE);
}

export class UndiciLoad implements Load {
  private readonly runtime: WorkerRuntime;
  private readonly cycle: Endpoint[];
  /** One Agent per bound source address ('' when the kernel picks the source). */
  private readonly agents = new Map<string, Agent>();
  /** Errors this load handed undici for a failed connect: already counted as the connect attempt. */
  private readonly connectErrors = new WeakSet<object>();
  private readonly open = new Map<number, AbortController>();
  private closing = false;

  constructor(private readonly context: LoadContext) {
    this.runtime = context.runtime;
    const { config } = context.runtime;
    this.cycle = endpointCycle(config.sourceAddresses, config.destinations);
    const sources = config.bindSource ? [...new Set(config.sourceAddresses)] : [''];
    for (const source of sources) {
      const agent = new Agent({
        connections: workerConnections(config.undici.connections, config.workers, config.index),
        pipelining: config.pipelining,
        keepAliveTimeout: config.undici.keepAliveTimeoutMs,
        ...(source === '' ? {} : { localAddress: source }),
        connect: (options, callback) => this.openSocket(options, callback),
      });
      this.agents.set(source, agent);
    }
  }

  run(): Running {
    return this.context.arrivals((k) => this.start(k));
  }

  /** Issues request k (its global index), unless maxInFlight is reached. */
  start(k: number): void {
    const { runtime } = this;
    const endpoint = admittedEndpoint(runtime, this.cycle, k);
    if (!endpoint) return;
    const agent = this.agents.get(runtime.config.bindSource ? endpoint.source : '')!;
    const origin = `http://${formatHostPort(endpoint.destination.host, endpoint.destination.port)}`;
    const abort = new AbortController();
    this.open.set(k, abort);
    const issuedMs = this.context.now();
    this.send(agent, origin, abort.signal).then(
      () => this.finish(k, null, issuedMs),
      (err: unknown) => this.finish(k, err, issuedMs),
    );
  }

  /**
   * One request and its whole body; a reset (the keep-alive race) is sent again while retries are left, as
   * undici's retry interceptor would for an idempotent GET.
   */
  private async send(dispatcher: Dispatcher, origin: string, signal: AbortSignal): Promise<void> {
    for (let retriesLeft = this.runtime.config.retries; ; retriesLeft--) {
      try {
        return await this.sendOnce(dispatcher, origin, signal);
      } catch (err) {
        if (retriesLeft <= 0 || signal.aborted || this.isConnectError(err) || !RESET_CODES.includes(undiciErrorCode(err))) throw err;
        // After this turn's I/O, so FINs already queued for other idle connections close them first.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /** One request and its whole body, through the API the scenario names. */
  private async sendOnce(dispatcher: Dispatcher, origin: string, signal: AbortSignal): Promise<void> {
    if (this.runtime.config.undici.api === 'fetch') {
      const response = await fetch(`${origin}/`, { dispatcher, signal });
      await response.arrayBuffer();
      return;
    }
    const { body } = await dispatcher.request({ origin, path: '/', method: 'GET', signal });
    await body.dump();
  }

  private finish(k: number, err: unknown, issuedMs: number): void {
    if (!this.open.delete(k)) return;
    const { runtime } = this;
    runtime.inFlight--;
    if (err === null) runtime.request((this.context.now() - issuedMs) * 1000);
    // A connect that failed was already counted as its attempt; undici only passed its error on.
    else if (!this.isConnectError(err)) runtime.requestError(undiciErrorCode(err));
  }

  private isConnectError(err: unknown): boolean {
    if (typeof err !== 'object' || err === null) return false;
    if (this.connectErrors.has(err)) return true;
    const cause = err instanceof Error ? err.cause : undefined;
    return typeof cause === 'object' && cause !== null && this.connectErrors.has(cause);
  }

  /** undici's connector: every socket through the load's connector, one connect attempt each. */
  private openSocket(options: buildConnector.Options, callback: buildConnector.Callback): void {
    const { runtime } = this;
    const { config } = runtime;
    const host = options.hostname.replace(/^\[|\]$/g, '');
    const port = Number(options.port);
    const localAddress = options.localAddress ?? undefined;
    const source = localAddress ?? config.sourceAddresses[0]!;
    const destination = destinationLabel({ host, port });
    this.context.connect({ host, port, localAddress, timeoutMs: config.connectTimeoutMs }, (result) => {
      runtime.attempt(source, destination, result.ok ? null : result.code, result.latencyUs);
      if (result.ok) {
        // A net.Socket in a run (the connector's own); undici uses it as the Duplex it is, plus ref/unref.
        callback(null, result.socket as net.Socket);
        return;
      }
      const err = Object.assign(new Error(`connect ${result.code} ${destination}`), { code: result.code });
      this.connectErrors.add(err);
      callback(err, null);
    });
  }

  /** Ends whatever is still in flight after the drain deadline (request errors) and closes the agents' sockets. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    for (const [k, abort] of this.open) {
      this.open.delete(k);
      this.runtime.inFlight--;
      this.runtime.requestError('EABORTED');
      abort.abort();
    }
    // Idle keep-alive sockets close here, client first, as a service's shutdown would.
    for (const agent of this.agents.values()) void agent.destroy().catch(() => {});
  }
}

/** The undici load: what a Node service does with fetch or undici.request. */
export const undiciLoad: LoadEntry = { spec: LOAD_SPECS.undici, create: (context) => new UndiciLoad(context) };

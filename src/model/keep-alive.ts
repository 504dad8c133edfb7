/**
 * When a keep-alive client closes an idle connection, and whether it races the server's own idle close.
 * Pure rules, read from the clients' sources (Node 20's lib/_http_agent.js keepSocketAlive, undici 7's
 * lib/dispatcher/client-h1.js onHeadersComplete):
 *
 * - http.Agent: an idle socket lives `timeout` ms (no timeout: forever). A server hint "Keep-Alive:
 *   timeout=N" shortens that to N s - 1 s, but only when the agent has a timeout of its own that is longer
 *   (with no timeout the hint is ignored); a hint of N s - 1 s <= 0 makes the agent drop the socket after
 *   each response: keep-alive silently off.
 * - undici: with a hint, idle lifetime = N s - keepAliveTimeoutThreshold (2 s), capped at keepAliveMaxTimeout
 *   (600 s), its own keepAliveTimeout ignored; a result <= 0 closes the socket after each response. Without a
 *   hint, keepAliveTimeout (default 4 s).
 *
 * The server closes a connection idle for its keepAliveTimeout. If the client keeps it at least that long,
 * the server's FIN can cross a request the client has just sent on that connection: the request fails with
 * ECONNRESET (Node) or UND_ERR_SOCKET (undici). That is the keep-alive reset race (nodejs/node#52649,
 * nodejs/undici#3141).
 */

export type KeepAliveClient = 'node-agent' | 'undici';

/** Request errors of a connection the server closed under the request: Node's and undici's codes. */
export const RESET_CODES: readonly string[] = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'];

/** What the undici threshold subtracts from a server's hint; undici's default. */
export const UNDICI_KEEP_ALIVE_THRESHOLD_MS = 2000;
/** undici's keepAliveMaxTimeout default: the longest a hint can make a socket live. */
export const UNDICI_KEEP_ALIVE_MAX_MS = 600_000;
/** What Node's agent subtracts from a server's hint (HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER). */
export const AGENT_HINT_BUFFER_MS = 1000;

export interface KeepAliveInput {
  client: KeepAliveClient;
  /** http.Agent keepAlive; undici always keeps connections alive. */
  keepAlive: boolean;
  /** http.Agent `timeout` (absent: none) or undici's keepAliveTimeout. */
  clientTimeoutMs?: number | undefined;
  /** The server closes connections idle this long. */
  serverTimeoutMs: number;
  /** The server sends "Keep-Alive: timeout=N" (N = whole seconds of its timeout, rounded down). */
  hint: boolean;
}

export interface KeepAliveOutcome {
  /** Connections are reused between requests. False: a new connection per request (port churn). */
  reuses: boolean;
  /** How long the client keeps an idle connection; null: until the server closes it. */
  clientIdleMs: number | null;
  /** The client may send a request on a connection the server is closing: resets follow. */
  raceProne: boolean;
  /** The hint turned reuse off (a server timeout too short for the client's safety margin). */
  disabledByHint: boolean;
}

/** The hint as the client reads it: whole seconds, in ms. */
function hintMs(input: KeepAliveInput): number | null {
  return input.hint ? Math.floor(input.serverTimeoutMs / 1000) * 1000 : null;
}

/** How long the client keeps an idle connection, or 'off' when it does not keep it at all. */
function idleLifetime(input: KeepAliveInput): number | null | 'off' {
  const hinted = hintMs(input);
  if (input.client === 'node-agent') {
    if (!input.keepAlive) return 'off';
    const own = input.clientTimeoutMs ?? 0;
    if (hinted === null) return own > 0 ? own : null;
    const fromHint = Math.max(0, hinted - AGENT_HINT_BUFFER_MS);
    if (fromHint === 0) return 'off';
    return own > 0 ? Math.min(own, fromHint) : null;
  }
  if (hinted === null) return input.clientTimeoutMs ?? 4000;
  const fromHint = Math.min(hinted - UNDICI_KEEP_ALIVE_THRESHOLD_MS, UNDICI_KEEP_ALIVE_MAX_MS);
  return fromHint <= 0 ? 'off' : fromHint;
}

/** What a keep-alive client does with idle connections against this server. */
export function keepAliveOutcome(input: KeepAliveInput): KeepAliveOutcome {
  const idle = idleLifetime(input);
  if (idle === 'off') return { reuses: false, clientIdleMs: null, raceProne: false, disabledByHint: input.keepAlive && input.hint };
  return { reuses: true, clientIdleMs: idle, raceProne: idle === null || idle >= input.serverTimeoutMs, disabledByHint: false };
}

/**
 * The target's idle close of keep-alive connections, at exactly `timeoutMs` after the last response, as
 * nginx or a load balancer does. Node's own server (keepAliveTimeout) waits 1 s longer than it says since
 * Node 20.x (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER in lib/_http_server.js, its fix for nodejs/node#52649),
 * which would hide the reset race that other servers show; so the target turns Node's timer off and closes
 * idle connections itself. A request that arrives while the close is under way meets a closed socket: the
 * client sees ECONNRESET (or undici's "other side closed"), which is the race.
 */
/** What the closer needs of a server socket (a IdleSocket in the target). */
export interface IdleSocket {
  readonly destroyed: boolean;
  destroy(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

interface SocketState {
  /** Requests received and not yet answered. */
  active: number;
  timer: NodeJS.Timeout | undefined;
}

export interface IdleCloser {
  /** A request arrived on the socket: it is not idle. */
  requestStarted(socket: IdleSocket): void;
  /** Its response went out: once nothing else is pending, the idle timer starts. */
  responseFinished(socket: IdleSocket): void;
}

export function createIdleCloser(timeoutMs: number): IdleCloser {
  const states = new WeakMap<IdleSocket, SocketState>();
  const stateOf = (socket: IdleSocket): SocketState => {
    let state = states.get(socket);
    if (!state) {
      const created: SocketState = { active: 0, timer: undefined };
      socket.once('close', () => clearTimeout(created.timer));
      states.set(socket, created);
      state = created;
    }
    return state;
  };
  return {
    requestStarted(socket) {
      const state = stateOf(socket);
      state.active++;
      clearTimeout(state.timer);
      state.timer = undefined;
    },
    responseFinished(socket) {
      const state = stateOf(socket);
      state.active = Math.max(0, state.active - 1);
      if (state.active > 0 || socket.destroyed) return;
      state.timer = setTimeout(() => {
        // The server closes first (FIN; RST if a request is already waiting unread).
        if (state.active === 0) socket.destroy();
      }, timeoutMs);
      state.timer.unref();
    },
  };
}

/** The hint a keep-alive response carries: whole seconds, rounded down, as node:http writes it. */
export function keepAliveHint(timeoutMs: number): string {
  return `timeout=${Math.floor(timeoutMs / 1000)}`;
}

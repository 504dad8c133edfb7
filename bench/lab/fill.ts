/**
 * Fills a lab with real TIME_WAIT sockets: connections that the client closes first hold no fd afterwards,
 * so the open-files limit does not cap them. Shared by the in-lab runners of the sampler and doctor sections.
 */
import net from 'node:net';

/** How many connects are in flight at once. */
const CONCURRENCY = 256;

export interface ChurnState {
  closed: number;
  started: number;
}

/**
 * Opens and closes (client first) connections until `total` have closed, round-robin over `ports` on each of
 * `hosts`. Spread the load: one destination with half its ports in TIME_WAIT makes every connect() scan and
 * the kernel's time explode (measured, a minute of system time for 60,000).
 */
export function churnUntil(total: number, state: ChurnState, ports: readonly number[], hosts: readonly string[] = ['127.0.0.1']): Promise<void> {
  return new Promise((resolve) => {
    let open = 0;
    const next = (): void => {
      if (state.closed >= total) {
        if (open === 0) resolve();
        return;
      }
      if (state.started >= total) return;
      state.started++;
      open++;
      const socket = new net.Socket();
      socket.on('error', () => {});
      socket.once('connect', () => socket.destroy());
      socket.once('close', () => {
        open--;
        state.closed++;
        next();
      });
      socket.connect({ host: hosts[state.started % hosts.length]!, port: ports[state.started % ports.length]! });
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
}

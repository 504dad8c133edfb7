/**
 * The doctor's census done from `ss -tan -H` instead of /proc/net/tcp(6): sockets by state and client
 * sockets per (local address, peer) tuple, i.e. the same work, for timing the netlink route as `ss` offers
 * it (ss dumps through sock_diag, then formats text that we parse again).
 */

export interface SsCensus {
  rows: number;
  byState: Map<string, number>;
  tuples: Map<string, number>;
}

/** Counts `ss -tan -H` output (no header; with a state filter ss leaves the state column out: pass it). */
export function censusOfSs(text: string, filteredState?: string): SsCensus {
  const byState = new Map<string, number>();
  const tuples = new Map<string, number>();
  const listening = new Set<string>();
  let rows = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.trim().split(/\s+/);
    const [state, local, peer] = filteredState === undefined ? [fields[0]!, fields[3]!, fields[4]!] : [filteredState, fields[2]!, fields[3]!];
    rows++;
    byState.set(state, (byState.get(state) ?? 0) + 1);
    const colon = local.lastIndexOf(':');
    const port = local.slice(colon + 1);
    // Listeners come first in ss's dump as in /proc: the side of every later row is known.
    if (state === 'LISTEN') listening.add(port);
    else if (!listening.has(port)) {
      const key = `${local.slice(0, colon)} ${peer}`;
      tuples.set(key, (tuples.get(key) ?? 0) + 1);
    }
  }
  return { rows, byState, tuples };
}

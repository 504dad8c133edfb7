/**
 * Time to exhaustion from a live state, not from an empty start: a tuple already holds ports (open sockets,
 * and TIME_WAIT sockets that give theirs back as their 60-s timers run out) and new connections keep coming
 * at a measured rate, each holding its port for the hold time (TIME_WAIT, or the tcp_tw_reuse delay when
 * reuse applies). connect() fails once the ports held reach the usable ones.
 *
 * From an empty tuple this is predict()'s timeToFirstFailureMs (usable / rate); `portlab doctor` adds what
 * the table shows it already holds.
 */

export interface LiveHold {
  /** Ports the tuple can use. */
  usablePorts: number;
  /** Ports held by sockets that wait on no timer (ESTABLISHED, CLOSE_WAIT ...): assumed to stay. */
  steadyPorts: number;
  /**
   * TIME_WAIT sockets by the whole seconds left on their timer: index k holds those with k..k+1 s left
   * (the last index may hold more). Each gives its port back when its timer ends, or with reuse as soon
   * as it is older than the hold time.
   */
  timeWaitBySecondsLeft: readonly number[];
  /** How long TIME_WAIT lasts (60 s on Linux). */
  timeWaitMs: number;
  /** How long a port stays held after its connection closes: timeWaitMs, or the reuse delay with reuse. */
  holdMs: number;
  /** New connections per second to this tuple. */
  ratePerSec: number;
}

/** The moment (ms from now) each TIME_WAIT bucket's ports come back, with how many; sorted, all > 0. */
function releases(hold: LiveHold): { atMs: number; ports: number }[] {
  const out: { atMs: number; ports: number }[] = [];
  const earlyMs = hold.timeWaitMs - hold.holdMs;
  hold.timeWaitBySecondsLeft.forEach((ports, k) => {
    // The bucket's middle: its sockets have k..k+1 s left.
    const atMs = (k + 0.5) * 1000 - earlyMs;
    if (ports > 0 && atMs > 0) out.push({ atMs, ports });
  });
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Ports held right now: steady ones plus TIME_WAIT that has not given its port back yet. */
export function portsHeldNow(hold: LiveHold): number {
  return hold.steadyPorts + releases(hold).reduce((sum, r) => sum + r.ports, 0);
}

/**
 * Milliseconds from now until connect() on this tuple first finds no free port, at a constant rate; 0 when
 * it already does, null when it never will. Held ports at t are the steady ones, the TIME_WAIT not yet
 * released, and the new connections of the last `holdMs` (rate x min(t, holdMs)).
 */
export function timeToExhaustionMs(hold: LiveHold): number | null {
  const { usablePorts, steadyPorts, ratePerSec, holdMs } = hold;
  const pending = releases(hold);
  let stillHeld = pending.reduce((sum, r) => sum + r.ports, 0);
  if (steadyPorts + stillHeld >= usablePorts) return 0;
  if (!(ratePerSec > 0)) return null;
  let fromMs = 0;
  for (let i = 0; i <= pending.length; i++) {
    const toMs = pending[i]?.atMs ?? Infinity;
    // On [fromMs, toMs) the held count is steady + stillHeld + rate x min(t, holdMs): it rises until holdMs
    // and then stays, and each release only lowers it, so a plateau under the usable ports means never.
    const crossMs = ((usablePorts - steadyPorts - stillHeld) / ratePerSec) * 1000;
    if (crossMs >= holdMs) return null;
    if (crossMs < toMs) return Math.max(fromMs, crossMs);
    stillHeld -= pending[i]?.ports ?? 0;
    fromMs = toMs;
  }
  return null;
}

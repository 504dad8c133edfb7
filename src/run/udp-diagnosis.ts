/**
 * The diagnosis of a UDP run (target.protocol: udp): there is no TIME_WAIT to blame, only sockets held
 * open. Measured on Linux 6.18: a closed UDP socket frees its port at once; with every port of the range
 * held by an open socket, Node's dgram connect() fails in its bind to port 0 with EADDRINUSE.
 */
import type { RunSummary } from '../metrics/types.js';
import { formatDurationMs, trimNumber } from '../util/units.js';

type UdpFacts = Pick<RunSummary, 'totals' | 'onset' | 'peak' | 'lab' | 'scenario'>;

const n = (value: number): string => trimNumber(value, 0);

/** The sentence for a UDP run; null for any other protocol. */
export function udpSentence(f: UdpFacts): string | null {
  if (f.scenario.protocol !== 'udp') return null;
  const { totals, onset, peak, lab } = f;
  const range = `${n(lab.portRange.size)} ports (${lab.portRange.low}-${lab.portRange.high})`;
  if (onset) {
    return (
      `A UDP socket's connect() failed with ${onset.code} from ${formatDurationMs(onset.atMs)} (${n(totals.errors[onset.code] ?? 0)} failures): ` +
      `${n(totals.connected)} connected UDP sockets held open (peak ${n(peak.portsInUse)} ports in use) took the ${range}. UDP has no ` +
      `TIME_WAIT, so only sockets still open hold ports: close them when done, or hold fewer than the range.`
    );
  }
  const errors = Object.entries(totals.errors).filter(([, count]) => count > 0);
  const errorText = errors.length === 0 ? 'no connect errors' : `connect errors: ${errors.map(([code, count]) => `${code} ${n(count)}`).join(', ')}`;
  return (
    `No exhaustion: ${n(totals.connected)} connected UDP sockets carried ${n(totals.requests)} datagram exchanges, at most ` +
    `${n(peak.portsInUse)} of the ${range} in use at once; UDP has no TIME_WAIT (peak ${n(peak.timeWait)}), so a closed socket's port ` +
    `is free again at once; ${errorText}.`
  );
}

/**
 * Counts /proc/net/tcp(6) sockets by role and state without building row objects: a 60,000-socket table
 * must classify in a few milliseconds so the poller can run during a load without skewing it.
 *
 * Roles (the lab's client and target server share one namespace, so both ends of every connection show):
 * - client-side: local port inside the ephemeral range and remote port a target port;
 * - server-side: local port a target port.
 */
import { formatHostPort } from '../util/host-port.js';
import { hexToIpv4, hexToIpv6 } from './proc-address.js';
import { fieldOffsets, hexAt, scanProcNetTcp } from './scan-proc-net-tcp.js';
import { emptyStateCounts, TCP_STATE, TCP_STATE_NAMES, type TcpStateName } from './tcp-state.js';

/** Client-side sockets of one source address or one destination. */
export interface EndpointCounts {
  /** Client-side sockets in any state but LISTEN. */
  portsInUse: number;
  timeWait: number;
}

export interface TcpCounts {
  /** Every socket row, listeners included. */
  rows: number;
  /** Every TIME_WAIT row (should equal sockstat tw, minus any race between the two reads). */
  timeWait: number;
  clientTimeWait: number;
  serverTimeWait: number;
  /** Every ESTABLISHED row: on loopback each connection counts twice, once per end. */
  established: number;
  clientEstablished: number;
  /** Client-side CLOSE_WAIT: the server closed, the client has not (a leak holds its port here). */
  clientCloseWait: number;
  /** Client-side sockets holding an ephemeral port, any state but LISTEN. */
  portsInUse: number;
  closeWait: number;
  finWait2: number;
  /** Client-side SYN_SENT: connects still waiting for the handshake. */
  clientSynSent: number;
  byState: Record<TcpStateName, number>;
  /** Client-side sockets by remote "ip:port" ("127.0.0.1:9000", "[::1]:9000"); filled when asked for. */
  byDestination: Record<string, EndpointCounts>;
  /** Client-side sockets by local address; filled when asked for. */
  bySource: Record<string, EndpointCounts>;
}

export interface ClassifyOptions {
  /** net.ipv4.ip_local_port_range as read back inside the lab (it also applies to IPv6). */
  ephemeral: { low: number; high: number };
  targetPorts: ReadonlySet<number> | readonly number[];
  /** Fill byDestination (costs a string slice per client-side row). */
  byDestination?: boolean;
  /** Fill bySource (costs a string slice per client-side row). */
  bySource?: boolean;
}

/** Zeroed counts, to accumulate tcp and tcp6 into. */
export function emptyTcpCounts(): TcpCounts {
  return {
    rows: 0,
    timeWait: 0,
    clientTimeWait: 0,
    serverTimeWait: 0,
    established: 0,
    clientEstablished: 0,
    clientCloseWait: 0,
    portsInUse: 0,
    closeWait: 0,
    finWait2: 0,
    clientSynSent: 0,
    byState: emptyStateCounts(),
    byDestination: {},
    bySource: {},
  };
}

function bump(table: Record<string, EndpointCounts>, key: string, isTimeWait: boolean): void {
  const entry = (table[key] ??= { portsInUse: 0, timeWait: 0 });
  entry.portsInUse++;
  if (isTimeWait) entry.timeWait++;
}

/** Memoises hex -> text so each distinct address or endpoint is decoded once per classifier. */
function memo(decode: (hex: string) => string): (hex: string) => string {
  const cache = new Map<string, string>();
  return (hex) => {
    let value = cache.get(hex);
    if (value === undefined) {
      value = decode(hex);
      cache.set(hex, value);
    }
    return value;
  };
}

const decodeAddress = (hex: string): string => (hex.length === 8 ? hexToIpv4(hex) : hexToIpv6(hex));

/** "0100007F:2328" (address hex, colon, port hex) -> "127.0.0.1:9000". */
function decodeEndpoint(hex: string): string {
  const colon = hex.indexOf(':');
  return formatHostPort(decodeAddress(hex.slice(0, colon)), parseInt(hex.slice(colon + 1), 16));
}

/**
 * Builds a classifier for fixed options (the target-port lookup table is built once). The returned function
 * adds the rows of one /proc/net/tcp or tcp6 text into `into` (a fresh object when omitted) and returns it.
 */
export function createTcpClassifier(opts: ClassifyOptions): (text: string, into?: TcpCounts) => TcpCounts {
  const isTarget = new Uint8Array(65536);
  for (const port of opts.targetPorts) if (port >= 0 && port < 65536) isTarget[port] = 1;
  const { low, high } = opts.ephemeral;
  const sourceOf = memo(decodeAddress);
  const destinationOf = memo(decodeEndpoint);

  return (text, into = emptyTcpCounts()) => {
    const states = new Int32Array(TCP_STATE_NAMES.length);
    scanProcNetTcp(text, (start, addrLen) => {
      const at = fieldOffsets(addrLen);
      const localPort = hexAt(text, start + at.localPort, 4);
      const remotePort = hexAt(text, start + at.remotePort, 4);
      const state = hexAt(text, start + at.state, 2);
      if (state >= 0 && state < states.length) states[state]!++;
      else states[0]!++;
      const isTimeWait = state === TCP_STATE.TIME_WAIT;
      if (localPort >= 0 && isTarget[localPort] === 1 && isTimeWait) into.serverTimeWait++;
      const isClient = localPort >= low && localPort <= high && remotePort >= 0 && isTarget[remotePort] === 1;
      if (!isClient || state === TCP_STATE.LISTEN) return;
      into.portsInUse++;
      if (isTimeWait) into.clientTimeWait++;
      else if (state === TCP_STATE.ESTABLISHED) into.clientEstablished++;
      else if (state === TCP_STATE.SYN_SENT) into.clientSynSent++;
      else if (state === TCP_STATE.CLOSE_WAIT) into.clientCloseWait++;
      if (opts.byDestination) {
        bump(into.byDestination, destinationOf(text.slice(start + at.remoteAddress, start + at.remotePort + 4)), isTimeWait);
      }
      if (opts.bySource) bump(into.bySource, sourceOf(text.slice(start, start + addrLen)), isTimeWait);
    });
    for (let code = 0; code < states.length; code++) {
      const count = states[code]!;
      into.rows += count;
      into.byState[TCP_STATE_NAMES[code]!] += count;
    }
    into.timeWait += states[TCP_STATE.TIME_WAIT]!;
    into.established += states[TCP_STATE.ESTABLISHED]!;
    into.closeWait += states[TCP_STATE.CLOSE_WAIT]!;
    into.finWait2 += states[TCP_STATE.FIN_WAIT2]!;
    return into;
  };
}

/** One-off classification; prefer createTcpClassifier when classifying repeatedly with the same options. */
export function classifyTcp(text: string, opts: ClassifyOptions, into?: TcpCounts): TcpCounts {
  return createTcpClassifier(opts)(text, into);
}

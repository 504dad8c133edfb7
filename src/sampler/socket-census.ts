/**
 * A census of a live namespace's /proc/net/tcp + tcp6, for `portlab doctor`: where the lab sampler
 * (classify-tcp.ts) knows its target ports, a live machine does not, so the side of a socket is read from
 * the table itself: a socket whose local port is a listening port is server-side, every other one is
 * client-side (its local port came from connect() or bind()). Client-side sockets are counted per tuple
 * (source address, destination address:port), the unit that owns its own ports under plain connect().
 *
 * Built for 100,000 rows a second: tuples are keyed by the address words read straight from the hex, in a
 * table that allocates nothing per row (tuple-table.ts).
 */
import { formatHostPort } from '../util/host-port.js';
import { hexToIpv4, hexToIpv6 } from './proc-address.js';
import { fieldOffsets, hexAt, scanProcNetTcp, type AddressHexLength } from './scan-proc-net-tcp.js';
import { emptyStateCounts, TCP_STATE, TCP_STATE_NAMES, type TcpStateName } from './tcp-state.js';
import { WordKeyTable } from './tuple-table.js';

/** Linux's TIME_WAIT length (TCP_TIMEWAIT_LEN), in the clock ticks /proc prints timers in (USER_HZ = 100). */
export const TIME_WAIT_TICKS = 6000;
/** /proc prints timers in clock_t: USER_HZ, 100 per second on every Linux architecture portlab runs on. */
export const TICKS_PER_SEC = 100;
/** Buckets of the TIME_WAIT expiry histogram: remaining whole seconds 0..60. */
export const EXPIRY_BUCKETS = TIME_WAIT_TICKS / TICKS_PER_SEC + 1;

/** Row layout after the state field: " %08X:%08X %02X:%08lX" (tx:rx queues, timer kind:when). */
const WHEN_FROM_STATE = 24;

/** The counts kept per tuple. */
export interface TupleCounts {
  /** Sockets of this tuple in any state (LISTEN never is client-side). */
  sockets: number;
  /** Of those, the ones whose local port lies inside the ephemeral range: they use up its ports. */
  portsInUse: number;
  timeWait: number;
  established: number;
  closeWait: number;
  synSent: number;
  /** TIME_WAIT sockets that entered TIME_WAIT within the census's `recentMs`. */
  recentTimeWait: number;
}

/** Client-side sockets of one (source, destination) tuple. */
export interface TupleCensus extends TupleCounts {
  /** Local address, as Node prints it ("127.0.0.1", "::1"). */
  source: string;
  /** Remote "ip:port" ("10.0.0.5:5432", "[::1]:9000"). */
  destination: string;
  /**
   * In-range TIME_WAIT sockets by the whole seconds left on their 60-s timer (index 0..60): when each
   * one gives its port back.
   */
  timeWaitExpiry: number[];
}

/** One listening socket. */
export interface Listener {
  address: string;
  port: number;
}

export interface SocketCensus {
  /** Every row of tcp + tcp6. */
  rows: number;
  byState: Record<TcpStateName, number>;
  /** Rows by state on each side; listeners are neither. */
  client: Record<TcpStateName, number>;
  server: Record<TcpStateName, number>;
  listeners: Listener[];
  /** Client-side tuples, in no particular order. */
  tuples: TupleCensus[];
}

export interface CensusOptions {
  /** net.ipv4.ip_local_port_range (it also applies to IPv6). */
  ephemeral: { low: number; high: number };
  /** Count TIME_WAIT sockets younger than this as recent (the rate window). Default 0: none. */
  recentMs?: number;
}

interface TupleAccumulator extends TupleCounts {
  expiry: Int32Array | null;
}

/**
 * Local ports of the LISTEN rows. The kernel prints the listening hash before the established one
 * (tcp_get_idx: listening_get_idx, then established_get_idx), so each text's listeners are its first rows and
 * the scan stops at the first other state: the side of every later row is then known in one pass.
 */
function listeningPorts(texts: readonly string[]): Uint8Array {
  const isListening = new Uint8Array(65536);
  for (const text of texts) {
    scanProcNetTcp(text, (start, addrLen) => {
      const at = fieldOffsets(addrLen);
      if (hexAt(text, start + at.state, 2) !== TCP_STATE.LISTEN) return false;
      const port = hexAt(text, start + at.localPort, 4);
      if (port >= 0) isListening[port] = 1;
      return true;
    });
  }
  return isListening;
}

function newTuple(): TupleAccumulator {
  return { sockets: 0, portsInUse: 0, timeWait: 0, established: 0, closeWait: 0, synSent: 0, recentTimeWait: 0, expiry: null };
}

const hex8 = (word: number): string => word.toString(16).toUpperCase().padStart(8, '0');

/** A tuple's key is [local address words..., remote address words..., remote port]. */
function finish(acc: TupleAccumulator, key: number[]): TupleCensus {
  const words = (key.length - 1) / 2;
  const decode = words === 1 ? hexToIpv4 : hexToIpv6;
  const address = (from: number): string => decode(key.slice(from, from + words).map(hex8).join(''));
  const { sockets, portsInUse, timeWait, established, closeWait, synSent, recentTimeWait } = acc;
  return {
    source: address(0),
    destination: formatHostPort(address(words), key[2 * words]!),
    ...{ sockets, portsInUse, timeWait, established, closeWait, synSent, recentTimeWait },
    timeWaitExpiry: acc.expiry ? Array.from(acc.expiry) : new Array<number>(EXPIRY_BUCKETS).fill(0),
  };
}

/**
 * Counts the rows of /proc/net/tcp and /proc/net/tcp6 (either may be ''): totals by state, each side's
 * states, listeners and client-side tuples. Pure; throws PortlabError INTERNAL on a layout it does not know.
 */
export function censusOfSockets(tcp: string, tcp6: string, options: CensusOptions): SocketCensus {
  const listeners: Listener[] = [];
  const isListening = listeningPorts([tcp, tcp6]);
  const { low, high } = options.ephemeral;
  const recentFromTicks = TIME_WAIT_TICKS - Math.round(((options.recentMs ?? 0) * TICKS_PER_SEC) / 1000);
  const codes = TCP_STATE_NAMES.length;
  const clientStates = new Int32Array(codes);
  const serverStates = new Int32Array(codes);
  let listenerRows = 0;
  // Tuples by [local address, remote address, remote port] in 32-bit words: 3 for IPv4, 9 for IPv6.
  const tables = { 8: new WordKeyTable(3), 32: new WordKeyTable(9) } as const;
  const accumulators: Record<AddressHexLength, TupleAccumulator[]> = { 8: [], 32: [] };

  const tupleOf = (text: string, start: number, addrLen: AddressHexLength, remotePort: number): TupleAccumulator => {
    const at = fieldOffsets(addrLen);
    const table = tables[addrLen];
    const key = table.key;
    const words = addrLen / 8;
    for (let w = 0; w < words; w++) {
      key[w] = hexAt(text, start + w * 8, 8);
      key[words + w] = hexAt(text, start + at.remoteAddress + w * 8, 8);
    }
    key[2 * words] = remotePort;
    const id = table.idOf();
    const list = accumulators[addrLen];
    return list[id] ?? (list[id] = newTuple());
  };

  const visitText = (text: string): void => {
    scanProcNetTcp(text, (start, addrLen) => {
      const at = fieldOffsets(addrLen);
      let state = hexAt(text, start + at.state, 2);
      if (state < 0 || state >= codes) state = 0;
      if (state === TCP_STATE.LISTEN) {
        listenerRows++;
        const hex = text.slice(start, start + addrLen);
        listeners.push({ address: addrLen === 8 ? hexToIpv4(hex) : hexToIpv6(hex), port: hexAt(text, start + at.localPort, 4) });
        return;
      }
      const localPort = hexAt(text, start + at.localPort, 4);
      if (localPort >= 0 && isListening[localPort] === 1) {
        serverStates[state]!++;
        return;
      }
      clientStates[state]!++;
      const remotePort = hexAt(text, start + at.remotePort, 4);
      const tuple = tupleOf(text, start, addrLen, remotePort);
      tuple.sockets++;
      const inRange = localPort >= low && localPort <= high;
      if (inRange) tuple.portsInUse++;
      if (state === TCP_STATE.TIME_WAIT) {
        tuple.timeWait++;
        const ticks = hexAt(text, start + at.state + WHEN_FROM_STATE, 8);
        if (ticks >= recentFromTicks && recentFromTicks < TIME_WAIT_TICKS) tuple.recentTimeWait++;
        if (inRange) {
          const bucket = Math.min(EXPIRY_BUCKETS - 1, Math.max(0, Math.floor(ticks / TICKS_PER_SEC)));
          (tuple.expiry ??= new Int32Array(EXPIRY_BUCKETS))[bucket]!++;
        }
      } else if (state === TCP_STATE.ESTABLISHED) tuple.established++;
      else if (state === TCP_STATE.CLOSE_WAIT) tuple.closeWait++;
      else if (state === TCP_STATE.SYN_SENT) tuple.synSent++;
    });
  };
  visitText(tcp);
  visitText(tcp6);

  const byState = emptyStateCounts();
  const client = emptyStateCounts();
  const server = emptyStateCounts();
  let rows = listenerRows;
  for (let code = 0; code < codes; code++) {
    const name = TCP_STATE_NAMES[code]!;
    client[name] = clientStates[code]!;
    server[name] = serverStates[code]!;
    byState[name] = clientStates[code]! + serverStates[code]!;
    rows += byState[name];
  }
  byState.LISTEN = listenerRows;
  const tuples: TupleCensus[] = [];
  for (const addrLen of [8, 32] as const) {
    accumulators[addrLen].forEach((acc, id) => tuples.push(finish(acc, tables[addrLen].keyOf(id))));
  }
  return { rows, byState, client, server, listeners, tuples };
}

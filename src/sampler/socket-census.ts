/**
 * A census of a live namespace's TCP socket table (/proc/net/tcp + tcp6, or a sock_diag dump), for
 * `portlab doctor`: where the lab sampler (classify-tcp.ts) knows its target ports, a live machine does
 * not, so the side of a socket is read from the table itself: a socket whose local port is a listening
 * port is server-side, every other one is client-side (its local port came from connect() or bind()).
 * Client-side sockets are counted per tuple (source address, destination address:port), the unit that
 * owns its own ports under plain connect().
 *
 * Built for 100,000 rows a second: the table comes in columns (socket-rows.ts: from /proc text or a
 * sock_diag dump) and tuples are keyed by its address words, in a table that allocates nothing per row
 * (tuple-table.ts).
 */
import { formatHostPort } from '../util/host-port.js';
import { hexToIpv4, hexToIpv6 } from './proc-address.js';
import { rowsOfProcText, type SocketRows } from './socket-rows.js';
import { emptyStateCounts, TCP_STATE, TCP_STATE_NAMES, type TcpStateName } from './tcp-state.js';
import { WordKeyTable } from './tuple-table.js';

/** Linux's TIME_WAIT length (TCP_TIMEWAIT_LEN), in the clock ticks /proc prints timers in (USER_HZ = 100). */
export const TIME_WAIT_TICKS = 6000;
/** /proc prints timers in clock_t: USER_HZ, 100 per second on every Linux architecture portlab runs on. */
export const TICKS_PER_SEC = 100;
/** Buckets of the TIME_WAIT expiry histogram: remaining whole seconds 0..60. */
export const EXPIRY_BUCKETS = TIME_WAIT_TICKS / TICKS_PER_SEC + 1;

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
 * Counts the rows of /proc/net/tcp and /proc/net/tcp6 (either may be ''): see censusOfRows. Throws
 * PortlabError INTERNAL on a layout it does not know.
 */
export function censusOfSockets(tcp: string, tcp6: string, options: CensusOptions): SocketCensus {
  return censusOfRows(rowsOfProcText(tcp, tcp6), options);
}

/**
 * Counts a socket table: totals by state, each side's states, listeners and client-side tuples. Listening
 * ports are collected first, so the side of every other row is known in the second pass. Pure.
 */
export function censusOfRows(rows: SocketRows, options: CensusOptions): SocketCensus {
  const listeners: Listener[] = [];
  const isListening = new Uint8Array(65536);
  for (let i = 0; i < rows.count; i++) if (rows.state[i] === TCP_STATE.LISTEN) isListening[rows.localPort[i]!] = 1;
  const { low, high } = options.ephemeral;
  const recentFromTicks = TIME_WAIT_TICKS - Math.round(((options.recentMs ?? 0) * TICKS_PER_SEC) / 1000);
  const codes = TCP_STATE_NAMES.length;
  const clientStates = new Int32Array(codes);
  const serverStates = new Int32Array(codes);
  let listenerRows = 0;
  // Tuples by [local address, remote address, remote port] in 32-bit words: 3 for IPv4, 9 for IPv6.
  const tables = [new WordKeyTable(3), new WordKeyTable(9)] as const;
  const accumulators: [TupleAccumulator[], TupleAccumulator[]] = [[], []];

  const tupleOf = (i: number, v6: 0 | 1): TupleAccumulator => {
    const table = tables[v6];
    const key = table.key;
    const words = v6 === 1 ? 4 : 1;
    for (let w = 0; w < words; w++) {
      key[w] = rows.local[4 * i + w]!;
      key[words + w] = rows.remote[4 * i + w]!;
    }
    key[2 * words] = rows.remotePort[i]!;
    const id = table.idOf();
    const list = accumulators[v6];
    return list[id] ?? (list[id] = newTuple());
  };

  for (let i = 0; i < rows.count; i++) {
    let state: number = rows.state[i]!;
    if (state >= codes) state = 0;
    const v6 = rows.v6[i] === 1 ? 1 : 0;
    if (state === TCP_STATE.LISTEN) {
      listenerRows++;
      const words = Array.from(rows.local.subarray(4 * i, 4 * i + (v6 ? 4 : 1)), hex8).join('');
      listeners.push({ address: v6 ? hexToIpv6(words) : hexToIpv4(words), port: rows.localPort[i]! });
      continue;
    }
    const localPort = rows.localPort[i]!;
    if (isListening[localPort] === 1) {
      serverStates[state]!++;
      continue;
    }
    clientStates[state]!++;
    const tuple = tupleOf(i, v6);
    tuple.sockets++;
    const inRange = localPort >= low && localPort <= high;
    if (inRange) tuple.portsInUse++;
    if (state === TCP_STATE.TIME_WAIT) {
      tuple.timeWait++;
      const ticks = rows.timerTicks[i]!;
      if (ticks >= recentFromTicks && recentFromTicks < TIME_WAIT_TICKS) tuple.recentTimeWait++;
      if (inRange) {
        const bucket = Math.min(EXPIRY_BUCKETS - 1, Math.max(0, Math.floor(ticks / TICKS_PER_SEC)));
        (tuple.expiry ??= new Int32Array(EXPIRY_BUCKETS))[bucket]!++;
      }
    } else if (state === TCP_STATE.ESTABLISHED) tuple.established++;
    else if (state === TCP_STATE.CLOSE_WAIT) tuple.closeWait++;
    else if (state === TCP_STATE.SYN_SENT) tuple.synSent++;
  }

  const byState = emptyStateCounts();
  const client = emptyStateCounts();
  const server = emptyStateCounts();
  let total = listenerRows;
  for (let code = 0; code < codes; code++) {
    const name = TCP_STATE_NAMES[code]!;
    client[name] = clientStates[code]!;
    server[name] = serverStates[code]!;
    byState[name] = clientStates[code]! + serverStates[code]!;
    total += byState[name];
  }
  byState.LISTEN = listenerRows;
  const tuples: TupleCensus[] = [];
  for (const v6 of [0, 1] as const) {
    accumulators[v6].forEach((acc, id) => tuples.push(finish(acc, tables[v6].keyOf(id))));
  }
  return { rows: total, byState, client, server, listeners, tuples };
}

/**
 * The bytes of a NETLINK_SOCK_DIAG (inet_diag) TCP dump, what `ss` reads: the request, and the replies
 * decoded into SocketRows. Pure, so it is tested on captured bytes; sock-diag.ts does the system calls.
 *
 * Layouts (include/uapi/linux/netlink.h, inet_diag.h), host byte order except the addresses and ports:
 *   nlmsghdr       u32 len, u16 type, u16 flags, u32 seq, u32 pid                          16 bytes
 *   inet_diag_req_v2  u8 family, u8 protocol, u8 ext, u8 pad, u32 states, inet_diag_sockid  56 bytes
 *   inet_diag_msg  u8 family, u8 state, u8 timer, u8 retrans, inet_diag_sockid,
 *                  u32 expires (ms), u32 rqueue, u32 wqueue, u32 uid, u32 inode             72 bytes
 *   inet_diag_sockid  be16 sport, be16 dport, be32 src[4], be32 dst[4], u32 if, u32 cookie[2]  48 bytes
 * Each message is padded to 4 bytes; attributes after inet_diag_msg are skipped (none are asked for).
 */
import { SocketRows } from './socket-rows.js';

export const AF_INET = 2;
export const AF_INET6 = 10;
const IPPROTO_TCP = 6;
const SOCK_DIAG_BY_FAMILY = 20;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const HEADER = 16;
const DIAG_MSG = 72;
const EBADMSG = 74;
const TIME_WAIT = 6;
export const REQUEST_BYTES = HEADER + 56;

/** 1 << state for every TCP state (TCPF_ALL: ESTABLISHED 1 ... NEW_SYN_RECV 12). */
export const ALL_STATES = 0x1ffe;
/** The kernel's state codes as idiag_states bits. */
export const stateBit = (state: number): number => 1 << state;

/** USER_HZ: /proc prints TIME_WAIT timers in 1/100 s, sock_diag in ms; rows keep /proc's unit. */
const MS_PER_TICK = 10;

/** A dump request for one family, the kernel keeping only the states of `states` (a mask of stateBit). */
export function dumpRequest(family: typeof AF_INET | typeof AF_INET6, states: number, seq: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(REQUEST_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, REQUEST_BYTES, littleEndian);
  view.setUint16(4, SOCK_DIAG_BY_FAMILY, littleEndian);
  view.setUint16(6, NLM_F_REQUEST | NLM_F_DUMP, littleEndian);
  view.setUint32(8, seq >>> 0, littleEndian);
  bytes[HEADER] = family;
  bytes[HEADER + 1] = IPPROTO_TCP;
  view.setUint32(HEADER + 4, states >>> 0, littleEndian);
  return bytes;
}

/** What one received chunk held. */
export type ChunkResult = { kind: 'more' } | { kind: 'done' } | { kind: 'error'; errno: number };

/**
 * Appends the sockets of one received chunk (`length` bytes of `bytes`) to `rows`. 'done' at NLMSG_DONE;
 * 'error' with the positive errno of an NLMSG_ERROR (or of a DONE that carries one: a dump cut short).
 * A message that does not fit its chunk ends the chunk as an error (EBADMSG): counts from a torn dump
 * would mislead.
 */
export function parseDumpChunk(bytes: Uint8Array, length: number, rows: SocketRows, littleEndian: boolean): ChunkResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  for (let at = 0; at + HEADER <= length; ) {
    const len = view.getUint32(at, littleEndian);
    const type = view.getUint16(at + 4, littleEndian);
    if (len < HEADER || at + len > length) return { kind: 'error', errno: EBADMSG };
    if (type === NLMSG_DONE) {
      const code = len >= HEADER + 4 ? view.getInt32(at + HEADER, littleEndian) : 0;
      return code < 0 ? { kind: 'error', errno: -code } : { kind: 'done' };
    }
    if (type === NLMSG_ERROR) return { kind: 'error', errno: -view.getInt32(at + HEADER, littleEndian) || EBADMSG };
    if (type === SOCK_DIAG_BY_FAMILY) {
      if (len < HEADER + DIAG_MSG) return { kind: 'error', errno: EBADMSG };
      appendRow(view, at + HEADER, rows, littleEndian);
    }
    at += (len + 3) & ~3;
  }
  return { kind: 'more' };
}

function appendRow(view: DataView, m: number, rows: SocketRows, littleEndian: boolean): void {
  const i = rows.add();
  const v6 = view.getUint8(m) === AF_INET6;
  const state = view.getUint8(m + 1);
  rows.v6[i] = v6 ? 1 : 0;
  rows.state[i] = state;
  rows.localPort[i] = view.getUint16(m + 4, false);
  rows.remotePort[i] = view.getUint16(m + 6, false);
  // The address bytes read as host-order words: the numbers /proc prints with %08X.
  const words = v6 ? 4 : 1;
  for (let w = 0; w < words; w++) {
    rows.local[4 * i + w] = view.getUint32(m + 8 + 4 * w, littleEndian);
    rows.remote[4 * i + w] = view.getUint32(m + 24 + 4 * w, littleEndian);
  }
  if (state === TIME_WAIT) rows.timerTicks[i] = Math.floor(view.getUint32(m + 52, littleEndian) / MS_PER_TICK);
}

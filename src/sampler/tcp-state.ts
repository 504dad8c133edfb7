/**
 * TCP states as /proc/net/tcp prints them: the `st` column is the kernel's enum (include/net/tcp_states.h)
 * in two hex digits. Request sockets (TCP_NEW_SYN_RECV internally) are printed as SYN_RECV by the kernel.
 */

/** Names indexed by state code; index 0 is unused by the kernel. */
export const TCP_STATE_NAMES = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
  'BOUND_INACTIVE',
] as const;

export type TcpStateName = (typeof TCP_STATE_NAMES)[number];

/** State codes the classifier branches on (hex in /proc: 01, 02, 05, 06, 08, 0A). */
export const TCP_STATE = {
  ESTABLISHED: 0x01,
  SYN_SENT: 0x02,
  FIN_WAIT2: 0x05,
  TIME_WAIT: 0x06,
  CLOSE_WAIT: 0x08,
  LISTEN: 0x0a,
} as const;

/** Name of a state code; codes a newer kernel may add map to 'UNKNOWN' instead of failing the run. */
export function tcpStateName(code: number): TcpStateName {
  return TCP_STATE_NAMES[code] ?? 'UNKNOWN';
}

/** A zeroed count for every state name. */
export function emptyStateCounts(): Record<TcpStateName, number> {
  const counts = {} as Record<TcpStateName, number>;
  for (const name of TCP_STATE_NAMES) counts[name] = 0;
  return counts;
}

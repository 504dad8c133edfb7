/**
 * Loopback IP literals: the only addresses portlab sends to or binds, parsed as IP literals and never
 * resolved. "127.999.999.999" looks like loopback to a pattern, but it is not an IP address, so Node's
 * connect() and listen() would hand it to the resolver as a host name (a DNS query leaving the machine).
 */
import { isIP, isIPv4 } from 'node:net';

/** The one IPv6 loopback form accepted (other spellings of ::1 would count as other addresses). */
export const IPV6_LOOPBACK = '::1';

/** What makes a text a loopback literal, in a user's words (for messages and --help). */
export const LOOPBACK_RULE = 'an IP address in 127.0.0.0/8 (like 127.0.0.2) or ::1; host names are never resolved';

/** True for an IPv4 literal in 127.0.0.0/8 (dotted quad, no leading zeros) or exactly "::1". */
export function isLoopbackLiteral(text: string): boolean {
  return text === IPV6_LOOPBACK || (isIPv4(text) && text.startsWith('127.'));
}

/** Why `text` is not a loopback literal, or null when it is one. */
export function loopbackProblem(text: string): string | null {
  if (isLoopbackLiteral(text)) return null;
  if (isIP(text) === 0) return `"${text}" is not an IP address: give ${LOOPBACK_RULE}`;
  return `only loopback addresses (127.0.0.0/8 or ::1) are allowed, not "${text}"`;
}

/** "127.0.0.1:9000" or "[::1]:9000": brackets exactly around an IPv6 host; the port's range is checked later. */
const DESTINATION_RE = /^(?:\[([^\]]*)\]|([^:[\]\s]+)):(\d{1,5})$/;

/** Why `text` is not a loopback HOST:PORT, or null when it is one. */
export function loopbackDestinationProblem(text: string): string | null {
  const match = DESTINATION_RE.exec(text);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || (match?.[1] !== undefined) !== host.includes(':')) {
    return 'expected "HOST:PORT" on loopback, like "127.0.0.1:9000" or "[::1]:9000"';
  }
  return loopbackProblem(host);
}

export function isLoopbackDestination(text: string): boolean {
  return loopbackDestinationProblem(text) === null;
}

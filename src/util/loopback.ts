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

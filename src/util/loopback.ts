/**
 * The addresses portlab may send to or bind, parsed as IP literals and never resolved: loopback
 * (127.0.0.0/8, ::1) and, inside the nat lab only (config/nat.ts keeps it there), that lab's own network
 * 198.18.0.0/15 (RFC 2544 test networks: its addresses exist only in the lab's namespaces).
 * "127.999.999.999" looks like loopback to a pattern, but it is not an IP address, so Node's connect() and
 * listen() would hand it to the resolver as a host name (a DNS query leaving the machine).
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

/** True for an IPv4 literal in 198.18.0.0/15 (198.18.x.y, 198.19.x.y): the nat lab's own network. */
export function isNatLabHost(text: string): boolean {
  return isIPv4(text) && (text.startsWith('198.18.') || text.startsWith('198.19.'));
}

/** Why `text` is not a loopback literal, or null when it is one. */
export function loopbackProblem(text: string): string | null {
  if (isLoopbackLiteral(text)) return null;
  if (isIP(text) === 0) return `"${text}" is not an IP address: give ${LOOPBACK_RULE}`;
  return `only loopback addresses (127.0.0.0/8 or ::1) are allowed, not "${text}"`;
}

/** Like loopbackProblem, but the nat lab's network passes too (config/nat.ts refuses it in other labs). */
export function labAddressProblem(text: string): string | null {
  if (isNatLabHost(text)) return null;
  const problem = loopbackProblem(text);
  return problem === null ? null : `${problem} (198.18.0.0/15 in the nat lab)`;
}

/** "127.0.0.1:9000" or "[::1]:9000": brackets exactly around an IPv6 host; the port's range is checked later. */
const DESTINATION_RE = /^(?:\[([^\]]*)\]|([^:[\]\s]+)):(\d{1,5})$/;

/** Why `text` is not a lab HOST:PORT (loopback, or the nat lab's network), or null when it is one. */
export function labDestinationProblem(text: string): string | null {
  const match = DESTINATION_RE.exec(text);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || (match?.[1] !== undefined) !== host.includes(':')) {
    return 'expected "HOST:PORT" on loopback, like "127.0.0.1:9000" or "[::1]:9000"';
  }
  return labAddressProblem(host);
}

/** True for a loopback HOST:PORT (the nat lab's network excluded). */
export function isLoopbackDestination(text: string): boolean {
  const match = DESTINATION_RE.exec(text);
  const host = match?.[1] ?? match?.[2];
  return labDestinationProblem(text) === null && host !== undefined && isLoopbackLiteral(host);
}

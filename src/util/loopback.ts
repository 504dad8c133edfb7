/**
 * portlab sends traffic only to loopback: 127.0.0.0/8 and ::1, and, inside the nat lab only, to that lab's
 * own network 198.18.0.0/15 (RFC 2544 test networks: its addresses exist only in the lab's namespaces).
 * The rule is written once, as regular expression sources, so the scenario schema, the JSON Schema that
 * editors read and every command agree.
 */

/** One IPv4 octet in dotted-decimal: 0 to 255, no leading zero (which some parsers read as octal). */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4_LOOPBACK = `127\\.${OCTET}\\.${OCTET}\\.${OCTET}`;

/** A loopback address: 127.x.y.z with every octet 0-255, or ::1. */
export const LOOPBACK_HOST_PATTERN = `^(?:${IPV4_LOOPBACK}|::1)$`;

/**
 * "HOST:PORT" with a loopback host ("127.0.0.2:9000", "[::1]:9000"). Only the port's form is checked here;
 * its range (1..65535) is checked where the destination is resolved, with its own message.
 */
export const LOOPBACK_DESTINATION_PATTERN = `^(?:${IPV4_LOOPBACK}|\\[::1\\]):[0-9]{1,5}$`;

/** 198.18.0.0/15: 198.18.x.y and 198.19.x.y. */
const IPV4_NAT_LAB = `198\\.1[89]\\.${OCTET}\\.${OCTET}`;

/** An address a scenario may name: loopback, or the nat lab's network (config/nat.ts keeps it to that lab). */
export const LAB_HOST_PATTERN = `^(?:${IPV4_LOOPBACK}|::1|${IPV4_NAT_LAB})$`;

/** "HOST:PORT" with a host LAB_HOST_PATTERN allows. */
export const LAB_DESTINATION_PATTERN = `^(?:${IPV4_LOOPBACK}|\\[::1\\]|${IPV4_NAT_LAB}):[0-9]{1,5}$`;

const HOST_RE = new RegExp(LOOPBACK_HOST_PATTERN);
const NAT_LAB_RE = new RegExp(`^${IPV4_NAT_LAB}$`);
const DESTINATION_RE = new RegExp(LOOPBACK_DESTINATION_PATTERN);

/** True for 127.0.0.0/8 written as four octets of 0-255, and for ::1. */
export function isLoopbackHost(host: string): boolean {
  return HOST_RE.test(host);
}

/** True for "HOST:PORT" whose host is loopback (IPv6 in brackets) and whose port is 1 to 5 digits. */
export function isLoopbackDestination(text: string): boolean {
  return DESTINATION_RE.test(text);
}

/** True for 198.18.0.0/15 written as four octets of 0-255: the nat lab's own network. */
export function isNatLabHost(host: string): boolean {
  return NAT_LAB_RE.test(host);
}

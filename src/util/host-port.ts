/**
 * "HOST:PORT" as portlab writes and reads it everywhere (reports, flags, the target's --listen, sampler
 * breakdowns): IPv6 hosts in brackets, "[::1]:9000", so the port's colon stays unambiguous.
 */

export interface HostPort {
  host: string;
  port: number;
}

/** "127.0.0.1:9000" or "[::1]:9000". */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The inverse of formatHostPort; null unless it is HOST:PORT with a port in 1..65535. */
export function parseHostPort(text: string): HostPort | null {
  const match = /^\s*(?:\[([^\]]+)\]|([^:\s]+)):(\d+)\s*$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2]!, port };
}

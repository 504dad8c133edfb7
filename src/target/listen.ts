/** Which (address, port) pairs the target must accept on so that every destination finds a listener. */
import type { Scenario } from '../config/types.js';
import type { ListenAddress } from './tcp-server.js';
import { formatHostPort, parseHostPort } from '../util/host-port.js';

export function listenAddresses(scenario: Scenario): ListenAddress[] {
  const seen = new Set<string>();
  const out: ListenAddress[] = [];
  const add = (host: string, port: number): void => {
    const key = `${host}|${port}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ host, port });
  };
  for (const port of scenario.target.ports) add('127.0.0.1', port);
  for (const d of scenario.client.destinations) add(d.host, d.port);
  return out;
}

/** "127.0.0.1:9000,[::1]:9000": the `portlab target --listen` form of a list of addresses. */
export function formatListen(addresses: ListenAddress[]): string {
  return addresses.map(({ host, port }) => formatHostPort(host, port)).join(',');
}

/** The inverse of formatListen; null when an item is not HOST:PORT with a port in 1-65535. */
export function parseListen(text: string): ListenAddress[] | null {
  const out: ListenAddress[] = [];
  for (const item of text.split(',')) {
    const parsed = parseHostPort(item);
    if (!parsed) return null;
    out.push(parsed);
  }
  return out;
}

/** Which (address, port) pairs the target must accept on so that every destination finds a listener. */
import type { Scenario } from '../config/types.js';
import type { ListenAddress } from './tcp-server.js';

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

/**
 * Whether connections are bound to their source address before connect (bind(ip, 0), Node's
 * `localAddress`). Only when the scenario names sources other than the default loopback one: bound ports
 * are allocated per address and refused to plain connects, so this changes what exhaustion looks like
 * (EADDRINUSE) and how the model counts capacity.
 */
import type { Scenario } from './types.js';

export function bindsSource(client: Pick<Scenario['client'], 'sourceAddresses'>): boolean {
  const sources = client.sourceAddresses;
  return sources.length > 1 || !['127.0.0.1', '::1'].includes(sources[0]!);
}

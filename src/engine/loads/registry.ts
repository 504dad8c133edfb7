/**
 * Every load a worker can run, by name, as k6 registers executors. Adding a load: a file here with its
 * entry, its spec and checks in config/engine-problems.ts (where validate runs them), one line below.
 */
import { protocolMismatch, type LoadName } from '../../config/engine-problems.js';
import { PortlabError } from '../../errors/index.js';
import type { Load, LoadContext, LoadEntry } from './load.js';

/**
 * Imported on demand: a worker loads only the module of the load it runs (autocannon alone takes about a
 * second to import, which every worker of every run would otherwise pay before it is ready).
 */
export const LOADS: { readonly [N in LoadName]: () => Promise<LoadEntry> } = {
  churn: async () => (await import('./churn.js')).churn,
  pool: async () => (await import('./pool.js')).pool,
  'node-agent': async () => (await import('./node-agent.js')).nodeAgent,
  autocannon: async () => (await import('./autocannon/load.js')).autocannonLoad,
  undici: async () => (await import('./undici.js')).undiciLoad,
  udp: async () => (await import('./udp.js')).udpLoad,
};

/**
 * Imports the named load and returns its factory. Validate has already refused a scenario whose load and
 * target do not speak the same protocol; a worker config that pairs them anyway is a bug, said plainly.
 */
export async function loadFactory(name: LoadName): Promise<(context: LoadContext) => Load> {
  const entry = await LOADS[name]();
  return (context) => {
    const mismatch = protocolMismatch(entry.spec, context.runtime.config.protocol);
    if (mismatch) throw new PortlabError('INTERNAL', `the ${name} load cannot run against this target: ${mismatch.message}`);
    return entry.create(context);
  };
}

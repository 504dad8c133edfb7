/**
 * `portlab lab prune`: removes what killed runs left behind: every container with the `portlab` label
 * (any run, running or not) and every `portlab-*` network namespace (netns lab, root only).
 */
import type Docker from 'dockerode';
import { deleteNetns, listPortlabNetns } from '../netns.js';
import { LABEL, RUN_LABEL, statusOf } from './client.js';

export interface PrunedContainer {
  id: string;
  name: string;
  /** The lab id from the run label, if present. */
  run?: string;
}

export interface PruneResult {
  containers: PrunedContainer[];
  namespaces: string[];
}

/** Every container carrying the portlab label, stopped ones included. */
export async function listLabContainers(docker: Docker, runId?: string): Promise<PrunedContainer[]> {
  const label = runId === undefined ? [LABEL] : [`${RUN_LABEL}=${runId}`];
  const infos = await docker.listContainers({ all: true, filters: { label } });
  return infos.map((info) => ({
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
    run: info.Labels[RUN_LABEL],
  }));
}

/** Removes (force) every portlab container; resolves with those it removed. */
export async function pruneContainers(docker: Docker): Promise<PrunedContainer[]> {
  const removed: PrunedContainer[] = [];
  for (const container of await listLabContainers(docker)) {
    try {
      await docker.getContainer(container.id).remove({ force: true });
      removed.push(container);
    } catch (err) {
      // AutoRemove containers may vanish between list and remove; that is what we wanted.
      const status = statusOf(err);
      if (status !== 404 && status !== 409) throw err;
    }
  }
  return removed;
}

export interface NetnsOps {
  list(): string[];
  remove(name: string): void;
}

/** Removes every portlab-* namespace; resolves with those gone afterwards. */
export function pruneNamespaces(ops: NetnsOps = { list: listPortlabNetns, remove: deleteNetns }): string[] {
  const before = ops.list();
  for (const name of before) ops.remove(name);
  const left = new Set(ops.list());
  return before.filter((name) => !left.has(name));
}

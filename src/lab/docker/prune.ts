/**
 * `portlab lab prune` for the docker lab: removes the containers (label `portlab`) of runs that are gone and
 * keeps those of runs still going. A run is going when its driver container runs, or when its owner (label
 * portlab.owner) still runs on this host: between the target's start and the driver's, only the owner says so.
 */
import type Docker from 'dockerode';
import { ownerState, parseOwner } from '../owner.js';
import type { LabVerdict } from '../stale.js';
import { LABEL, OWNER_LABEL, ROLE_LABEL, RUN_LABEL, statusOf } from './client.js';

export interface PrunedContainer {
  id: string;
  name: string;
  /** The lab id from the run label, if present. */
  run?: string;
}

export interface LabContainer extends PrunedContainer {
  role?: string;
  owner?: string;
  /** The engine's state: running, created, exited ... */
  state: string;
}

/** Every container carrying the portlab label, stopped ones included. */
export async function listLabContainers(docker: Docker, runId?: string): Promise<LabContainer[]> {
  const label = runId === undefined ? [LABEL] : [`${RUN_LABEL}=${runId}`];
  const infos = await docker.listContainers({ all: true, filters: { label } });
  return infos.map((info) => ({
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
    run: info.Labels[RUN_LABEL],
    role: info.Labels[ROLE_LABEL],
    owner: info.Labels[OWNER_LABEL],
    state: info.State,
  }));
}

/** The verdict on each container, judged by its run (pure but for the owner check, injectable). */
export function judgeContainers(containers: readonly LabContainer[], stateOf = (owner: string | undefined) => {
  const parsed = parseOwner(owner);
  return parsed ? ownerState(parsed) : 'unknown';
}): (LabVerdict & { container: LabContainer })[] {
  const driving = new Set(containers.filter((c) => c.role === 'driver' && c.state === 'running').map((c) => c.run));
  return containers.map((container) => {
    const base = { name: container.name, container };
    if (container.run !== undefined && driving.has(container.run)) return { ...base, stale: false, why: `the driver of run ${container.run} is running` };
    const owner = stateOf(container.owner);
    if (owner === 'running') return { ...base, stale: false, why: `its run's process (${container.owner}) is still going` };
    const whose = owner === 'elsewhere' ? `its run started on another host (${container.owner}) and` : owner === 'gone' ? 'its run is gone and' : '';
    return { ...base, stale: true, why: `${whose} no driver of its run is running`.trim() };
  });
}

/** Removes the containers of runs that are gone; returns every verdict. */
export async function pruneContainers(docker: Docker): Promise<(LabVerdict & { container: LabContainer })[]> {
  const verdicts = judgeContainers(await listLabContainers(docker));
  for (const verdict of verdicts.filter((v) => v.stale)) {
    try {
      await docker.getContainer(verdict.container.id).remove({ force: true });
    } catch (err) {
      // AutoRemove containers may vanish between list and remove; that is what we wanted.
      const status = statusOf(err);
      if (status !== 404 && status !== 409) throw err;
    }
  }
  return verdicts;
}

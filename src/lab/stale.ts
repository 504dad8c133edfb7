/**
 * Which labs on this machine belong to runs that are gone. A netns lab (`ip netns add portlab-<id>`) outlives
 * a killed portlab; it is stale only when its owner (named in its id, lab/owner.ts) no longer runs and no
 * process is inside it. Used by `portlab lab prune` (remove the stale, keep the rest and say why) and by
 * `portlab run` (warn that stale labs exist).
 */
import { readdirSync, statSync } from 'node:fs';
import { deleteNetns, listPortlabNetns, NETNS_DIR, NETNS_PREFIX } from './netns.js';
import { ownerOfLabId, ownerState, type OwnerState } from './owner.js';

export interface LabVerdict {
  /** The namespace or container name. */
  name: string;
  stale: boolean;
  /** Why it is kept or removed, in words. */
  why: string;
}

/** The inode of a network namespace file (bind mount under /run/netns, or /proc/<pid>/ns/net), or null. */
function nsInode(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

/** Pids of processes inside the namespace mounted at `nsPath`. */
export function processesInNetns(nsPath: string): number[] {
  const inode = nsInode(nsPath);
  if (inode === null) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => nsInode(`/proc/${pid}/ns/net`) === inode);
}

export interface NetnsFacts {
  name: string;
  owner: OwnerState | 'unknown';
  ownerPid: number | null;
  /** Processes inside the namespace. */
  inside: number[];
}

/** The verdict for one namespace from its facts (pure). */
export function judgeNetns(facts: NetnsFacts): LabVerdict {
  const { name, owner, ownerPid, inside } = facts;
  if (owner === 'running') return { name, stale: false, why: `its run (pid ${ownerPid}) is still going` };
  if (inside.length > 0) return { name, stale: false, why: `process ${inside.slice(0, 3).join(', ')} still runs inside it` };
  const whose = owner === 'unknown' ? 'no owner is recorded in its name' : `its run (pid ${ownerPid}) is gone`;
  return { name, stale: true, why: `${whose} and nothing runs inside it` };
}

/** Every portlab-* namespace with its verdict. */
export function netnsVerdicts(list: () => string[] = listPortlabNetns): LabVerdict[] {
  return list().map((name) => {
    const owner = ownerOfLabId(name.slice(NETNS_PREFIX.length));
    return judgeNetns({
      name,
      owner: owner ? ownerState(owner) : 'unknown',
      ownerPid: owner?.pid ?? null,
      inside: processesInNetns(`${NETNS_DIR}/${name}`),
    });
  });
}

/** Removes the stale namespaces; returns every verdict, `stale` ones now gone (or tried). */
export function pruneStaleNetns(verdicts: LabVerdict[] = netnsVerdicts(), remove: (name: string) => void = deleteNetns): LabVerdict[] {
  for (const verdict of verdicts) if (verdict.stale) remove(verdict.name);
  return verdicts;
}

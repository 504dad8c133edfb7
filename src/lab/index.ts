/** Picks and creates a lab. `auto` prefers userns (no root needed), then netns, then explains. */
import type { LabKind } from '../config/types.js';
import { PortlabError } from '../errors/index.js';
import { createHostLab } from './host.js';
import { createNatLab } from './nat/lab.js';
import { createNetnsLab } from './netns.js';
import { probeNetns, probeUserns } from './probe.js';
import type { Lab, LabOptions } from './types.js';
import { createUsernsLab } from './userns.js';

function unavailable(kind: string, reason: string | undefined): PortlabError {
  return new PortlabError('LAB_UNAVAILABLE', `the ${kind} lab cannot be created here: ${reason ?? 'unknown reason'}`, {
    hint:
      kind === 'nat'
        ? 'the nat lab needs unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone)'
        : kind === 'userns'
        ? 'run as root to use --lab netns, or allow unprivileged user namespaces (sysctl user.max_user_namespaces)'
        : 'use --lab userns (no root needed) or --lab docker',
  });
}

/** Resolves `auto` to a concrete kind this machine supports. */
export function chooseLabKind(kind: LabKind): Exclude<LabKind, 'auto'> {
  if (kind !== 'auto') return kind;
  const userns = probeUserns();
  if (userns.ok) return 'userns';
  const netns = probeNetns();
  if (netns.ok) return 'netns';
  throw new PortlabError('LAB_UNAVAILABLE', 'no lab can be created here', {
    hint: `userns: ${userns.reason}; netns: ${netns.reason}. Install Docker and use --lab docker, or run as root.`,
  });
}

export async function createLab(kind: LabKind, options: LabOptions): Promise<Lab> {
  const concrete = chooseLabKind(kind);
  switch (concrete) {
    case 'userns': {
      const probe = probeUserns();
      if (!probe.ok) throw unavailable('userns', probe.reason);
      return createUsernsLab(options);
    }
    case 'netns': {
      const probe = probeNetns();
      if (!probe.ok) throw unavailable('netns', probe.reason);
      return createNetnsLab(options);
    }
    case 'host':
      return createHostLab(options);
    case 'nat': {
      const probe = probeUserns();
      if (!probe.ok) throw unavailable('nat', probe.reason);
      return createNatLab(options);
    }
    case 'docker': {
      // Loaded only here: every other command and lab kind starts without dockerode.
      const { createDockerLab } = await import('./docker/index.js');
      return createDockerLab(options);
    }
  }
}

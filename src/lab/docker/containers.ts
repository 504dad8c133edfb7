/**
 * What the docker lab asks the engine for, as plain data (tested without an engine): a target container
 * that owns the lab's network namespace (`--network none`, the scenario's sysctls) and a driver container
 * that joins it, so every connection stays on that namespace's loopback.
 */
import type Docker from 'dockerode';
import { PortlabError } from '../../errors/index.js';
import type { TargetOptions } from '../../target/start.js';
import { formatListen } from '../../target/listen.js';
import { LABEL, OWNER_LABEL, ROLE_LABEL, RUN_LABEL } from './client.js';
import { IMAGE_APP_DIR } from './image.js';

export interface ContainerPlan {
  /** The lab id: container names and the run label. */
  labId: string;
  image: string;
  /** net.* sysctls the target container's namespace gets at creation. */
  sysctls: Record<string, string>;
  /** CPUs per container (0.5 = half a core). */
  cpus?: number;
  /** Memory per container, like "512m". */
  memory?: string;
  /** The run that owns the lab, as a label ("host:pid:start", lab/owner.ts); prune keeps a lab whose owner runs. */
  owner?: string;
  /** Extra environment for the driver (the fault harness's failpoints). */
  driverEnv?: string[];
}

const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "512m" -> 536870912 (docker's units: powers of 1024). */
export function parseMemoryBytes(text: string): number {
  const match = /^(\d+)([kmg]?)$/i.exec(text.trim());
  if (!match) throw new PortlabError('SCENARIO_INVALID', `lab.memory: expected a size like "512m" or "1g", got "${text}"`);
  return Number(match[1]) * MEMORY_UNITS[match[2]!.toLowerCase()]!;
}

function limits(plan: ContainerPlan): Pick<Docker.HostConfig, 'NanoCpus' | 'Memory'> {
  const out: Pick<Docker.HostConfig, 'NanoCpus' | 'Memory'> = {};
  if (plan.cpus !== undefined) out.NanoCpus = Math.round(plan.cpus * 1e9);
  if (plan.memory !== undefined) out.Memory = parseMemoryBytes(plan.memory);
  return out;
}

function labels(plan: ContainerPlan, role: 'target' | 'driver'): Record<string, string> {
  return { [LABEL]: '1', [RUN_LABEL]: plan.labId, [ROLE_LABEL]: role, ...(plan.owner && { [OWNER_LABEL]: plan.owner }) };
}

export function containerName(labId: string, role: 'target' | 'driver'): string {
  return `portlab-${labId}-${role}`;
}

/** `portlab target` arguments for these options; `lifetimeMs` stops it by itself if the run is abandoned. */
export function targetArgs(target: TargetOptions, lifetimeMs: number): string[] {
  return [
    'target',
    '--protocol',
    target.protocol,
    '--listen',
    formatListen(target.listen),
    '--response-bytes',
    String(target.responseBytes),
    '--response-delay',
    `${target.responseDelayMs}ms`,
    ...(target.closeAfterResponse ? ['--close-after-response'] : []),
    '--stdin-lifeline',
    '--duration',
    `${Math.ceil(lifetimeMs)}ms`,
  ];
}

/**
 * The target container. Its stdin is held open by the orchestrator's attach connection (StdinOnce): when the
 * orchestrator dies, even by SIGKILL, the engine closes it and the target stops (--stdin-lifeline) within a
 * second, and AutoRemove removes it. Its own lifetime is the backstop; destroy() removes it at once on every
 * normal path.
 */
export function targetCreateOptions(plan: ContainerPlan, target: TargetOptions, lifetimeMs: number): Docker.ContainerCreateOptions {
  return {
    name: containerName(plan.labId, 'target'),
    Image: plan.image,
    Cmd: ['node', 'bin/portlab.js', ...targetArgs(target, lifetimeMs)],
    WorkingDir: IMAGE_APP_DIR,
    Labels: labels(plan, 'target'),
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    HostConfig: {
      // A namespace of its own with only loopback (up): traffic can go nowhere else.
      NetworkMode: 'none',
      Sysctls: plan.sysctls,
      AutoRemove: true,
      ...limits(plan),
    },
  };
}

/**
 * The driver container, in the target's namespace. Its stdin carries the config line and "stop";
 * StdinOnce closes the driver's stdin when our attach connection goes, so a vanished orchestrator stops it.
 */
export function driverCreateOptions(plan: ContainerPlan, targetId: string): Docker.ContainerCreateOptions {
  return {
    name: containerName(plan.labId, 'driver'),
    Image: plan.image,
    Cmd: ['node', 'dist/src/driver/main.js'],
    WorkingDir: IMAGE_APP_DIR,
    Labels: labels(plan, 'driver'),
    ...(plan.driverEnv && plan.driverEnv.length > 0 && { Env: plan.driverEnv }),
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: {
      NetworkMode: `container:${targetId}`,
      AutoRemove: true,
      ...limits(plan),
    },
  };
}

/**
 * The docker lab: a target container owning a fresh network namespace (`--network none`, the scenario's
 * sysctls set by the engine at creation) and a driver container joined to it. Docker applied the sysctls,
 * so the driver only reads them back and checks them ('verify'); it samples /proc/net of that shared
 * namespace, so the numbers mean what they mean in the userns lab.
 */
import type Docker from 'dockerode';
import { PortlabError } from '../../errors/index.js';
import { targetOptionsFor } from '../../target/start.js';
import type { DriverProcess, Lab, LabOptions } from '../types.js';
import { attachOutput, startAttachedDriver } from './attach.js';
import { FAILPOINTS_ENV } from '../../util/failpoint.js';
import { currentOwner, formatOwner } from '../owner.js';
import { judgeContainers, listLabContainers } from './prune.js';
import { connectDocker, dockerUnavailable, statusOf } from './client.js';
import { driverCreateOptions, targetCreateOptions, type ContainerPlan } from './containers.js';
import { ensureLabImage } from './image.js';

/** The target outlives the planned run by this much before it stops by itself (abandoned runs). */
const TARGET_EXTRA_LIFETIME_MS = 120_000;
/** How long destroy() waits for the engine to report the driver's exit after removing it. */
const EXIT_WAIT_MS = 10_000;

export interface DockerLabDeps {
  /** An engine client (tests); default: dockerode's, from DOCKER_HOST. */
  docker?: Docker;
  /** One-line notes (the first-use image build); default: stderr. */
  onProgress?(line: string): void;
}

/** Engine errors while setting up, by cause: unreachable engine, refused sysctl, anything else. */
function setupError(what: string, err: unknown): PortlabError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return dockerUnavailable(err);
  const message = (err as { json?: { message?: string } } | null)?.json?.message ?? (err instanceof Error ? err.message : String(err));
  if (/sysctl|\/proc\/sys\//i.test(message)) {
    return new PortlabError('SYSCTL_REFUSED', `the docker engine refused the lab's sysctls: ${message}`, {
      hint: 'only namespaced net.* sysctls can be set on a container; check the name and value',
      cause: err,
    });
  }
  return new PortlabError('LAB_FAILED', `docker lab: ${what} failed: ${message}`, {
    hint: 'see the docker engine log; `portlab lab prune` removes what a failed run left',
    cause: err,
  });
}

async function removeQuietly(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true });
  } catch (err) {
    // 404: already gone (AutoRemove); 409: the engine is removing it already.
    const status = statusOf(err);
    if (status !== 404 && status !== 409) throw err;
  }
}

/** One line when containers of runs that are gone exist: they hold memory and clutter `docker ps`. */
async function warnStale(docker: Docker, onProgress: (line: string) => void): Promise<void> {
  try {
    const stale = judgeContainers(await listLabContainers(docker)).filter((v) => v.stale);
    if (stale.length > 0) onProgress(`portlab: warning: ${stale.length} container(s) of runs that are gone (${stale.map((v) => v.name).slice(0, 3).join(', ')}); \`portlab lab prune\` removes them`);
  } catch {
    // A warning only: a listing that fails must not stop the run.
  }
}

export async function createDockerLab(options: LabOptions, deps: DockerLabDeps = {}): Promise<Lab> {
  const onProgress = deps.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { docker, engine } = await connectDocker(deps.docker);
  const started = Date.now();
  const image = await ensureLabImage(docker, engine, options.image, onProgress);
  if (Date.now() - started > 2000) onProgress(`portlab: the lab image ${image} is ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await warnStale(docker, onProgress);
  const failpoints = process.env[FAILPOINTS_ENV];
  const plan: ContainerPlan = {
    labId: options.id,
    image,
    sysctls: options.sysctls,
    cpus: options.cpus,
    memory: options.memory,
    owner: formatOwner(currentOwner()),
    ...(failpoints && { driverEnv: [`${FAILPOINTS_ENV}=${failpoints}`] }),
  };
  const containers: Docker.Container[] = [];
  let driver: DriverProcess | undefined;
  let destroying: Promise<void> | undefined;

  const create = async (role: string, createOptions: Docker.ContainerCreateOptions): Promise<Docker.Container> => {
    try {
      const container = await docker.createContainer(createOptions);
      containers.push(container);
      return container;
    } catch (err) {
      throw setupError(`creating the ${role} container`, err);
    }
  };

  return {
    kind: 'docker',
    id: options.id,
    sysctlMode: 'verify',
    startDriver: async (config) => {
      const { scenario } = config;
      const lifetimeMs = scenario.durationMs + scenario.client.connectTimeoutMs + TARGET_EXTRA_LIFETIME_MS;
      const target = await create('target', targetCreateOptions(plan, targetOptionsFor(scenario), lifetimeMs));
      let targetOutput: () => string = () => '';
      // Registered before start: an AutoRemove container is gone once it has exited, and so is its status.
      const targetExited: Promise<number | null> = target.wait({ condition: 'next-exit' }).then(
        (result: { StatusCode?: number }) => result.StatusCode ?? null,
        () => null,
      );
      try {
        targetOutput = await attachOutput(docker, target);
        await target.start();
      } catch (err) {
        throw setupError('starting the target container', err);
      }
      const driverContainer = await create('driver', driverCreateOptions(plan, target.id));
      try {
        driver = await startAttachedDriver(docker, driverContainer, { ...config, externalTarget: true });
      } catch (err) {
        throw setupError('starting the driver container', err);
      }
      const inner = driver;
      return {
        ...inner,
        // The target is a container of its own: its death mid-run is a target failure, not a quiet ECONNREFUSED.
        onLabFailure: (listener) => {
          void targetExited.then((code) => {
            if (destroying) return;
            const said = targetOutput().split('\n').slice(-1)[0];
            listener({ reason: 'target-failure', detail: `the target container exited (code ${code ?? '?'}) during the run${said ? `: ${said}` : ''}` });
          });
        },
        // A target that failed to listen shows up as the driver's timeout; its own output says why.
        stderrTail: () => [inner.stderrTail(), targetOutput() && `target: ${targetOutput()}`].filter(Boolean).join('\n'),
      };
    },
    destroy: () => {
      destroying ??= (async () => {
        const results = await Promise.allSettled(containers.map((c) => removeQuietly(c)));
        results.forEach((result, i) => {
          if (result.status === 'rejected') {
            // Not thrown: it would replace the run's results; the containers stop by themselves anyway.
            onProgress(`portlab: warning: could not remove container ${containers[i]!.id.slice(0, 12)} (${String(result.reason)}); run \`portlab lab prune\``);
          }
        });
        await Promise.race([driver?.exited, new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS).unref())]);
      })();
      return destroying;
    },
  };
}

/**
 * The docker engine connection. dockerode's default constructor reads DOCKER_HOST (and DOCKER_TLS_VERIFY,
 * DOCKER_CERT_PATH), else /var/run/docker.sock, so a remote engine works with no portlab setting. Every
 * way of not reaching it becomes DOCKER_UNAVAILABLE (exit 3) with a hint for that cause.
 */
import Docker from 'dockerode';
import { errnoCode, PortlabError } from '../../errors/index.js';

/** Every container portlab creates carries this label (value "1"); prune removes by it. */
export const LABEL = 'portlab';
/** The lab id of the run a container belongs to. */
export const RUN_LABEL = 'portlab.run';
/** The run that made the container: "host:pid:start" (lab/owner.ts). */
export const OWNER_LABEL = 'portlab.owner';
/** target | driver */
export const ROLE_LABEL = 'portlab.role';
/** On images: the portlab version inside. */
export const VERSION_LABEL = 'portlab.version';
/** On images: the fingerprint of portlab's files inside (see packageFingerprint). */
export const CONTENT_LABEL = 'portlab.content';

/** A ping that hangs (a wrong TCP DOCKER_HOST) must not hang the run. */
const PING_TIMEOUT_MS = 10_000;

function where(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : '/var/run/docker.sock';
}

/** The user-facing error for a failed engine call, by its cause. */
export function dockerUnavailable(err: unknown, env: NodeJS.ProcessEnv = process.env): PortlabError {
  const code = errnoCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const at = where(env);
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  let hint: string;
  if (code === 'EACCES' || code === 'EPERM' || statusCode === 403) {
    hint = `no permission on ${at}: add yourself to the docker group (sudo usermod -aG docker $USER, then log in again), or run as root`;
  } else if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    hint = `no docker engine answers at ${at}: start it (sudo systemctl start docker, or dockerd &), or set DOCKER_HOST to a running engine`;
  } else {
    hint = `check that a docker engine runs and DOCKER_HOST (now ${env.DOCKER_HOST ?? 'unset'}) points at it; \`docker info\` should answer`;
  }
  return new PortlabError('DOCKER_UNAVAILABLE', `cannot reach the docker engine at ${at}: ${message}`, { hint, cause: err });
}

export interface EngineInfo {
  /** "linux" for every engine portlab can use. */
  os?: string;
  /** Docker's names: amd64, arm64 ... */
  arch?: string;
  version?: string;
}

/** Connects and pings; throws DOCKER_UNAVAILABLE when the engine is not there. */
export async function connectDocker(docker: Docker = new Docker()): Promise<{ docker: Docker; engine: EngineInfo }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS);
    });
    await Promise.race([docker.ping(), timeout]);
    const version = (await Promise.race([docker.version(), timeout])) as { Os?: string; Arch?: string; Version?: string };
    return { docker, engine: { os: version.Os, arch: version.Arch, version: version.Version } };
  } catch (err) {
    throw dockerUnavailable(err);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of a dockerode error (404 missing, 409 conflict ...), if any. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

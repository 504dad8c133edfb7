/**
 * The lab image `portlab:<version>`: the bundled target and driver. Two ways to build the same content:
 * docker/Dockerfile on a real node base image (needs a registry), or offline FROM scratch with this
 * host's node runtime (needs nothing but the engine). Built once per portlab version; a label with the
 * fingerprint of portlab's files also catches a checkout rebuilt at the same version.
 */
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { PortlabError } from '../../errors/index.js';
import { CONTENT_LABEL, LABEL, statusOf, VERSION_LABEL, type EngineInfo } from './client.js';
import { packageVersion } from '../../util/version.js';
import { PACKAGE_ROOT, fileEntry, packageEntries, packageFingerprint } from './package-files.js';
import { hostRuntimeFiles, IMAGE_NODE_PATH, offlineBlocker, type RuntimeFiles } from './runtime-files.js';
import { tarStream, withDirectories, type TarEntry } from './tar.js';

/** Where portlab lives inside the image (WORKDIR); containers run `node bin/portlab.js ...` from there. */
export const IMAGE_APP_DIR = '/opt/portlab';
export const DOCKERFILE = 'docker/Dockerfile';

export function imageTag(version = packageVersion()): string {
  return `portlab:${version}`;
}

export interface BuildOptions {
  /** FROM scratch with the host's node (no registry needed). */
  offline: boolean;
  /** Rebuild even when the tag exists. */
  force?: boolean;
  /** Dockerfile build only: the BASE_IMAGE build argument (default in the Dockerfile: node:20-slim). */
  baseImage?: string;
  /** Build output, line by line. */
  onProgress?(line: string): void;
}

export interface BuildResult {
  tag: string;
  /** False when the tag already held these files and nothing was built. */
  built: boolean;
}

/** The image's id and content label, or null when the engine has no such image. */
async function inspectImage(docker: Docker, tag: string): Promise<{ id: string; content?: string } | null> {
  try {
    const info = await docker.getImage(tag).inspect();
    return { id: info.Id, content: info.Config?.Labels?.[CONTENT_LABEL] };
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  return (await inspectImage(docker, tag)) !== null;
}

/** Whether `portlab:<version>` exists and holds exactly this package's files. */
export async function labImageState(docker: Docker): Promise<'current' | 'stale' | 'missing'> {
  const found = await inspectImage(docker, imageTag());
  if (found === null) return 'missing';
  return found.content === packageFingerprint() ? 'current' : 'stale';
}

/** The generated Dockerfile of the offline image: the same steps as docker/Dockerfile, on scratch. */
export function offlineDockerfile(runtime: RuntimeFiles): string {
  const libraryDirs = [...new Set(runtime.libraries.map((lib) => dirname(lib)))];
  return [
    'FROM scratch',
    'COPY rootfs/ /',
    // No /etc/ld.so.cache in the image: the loader finds the copied libraries through this path.
    `ENV NODE_ENV=production PATH=/usr/local/bin:/usr/bin:/bin LD_LIBRARY_PATH=${libraryDirs.join(':')}`,
    `WORKDIR ${IMAGE_APP_DIR}`,
    'COPY package.json ./',
    'COPY bin ./bin',
    'COPY dist/src ./dist/src',
    'COPY node_modules ./node_modules',
    'CMD ["node", "bin/portlab.js", "--help"]',
    '',
  ].join('\n');
}

function offlineContext(runtime: RuntimeFiles): TarEntry[] {
  const dockerfile = Buffer.from(offlineDockerfile(runtime));
  return [
    { path: 'Dockerfile', mode: 0o644, size: dockerfile.length, source: { data: dockerfile } },
    fileEntry(runtime.node, `rootfs${IMAGE_NODE_PATH}`),
    ...runtime.libraries.map((lib) => fileEntry(lib, `rootfs${lib}`)),
    ...packageEntries(),
  ];
}

function dockerfileContext(): TarEntry[] {
  return [fileEntry(join(PACKAGE_ROOT, DOCKERFILE), DOCKERFILE), ...packageEntries()];
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Sends the context and follows the build; resolves when the engine reports the end, rejects on its error. */
async function runBuild(docker: Docker, context: TarEntry[], options: Docker.ImageBuildOptions, onProgress: (line: string) => void): Promise<void> {
  const stream = await docker.buildImage(tarStream(withDirectories(context)), options);
  await new Promise<void>((resolve, reject) => {
    let failure: string | undefined;
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : failure ? reject(new Error(failure)) : resolve()),
      (event: BuildEvent) => {
        if (event.error) failure = event.errorDetail?.message ?? event.error;
        const text = (event.stream ?? event.status ?? '').trim();
        if (text) onProgress(text);
      },
    );
  });
}

/** Builds `portlab:<version>` unless it exists with this package's files (or `force`). */
export async function buildLabImage(docker: Docker, engine: EngineInfo, options: BuildOptions): Promise<BuildResult> {
  const version = packageVersion();
  const tag = imageTag(version);
  const content = packageFingerprint();
  const previous = await inspectImage(docker, tag);
  if (!options.force && previous?.content === content) return { tag, built: false };
  const progress = options.onProgress ?? (() => {});
  const labels = { [LABEL]: '1', [VERSION_LABEL]: version, [CONTENT_LABEL]: content };
  let context: TarEntry[];
  if (options.offline) {
    const blocker = offlineBlocker(engine);
    if (blocker) {
      throw new PortlabError('IMAGE_BUILD_FAILED', `cannot build the offline image: ${blocker}`, {
        hint: 'run `portlab lab build` (without --offline) where the engine can pull node:20-slim',
      });
    }
    context = offlineContext(hostRuntimeFiles());
  } else {
    context = dockerfileContext();
  }
  const buildOptions: Docker.ImageBuildOptions = { t: tag, labels, rm: true, forcerm: true, pull: false };
  if (options.offline) buildOptions.dockerfile = 'Dockerfile';
  else {
    buildOptions.dockerfile = DOCKERFILE;
    if (options.baseImage) buildOptions.buildargs = { BASE_IMAGE: options.baseImage };
  }
  try {
    await runBuild(docker, context, buildOptions, progress);
  } catch (err) {
    throw new PortlabError('IMAGE_BUILD_FAILED', `building ${tag} failed: ${(err as Error).message}`, {
      hint: options.offline
        ? 'run `portlab lab build --offline --force` to see the build output; check the engine log (disk space, storage driver)'
        : 'the base image could not be pulled or built; without registry access run `portlab lab build --offline`',
      cause: err,
    });
  }
  const built = await inspectImage(docker, tag);
  if (previous !== null && previous.id !== built?.id) {
    // The replaced image would stay behind untagged, with its layers; still in use, it stays (409).
    await docker.getImage(previous.id).remove().catch(() => {});
  }
  return { tag, built: true };
}

/**
 * The image a docker lab runs: `image` when the scenario names one (it must exist; portlab never pulls),
 * else `portlab:<version>`, built on first use (or when portlab's files changed): offline where this
 * host's runtime fits the engine, from docker/Dockerfile otherwise.
 */
export async function ensureLabImage(docker: Docker, engine: EngineInfo, image: string | undefined, onProgress?: (line: string) => void): Promise<string> {
  if (image !== undefined) {
    if (await imageExists(docker, image)) return image;
    throw new PortlabError('LAB_FAILED', `the image ${image} (lab.image) is not on the docker engine`, {
      hint: `pull or build it first (docker pull ${image}), or leave lab.image out to use portlab's own image`,
    });
  }
  const tag = imageTag();
  const state = await labImageState(docker);
  if (state === 'current') return tag;
  const offline = offlineBlocker(engine) === null;
  const why = state === 'missing' ? 'once per version' : "portlab's files changed since it was built";
  onProgress?.(`portlab: building the lab image ${tag} (${offline ? "offline, from this host's node" : DOCKERFILE}; ${why})`);
  await buildLabImage(docker, engine, { offline, force: true });
  return tag;
}

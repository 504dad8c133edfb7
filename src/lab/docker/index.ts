/**
 * The docker lab's public surface. Imported lazily (lab/index.ts, cli/lab.ts), so commands that never
 * touch docker do not load dockerode.
 */
export { createDockerLab, type DockerLabDeps } from './lab.js';
export { connectDocker, dockerUnavailable, LABEL, OWNER_LABEL, RUN_LABEL, ROLE_LABEL, VERSION_LABEL, type EngineInfo } from './client.js';
export { buildLabImage, ensureLabImage, imageExists, imageTag, type BuildOptions, type BuildResult } from './image.js';
export { judgeContainers, listLabContainers, pruneContainers, type LabContainer, type PrunedContainer } from './prune.js';

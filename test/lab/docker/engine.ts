/**
 * Shared by the docker tests that need an engine: skip with a reason when none answers, except in CI
 * (env CI set), where a skipped docker test would hide a broken setup, so it fails instead.
 */
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { loadScenarioText } from '../../../src/config/loader.js';
import type { Scenario } from '../../../src/config/types.js';
import { connectDocker, ensureLabImage } from '../../../src/lab/docker/index.js';

/** The repository root, from dist/test/docker/. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI = `${ROOT}bin/portlab.js`;

/** The engine, with the lab image built; null (and the test skipped) when no engine answers outside CI. */
export async function engineOrSkip(t: TestContext): Promise<{ docker: Docker; image: string } | null> {
  let connected: Awaited<ReturnType<typeof connectDocker>>;
  try {
    connected = await connectDocker();
  } catch (err) {
    const reason = `no docker engine reachable: ${(err as Error).message}`;
    if (process.env.CI) throw new Error(`${reason}. CI is set, so the docker tests must run (see .ci/docker-setup.sh)`);
    t.skip(`${reason}; start one (sudo .ci/docker-setup.sh) or set DOCKER_HOST to run the docker tests`);
    return null;
  }
  const image = await ensureLabImage(connected.docker, connected.engine, undefined, (line) => t.diagnostic(line));
  return { docker: connected.docker, image };
}

/** The 200-port no-pooling scenario (100/s, client closes, reuse off) in a lab of the given kind. */
export function noPooling(kind: string, options: { range?: string; ratePerSec?: number; durationS?: number } = {}): Scenario {
  const text = [
    'name: no-pooling',
    `duration: ${options.durationS ?? 5}s`,
    'lab:',
    `  kind: ${kind}`,
    '  sysctls:',
    `    net.ipv4.ip_local_port_range: ${options.range ?? '40000 40199'}`,
    '    net.ipv4.tcp_tw_reuse: 0',
    'target: { protocol: tcp, ports: [9000] }',
    `client: { pattern: churn, close: client, rate: ${options.ratePerSec ?? 100}/s }`,
  ].join('\n');
  return loadScenarioText(text, `no-pooling-${kind}.yaml`).scenario;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** No engine, no permission: exit 3 with a hint that says what to do. Needs no engine itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EXIT } from '../../../src/errors/index.js';
import { connectDocker, dockerUnavailable } from '../../../src/lab/docker/index.js';
import Docker from 'dockerode';
import { CLI } from './engine.js';

const NO_ENGINE = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/portlab-test/docker.sock' };

test('run --lab docker with DOCKER_HOST at a missing socket: exit 3 and a hint', () => {
  const result = spawnSync(process.execPath, [CLI, 'run', '--rate', '100', '--port-range', '40000-40199', '--duration', '1s', '--lab', 'docker', '--out', '/nonexistent/portlab-results'], {
    encoding: 'utf8',
    env: NO_ENGINE,
    timeout: 30_000,
  });
  assert.equal(result.status, EXIT.LAB_UNAVAILABLE, result.stderr);
  assert.match(result.stderr, /^hint: .*(start|DOCKER_HOST)/m);
});

test('lab build with no engine: exit 3', () => {
  const result = spawnSync(process.execPath, [CLI, 'lab', 'build', '--offline'], { encoding: 'utf8', env: NO_ENGINE, timeout: 30_000 });
  assert.equal(result.status, EXIT.LAB_UNAVAILABLE, result.stderr);
  assert.match(result.stderr, /^hint: /m);
});

test('connectDocker honours the client it is given and maps a missing socket to DOCKER_UNAVAILABLE', async () => {
  const docker = new Docker({ socketPath: '/nonexistent/portlab-test/docker.sock' });
  await assert.rejects(connectDocker(docker), (err: unknown) => (err as { code?: string }).code === 'DOCKER_UNAVAILABLE');
});

test('dockerUnavailable: permission, no engine and other causes each get their own hint', () => {
  const denied = dockerUnavailable(Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES' }), {});
  assert.equal(denied.code, 'DOCKER_UNAVAILABLE');
  assert.equal(denied.exitCode, EXIT.LAB_UNAVAILABLE);
  assert.match(denied.hint ?? '', /docker group/);
  const absent = dockerUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { DOCKER_HOST: 'tcp://10.0.0.1:2375' });
  assert.match(absent.hint ?? '', /start it/);
  assert.match(absent.hint ?? '', /DOCKER_HOST=tcp:\/\/10\.0\.0\.1:2375/);
  const other = dockerUnavailable(new Error('socket hang up'), {});
  assert.notEqual(other.hint, absent.hint);
  assert.notEqual(other.hint, denied.hint);
});

/** `portlab lab prune`: removes what killed runs leave (labelled containers, portlab-* namespaces). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { judgeContainers, LABEL, listLabContainers, OWNER_LABEL, ROLE_LABEL, RUN_LABEL, type LabContainer } from '../../../src/lab/docker/index.js';
import { currentOwner, formatOwner } from '../../../src/lab/owner.js';
import { CLI, engineOrSkip } from './engine.js';

test('lab prune removes a leaked labelled container, running or not', async (t) => {
  const engine = await engineOrSkip(t);
  if (!engine) return;
  const run = `leaktest${Math.floor(Math.random() * 1e9).toString(36)}`;
  const create = (role: string) =>
    engine.docker.createContainer({
      name: `portlab-${run}-${role}`,
      Image: engine.image,
      Cmd: ['node', '-e', 'setTimeout(() => {}, 120000)'],
      Labels: { [LABEL]: '1', [RUN_LABEL]: run },
      HostConfig: { NetworkMode: 'none' },
    });
  const running = await create('running');
  await running.start();
  await create('created');
  try {
    assert.equal((await listLabContainers(engine.docker, run)).length, 2);
    const result = spawnSync(process.execPath, [CLI, 'lab', 'prune'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`removed container portlab-${run}-running: no driver of its run is running`));
    assert.match(result.stdout, new RegExp(`portlab-${run}-created`));
    assert.deepEqual(await listLabContainers(engine.docker, run), []);
  } finally {
    for (const role of ['running', 'created']) await engine.docker.getContainer(`portlab-${run}-${role}`).remove({ force: true }).catch(() => {});
  }
});

test('lab prune keeps the containers of a run whose owner still runs, and says why', async (t) => {
  const engine = await engineOrSkip(t);
  if (!engine) return;
  const run = `livetest${Math.floor(Math.random() * 1e9).toString(36)}`;
  // This test process stands for the live portlab that made the lab.
  const container = await engine.docker.createContainer({
    name: `portlab-${run}-target`,
    Image: engine.image,
    Cmd: ['node', '-e', 'setTimeout(() => {}, 120000)'],
    Labels: { [LABEL]: '1', [RUN_LABEL]: run, [ROLE_LABEL]: 'target', [OWNER_LABEL]: formatOwner(currentOwner()) },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const result = spawnSync(process.execPath, [CLI, 'lab', 'prune'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`kept container portlab-${run}-target: its run's process \\(.*:${process.pid}:\\d+\\) is still going`));
    assert.equal((await listLabContainers(engine.docker, run)).length, 1);
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
});

function container(run: string, role: string, state: string, owner?: string): LabContainer {
  return { id: `${run}-${role}`, name: `portlab-${run}-${role}`, run, role, state, ...(owner && { owner }) };
}

test('judgeContainers: a run is live while its driver runs or its owner does; otherwise stale', () => {
  const verdicts = judgeContainers(
    [
      container('a', 'target', 'running', 'h:1:1'),
      container('a', 'driver', 'running', 'h:1:1'),
      container('b', 'target', 'running', 'h:2:2'),
      container('c', 'target', 'running', 'h:3:3'),
      container('d', 'target', 'created'),
      container('e', 'target', 'running', 'other:4:4'),
    ],
    (owner) => (owner === 'h:2:2' ? 'running' : owner === 'other:4:4' ? 'elsewhere' : owner ? 'gone' : 'unknown'),
  );
  assert.deepEqual(
    verdicts.map((v) => [v.name, v.stale]),
    [
      ['portlab-a-target', false],
      ['portlab-a-driver', false],
      ['portlab-b-target', false],
      ['portlab-c-target', true],
      ['portlab-d-target', true],
      ['portlab-e-target', true],
    ],
  );
  assert.match(verdicts[0]!.why, /driver of run a is running/);
  assert.match(verdicts[5]!.why, /another host/);
});

/** `portlab lab prune`: removes what killed runs leave (labelled containers, portlab-* namespaces). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LABEL, listLabContainers, pruneNamespaces, RUN_LABEL } from '../../../src/lab/docker/index.js';
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
    assert.match(result.stdout, new RegExp(`removed container portlab-${run}-running \\(run ${run}\\)`));
    assert.match(result.stdout, new RegExp(`portlab-${run}-created`));
    assert.deepEqual(await listLabContainers(engine.docker, run), []);
  } finally {
    for (const role of ['running', 'created']) await engine.docker.getContainer(`portlab-${run}-${role}`).remove({ force: true }).catch(() => {});
  }
});

test('pruneNamespaces: deletes every listed portlab namespace and reports those that went', () => {
  const present = new Set(['portlab-a', 'portlab-b']);
  const removed = pruneNamespaces({
    list: () => [...present],
    // One namespace refuses to go (still in use): it must not be reported as removed.
    remove: (name) => void (name !== 'portlab-b' && present.delete(name)),
  });
  assert.deepEqual(removed, ['portlab-a']);
});

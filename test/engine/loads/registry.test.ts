import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOAD_NAMES, LOAD_SPECS, type LoadName } from '../../../src/config/engine-problems.js';
import { AutocannonLoad } from '../../../src/engine/loads/autocannon/load.js';
import { ChurnLoad } from '../../../src/engine/loads/churn.js';
import { AgentLoad } from '../../../src/engine/loads/node-agent.js';
import { PoolLoad } from '../../../src/engine/loads/pool.js';
import { loadFactory, LOADS } from '../../../src/engine/loads/registry.js';
import { isPortlabError } from '../../../src/errors/index.js';
import { fakeLoadSetup } from './fake-context.js';

test('every load is registered with its own spec, the one validate checks', async () => {
  assert.deepEqual(Object.keys(LOADS).sort(), [...LOAD_NAMES].sort());
  for (const name of LOAD_NAMES) assert.equal((await LOADS[name]()).spec, LOAD_SPECS[name], name);
});

test('loadFactory builds the named load', async () => {
  const built: [LoadName, 'tcp' | 'http', unknown][] = [
    ['churn', 'tcp', ChurnLoad],
    ['pool', 'tcp', PoolLoad],
    ['node-agent', 'http', AgentLoad],
    ['autocannon', 'http', AutocannonLoad],
  ];
  for (const [name, protocol, kind] of built) {
    const load = (await loadFactory(name))(fakeLoadSetup({ load: name, protocol }).context);
    assert.equal(load.constructor, kind, name);
  }
});

test('a load and a target of another protocol are refused with INTERNAL (validate refuses them first)', async () => {
  for (const [name, protocol] of [
    ['node-agent', 'tcp'],
    ['autocannon', 'tcp'],
    ['churn', 'http'],
  ] as const) {
    const create = await loadFactory(name);
    assert.throws(
      () => create(fakeLoadSetup({ load: name, protocol }).context),
      (err: unknown) => isPortlabError(err) && err.code === 'INTERNAL',
      name,
    );
  }
});

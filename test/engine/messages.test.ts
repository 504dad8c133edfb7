import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioText } from '../../src/config/loader.js';
import { workerConfigs } from '../../src/engine/coordinator.js';
import { parseCoordinatorMessage, parseWorkerConfig, parseWorkerMessage } from '../../src/engine/messages.js';
import { isPortlabError } from '../../src/errors/index.js';
import { createCounters } from '../../src/metrics/counters.js';

/** The PortlabError code `fn` throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isPortlabError(err)) return err.code;
    throw err;
  }
  throw new Error('nothing was thrown');
}

const scenario = (yaml: string) => loadScenarioText(`name: t\nduration: 2s\n${yaml}`, 't.yaml').scenario;

test('every worker config the coordinator builds passes the check it meets in the worker, unchanged', () => {
  for (const yaml of [
    'client: { rate: 100, workers: 2 }',
    'client: { pattern: pool, rate: 100, workers: 3, pool: { size: 4 } }',
    'target: { protocol: http }\nclient: { engine: node-agent, rate: 10, agent: { keepAlive: true, maxSockets: 5 } }',
    'target: { protocol: http }\nclient: { engine: autocannon, rate: 10 }',
  ]) {
    for (const config of workerConfigs(scenario(yaml))) assert.deepEqual(parseWorkerConfig(structuredClone(config)), config);
  }
});

test('the worker config names its load', () => {
  assert.deepEqual(
    ['client: { rate: 10 }', 'client: { pattern: pool, rate: 10 }', 'target: { protocol: http }\nclient: { engine: node-agent, pattern: pool, rate: 10 }'].map(
      (yaml) => workerConfigs(scenario(yaml))[0]!.load,
    ),
    ['churn', 'pool', 'node-agent'],
  );
});

test('a worker config that is not one is refused with INTERNAL, not cast', () => {
  const [config] = workerConfigs(scenario('client: { rate: 10 }'));
  assert.equal(codeOf(() => parseWorkerConfig({ ...config, load: 'bogus' })), 'INTERNAL');
  assert.equal(codeOf(() => parseWorkerConfig({ ...config, destinations: [] })), 'INTERNAL');
  assert.equal(codeOf(() => parseWorkerConfig(undefined)), 'INTERNAL');
});

test('messages between coordinator and workers are checked where they arrive', () => {
  const interval = { type: 'interval', index: 0, counts: createCounters(), connectHist: null, requestHist: 'abc', lagHist: null };
  assert.deepEqual(parseWorkerMessage(interval), interval);
  assert.deepEqual(parseWorkerMessage({ type: 'onset', tMs: 12.5, code: 'EADDRNOTAVAIL' }), { type: 'onset', tMs: 12.5, code: 'EADDRNOTAVAIL' });
  assert.equal(codeOf(() => parseWorkerMessage({ ...interval, counts: { attempts: 1 } })), 'INTERNAL');
  assert.equal(codeOf(() => parseWorkerMessage({ type: 'progress' })), 'INTERNAL');
  assert.deepEqual(parseCoordinatorMessage({ type: 'go', t0Ms: 5 }), { type: 'go', t0Ms: 5 });
  assert.equal(codeOf(() => parseCoordinatorMessage('stop')), 'INTERNAL');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overridesForFlag } from '../../src/config/flags.js';
import { checkScenarioText, loadScenarioText } from '../../src/config/loader.js';
import { formatPath } from '../../src/config/problems.js';

const BASE = 'duration: 2s\nclient:\n  engine: node-agent\n  rate: 10/s\n';
const errors = (text: string) =>
  checkScenarioText(text, 'proxy.yaml')
    .problems.filter((p) => p.severity === 'error')
    .map((p) => [formatPath(p.path), p.line]);

test('target.proxy resolves with its defaults: pool of 10, backend on 9900', () => {
  const { scenario } = loadScenarioText(`target:\n  protocol: http\n  proxy:\n    upstream: per-request\n${BASE}`, 'proxy.yaml');
  assert.deepEqual(scenario.target.proxy, { upstream: 'per-request', poolSize: 10, backendPorts: [9900] });
  // Clients still go to target.ports: the proxy listens there.
  assert.deepEqual(scenario.client.destinations, [{ host: '127.0.0.1', port: 9000 }]);
});

test('a scenario without target.proxy has none', () => {
  assert.equal(loadScenarioText(BASE.replace('node-agent', 'raw'), 'plain.yaml').scenario.target.proxy, undefined);
});

test('per-request and pooled need HTTP; per-connection (L4) takes any protocol', () => {
  const raw = 'duration: 2s\nclient:\n  rate: 10/s\n';
  assert.deepEqual(errors(`target:\n  proxy:\n    upstream: pooled\n${raw}`), [['target.proxy.upstream', 3]]);
  assert.deepEqual(errors(`target:\n  proxy:\n    upstream: per-connection\n${raw}`), []);
});

test('target.proxy is refused in labs where the proxy cannot run, at lab.kind', () => {
  assert.deepEqual(errors(`lab:\n  kind: docker\ntarget:\n  protocol: http\n  proxy:\n    upstream: pooled\n${BASE}`), [['lab.kind', 2]]);
});

test('a backend port that is also a proxy port is an error; an unknown upstream names the choices', () => {
  assert.deepEqual(errors(`target:\n  protocol: http\n  proxy:\n    upstream: pooled\n    backendPorts: [9000]\n${BASE}`), [['target.proxy.backendPorts', 5]]);
  const unknown = checkScenarioText(`target:\n  protocol: http\n  proxy:\n    upstream: sometimes\n${BASE}`, 'proxy.yaml').problems;
  assert.match(unknown[0]!.message, /per-connection, per-request, pooled/);
});

test('--proxy, --proxy-pool-size and --backend-ports set target.proxy', () => {
  const overrides = [...overridesForFlag('proxy', 'pooled'), ...overridesForFlag('proxy-pool-size', '4'), ...overridesForFlag('backend-ports', '9901,9902')];
  const { scenario } = loadScenarioText(`target:\n  protocol: http\n${BASE}`, 'proxy.yaml', overrides);
  assert.deepEqual(scenario.target.proxy, { upstream: 'pooled', poolSize: 4, backendPorts: [9901, 9902] });
});

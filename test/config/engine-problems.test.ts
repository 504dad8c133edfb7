import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioText } from '../../src/config/loader.js';

/** Problems as `portlab validate` finds them: engine checks are part of resolving a scenario. */
function problemsOf(yaml: string): string[] {
  const { problems } = checkScenarioText(`name: t\nduration: 2s\n${yaml}`, 't.yaml');
  return problems.map((p) => `${p.severity} ${p.path.join('.')}`);
}

test('HTTP engines need the http target, and the raw engine a tcp one', () => {
  assert.deepEqual(problemsOf('client: { engine: node-agent, rate: 10 }'), ['error target.protocol']);
  assert.deepEqual(problemsOf('target: { protocol: http }\nclient: { rate: 10 }'), ['error client.engine']);
  assert.deepEqual(problemsOf('target: { protocol: http }\nclient: { engine: node-agent, rate: 10 }'), []);
  assert.deepEqual(problemsOf('client: { rate: 10 }'), []);
});

test('autocannon: one constant rate, no bound source addresses, no RST close', () => {
  const http = 'target: { protocol: http }\n';
  assert.deepEqual(problemsOf(`${http}client: { engine: autocannon, rate: 10 }`), []);
  assert.deepEqual(problemsOf(`${http}client: { engine: autocannon, stages: [{ duration: 1s, rate: 5 }, { duration: 1s, rate: 10 }] }`), ['error client.stages']);
  assert.deepEqual(problemsOf(`${http}client: { engine: autocannon, rate: 10, sourceAddresses: [127.0.0.2] }`), ['error client.sourceAddresses']);
  assert.deepEqual(problemsOf(`${http}client: { engine: autocannon, rate: 10, close: reset }`), ['error client.close']);
});

test('pipelining outside autocannon is a warning', () => {
  assert.deepEqual(problemsOf('target: { protocol: http }\nclient: { engine: node-agent, rate: 10, pipelining: 4 }'), ['warning client.pipelining']);
});

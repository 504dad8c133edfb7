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

test('udp: the raw engine only, closed by the client or held, no bound sources, no HTTP keys, not in docker or nat', () => {
  const udp = 'target: { protocol: udp }\n';
  assert.deepEqual(problemsOf(`${udp}client: { rate: 10 }`), []);
  assert.deepEqual(problemsOf(`${udp}client: { rate: 10, close: never }`), []);
  assert.deepEqual(problemsOf(`${udp}client: { pattern: pool, rate: 10, pool: { size: 30 } }`), []);
  for (const engine of ['undici', 'node-agent', 'autocannon']) {
    assert.ok(problemsOf(`${udp}client: { engine: ${engine}, rate: 10 }`).includes('error target.protocol'), engine);
  }
  assert.deepEqual(problemsOf(`${udp}client: { rate: 10, close: server }`), ['error client.close']);
  assert.deepEqual(problemsOf(`${udp}client: { rate: 10, close: reset }`), ['error client.close']);
  assert.deepEqual(problemsOf(`${udp}client: { rate: 10, sourceAddresses: [127.0.0.2] }`), ['error client.sourceAddresses']);
  assert.deepEqual(problemsOf(`${udp}client: { pattern: pool, rate: 10, pool: { maxLifetime: 1s } }`), ['error client.pool']);
  assert.deepEqual(
    problemsOf('target: { protocol: udp, connectionClose: true, keepAliveHint: false, maxRequestsPerSocket: 2 }\nclient: { rate: 10 }'),
    ['error target.connectionClose', 'error target.keepAliveHint', 'error target.maxRequestsPerSocket'],
  );
  assert.deepEqual(problemsOf(`lab: { kind: docker }\n${udp}client: { rate: 10 }`), ['error lab.kind']);
  assert.deepEqual(problemsOf(`lab: { kind: nat }\n${udp}client: { rate: 10 }`).filter((p) => p.startsWith('error lab')), ['error lab.kind']);
});

/** The strategy keys: their defaults, what validate refuses, and their flags. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { overridesForFlag } from '../../src/config/flags.js';
import { checkScenarioText, scenarioFromFlags } from '../../src/config/loader.js';
import { GLOBAL_AGENT_DEFAULTS } from '../../src/config/resolve.js';

function problemsOf(yaml: string): string[] {
  const { problems } = checkScenarioText(`name: t\nduration: 2s\n${yaml}`, 't.yaml');
  return problems.map((p) => `${p.severity} ${p.path.join('.')}`);
}

function scenarioOf(yaml: string) {
  const { scenario, problems } = checkScenarioText(`name: t\nduration: 2s\n${yaml}`, 't.yaml');
  assert.ok(scenario, JSON.stringify(problems));
  return scenario;
}

const HTTP = 'target: { protocol: http }\n';

test("agent defaults: global is this Node's http.globalAgent (keepAlive, timeout), new is new http.Agent()'s", () => {
  // Not in @types/node, but on every Agent: the options it was built with.
  const { keepAlive, timeout } = (http.globalAgent as http.Agent & { options: http.AgentOptions }).options;
  assert.deepEqual({ keepAlive, timeout }, { keepAlive: GLOBAL_AGENT_DEFAULTS.keepAlive, timeout: GLOBAL_AGENT_DEFAULTS.timeoutMs });
  assert.deepEqual(scenarioOf(`${HTTP}client: { engine: node-agent, rate: 10, agent: { defaults: global } }`).client.agent, {
    defaults: 'global',
    keepAlive: true,
    maxSockets: undefined,
    timeoutMs: 5000,
  });
  assert.deepEqual(scenarioOf(`${HTTP}client: { engine: node-agent, rate: 10 }`).client.agent, { defaults: 'new', keepAlive: false, maxSockets: undefined });
  // Keys given win over the defaults they start from.
  const own = scenarioOf(`${HTTP}client: { engine: node-agent, rate: 10, agent: { defaults: global, keepAlive: false, timeout: 1s } }`).client.agent;
  assert.deepEqual([own.keepAlive, own.timeoutMs], [false, 1000]);
});

test('defaults of the other keys: uniform arrivals, seed 1, bind, no retries, undici request with 4 s, a 65 s server with its hint', () => {
  const { client, target } = scenarioOf(`${HTTP}client: { engine: undici, rate: 10 }`);
  assert.deepEqual([client.arrival, client.seed, client.bindStrategy, client.retries], ['uniform', 1, 'bind', 0]);
  assert.deepEqual(client.undici, { api: 'request', keepAliveTimeoutMs: 4000 });
  assert.deepEqual([target.keepAliveTimeoutMs, target.keepAliveHint, target.maxRequestsPerSocket], [65_000, true, 0]);
});

test('validate: a leak is raw churn only, poisson is not autocannon\'s, retries are for the HTTP clients', () => {
  assert.deepEqual(problemsOf(`${HTTP}client: { engine: node-agent, rate: 10, close: never }`), ['error client.close']);
  assert.deepEqual(problemsOf(`${HTTP}client: { engine: undici, rate: 10, close: never }`), ['error client.close']);
  assert.deepEqual(problemsOf('client: { rate: 10, close: never }'), []);
  assert.deepEqual(problemsOf(`${HTTP}client: { engine: autocannon, rate: 10, arrival: poisson }`), ['error client.arrival']);
  assert.deepEqual(problemsOf(`${HTTP}client: { engine: undici, rate: 10, arrival: poisson, retries: 2 }`), []);
  assert.deepEqual(problemsOf('client: { rate: 10, retries: 1 }'), ['warning client.retries']);
  assert.deepEqual(problemsOf('client: { engine: undici, rate: 10 }'), ['error target.protocol']);
});

test('validate: no-port without bound sources and server keep-alive keys on a tcp target are warnings', () => {
  assert.deepEqual(problemsOf('client: { rate: 10, bindStrategy: no-port }'), ['warning client.bindStrategy']);
  assert.deepEqual(problemsOf('client: { rate: 10, bindStrategy: no-port, sourceAddresses: [127.0.0.2] }'), []);
  assert.deepEqual(problemsOf('target: { keepAliveTimeout: 1s }\nclient: { rate: 10 }'), ['warning target']);
  assert.deepEqual(problemsOf('client: { rate: 10, bindStrategy: sometimes }'), ['error client.bindStrategy']);
});

test('socketPortRange: parsed once, only on the sockets no-port makes, located when wrong', () => {
  const noPort = 'bindStrategy: no-port, sourceAddresses: [127.0.0.2, 127.0.0.3]';
  assert.deepEqual(scenarioOf(`client: { rate: 10, ${noPort}, socketPortRange: 40000-40009 }`).client.socketPortRange, { low: 40000, high: 40009, size: 10 });
  assert.equal(scenarioOf(`client: { rate: 10, ${noPort} }`).client.socketPortRange, null);
  assert.deepEqual(problemsOf(`client: { rate: 10, ${noPort}, socketPortRange: 40009-40000 }`), ['error client.socketPortRange']);
  // Node's own bind (the default strategy) makes no socket koffi could set it on.
  assert.deepEqual(problemsOf('client: { rate: 10, sourceAddresses: [127.0.0.2], socketPortRange: 40000-40009 }'), ['error client.socketPortRange']);
  assert.deepEqual(problemsOf('client: { rate: 10, bindStrategy: no-port, socketPortRange: 40000-40009 }'), ['warning client.bindStrategy', 'error client.socketPortRange']);
});

test('every strategy key has its run flag', () => {
  const flags: [string, string, unknown][] = [
    ['engine', 'undici', ['client', 'engine']],
    ['undici-api', 'fetch', ['client', 'undici', 'api']],
    ['connections', '8', ['client', 'undici', 'connections']],
    ['undici-keep-alive-timeout', '1s', ['client', 'undici', 'keepAliveTimeout']],
    ['arrival', 'poisson', ['client', 'arrival']],
    ['seed', '7', ['client', 'seed']],
    ['close', 'never', ['client', 'close']],
    ['bind-strategy', 'no-port', ['client', 'bindStrategy']],
    ['socket-port-range', '40000-40009', ['client', 'socketPortRange']],
    ['agent-defaults', 'global', ['client', 'agent', 'defaults']],
    ['agent-timeout', '4s', ['client', 'agent', 'timeout']],
    ['retries', '2', ['client', 'retries']],
    ['server-keep-alive-timeout', '5s', ['target', 'keepAliveTimeout']],
    ['server-keep-alive-hint', 'false', ['target', 'keepAliveHint']],
    ['server-max-requests-per-socket', '100', ['target', 'maxRequestsPerSocket']],
    ['expect-min-request-errors', '1', ['expect', 'minRequestErrors']],
    ['expect-max-request-errors', '0', ['expect', 'maxRequestErrors']],
  ];
  for (const [flag, text, path] of flags) assert.deepEqual(overridesForFlag(flag, text)[0]?.path, path, flag);
  const { scenario } = scenarioFromFlags(
    ['duration=2s', 'rate=10', 'protocol=http', 'engine=undici', 'undici-api=fetch', 'connections=8', 'arrival=poisson', 'seed=7', 'retries=2', 'server-keep-alive-timeout=5s', 'server-keep-alive-hint=false'].flatMap((pair) => {
      const [flag, text] = pair.split('=') as [string, string];
      return overridesForFlag(flag, text);
    }),
  );
  assert.deepEqual(
    [scenario.client.undici, scenario.client.arrival, scenario.client.seed, scenario.client.retries, scenario.target.keepAliveTimeoutMs, scenario.target.keepAliveHint],
    [{ api: 'fetch', connections: 8, keepAliveTimeoutMs: 4000 }, 'poisson', 7, 2, 5000, false],
  );
});

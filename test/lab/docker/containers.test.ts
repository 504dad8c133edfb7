import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenarioText } from '../../../src/config/loader.js';
import { driverCreateOptions, parseMemoryBytes, targetArgs, targetCreateOptions, type ContainerPlan } from '../../../src/lab/docker/containers.js';
import { formatListen, parseListen } from '../../../src/target/listen.js';
import { targetOptionsFor } from '../../../src/target/start.js';

const plan: ContainerPlan = {
  labId: 'abc123',
  image: 'portlab:0.1.0',
  sysctls: { 'net.ipv4.ip_local_port_range': '40000 40199', 'net.ipv4.tcp_tw_reuse': '0' },
  cpus: 0.5,
  memory: '256m',
};

const { scenario } = loadScenarioText(
  [
    'name: multi',
    'duration: 5s',
    'lab: { kind: docker }',
    'target: { ports: [9000, 9001], responseBytes: 32 }',
    'client: { close: server, rate: 10/s, destinations: ["127.0.0.1:9000", "127.0.0.2:9001", "[::1]:9000"] }',
  ].join('\n'),
  'multi.yaml',
);

test('parseMemoryBytes: docker sizes in powers of 1024', () => {
  assert.equal(parseMemoryBytes('512m'), 512 * 1024 * 1024);
  assert.equal(parseMemoryBytes('1G'), 1024 ** 3);
  assert.equal(parseMemoryBytes('4096'), 4096);
  assert.throws(() => parseMemoryBytes('1.5g'), (err: unknown) => (err as { code?: string }).code === 'SCENARIO_INVALID');
});

test('--listen: format and parse are inverses, IPv6 in brackets', () => {
  const listen = [
    { host: '127.0.0.1', port: 9000 },
    { host: '::1', port: 9000 },
  ];
  assert.equal(formatListen(listen), '127.0.0.1:9000,[::1]:9000');
  assert.deepEqual(parseListen(formatListen(listen)), listen);
  assert.equal(parseListen('127.0.0.1'), null);
  assert.equal(parseListen('127.0.0.1:70000'), null);
});

test('target container: no network, the sysctls, limits, labels, a listener for every destination', () => {
  const target = targetOptionsFor(scenario);
  const options = targetCreateOptions(plan, target, 60_000);
  assert.equal(options.HostConfig?.NetworkMode, 'none');
  assert.deepEqual(options.HostConfig?.Sysctls, plan.sysctls);
  assert.equal(options.HostConfig?.NanoCpus, 500_000_000);
  assert.equal(options.HostConfig?.Memory, 256 * 1024 * 1024);
  assert.equal(options.HostConfig?.AutoRemove, true);
  assert.deepEqual(options.Labels, { portlab: '1', 'portlab.run': 'abc123', 'portlab.role': 'target' });
  const cmd = options.Cmd as string[];
  assert.deepEqual(cmd.slice(0, 3), ['node', 'bin/portlab.js', 'target']);
  const listen = parseListen(cmd[cmd.indexOf('--listen') + 1]!);
  assert.deepEqual(listen, target.listen);
  for (const d of scenario.client.destinations) assert.ok(listen?.some((a) => a.host === d.host && a.port === d.port), `${d.host}:${d.port}`);
  assert.ok(cmd.includes('--close-after-response'), 'close: server makes the target close first');
  assert.equal(cmd[cmd.indexOf('--response-bytes') + 1], '32');
  assert.equal(cmd[cmd.indexOf('--duration') + 1], '60000ms');
  // Its stdin is the run's lifeline: held open by the orchestrator, closed by the engine when the run dies.
  assert.ok(cmd.includes('--stdin-lifeline'));
  assert.equal(options.OpenStdin, true);
  assert.equal(options.StdinOnce, true);
});

test('both containers carry the owner when the plan has one; the driver gets the failpoints env', () => {
  const owned = { ...plan, owner: 'host:42:4242', driverEnv: ['PORTLAB_FAILPOINTS=worker-crash=100'] };
  assert.equal(targetCreateOptions(owned, targetOptionsFor(scenario), 1000).Labels?.['portlab.owner'], 'host:42:4242');
  const driver = driverCreateOptions(owned, 'f00d');
  assert.equal(driver.Labels?.['portlab.owner'], 'host:42:4242');
  assert.deepEqual(driver.Env, ['PORTLAB_FAILPOINTS=worker-crash=100']);
  assert.equal(driverCreateOptions(plan, 'f00d').Env, undefined);
});

test('targetArgs: no --close-after-response when the client closes', () => {
  const args = targetArgs({ ...targetOptionsFor(scenario), closeAfterResponse: false }, 1000);
  assert.ok(!args.includes('--close-after-response'));
});

test('driver container: joins the target namespace, stdin open for the config, no sysctls of its own', () => {
  const options = driverCreateOptions(plan, 'f00d');
  assert.equal(options.HostConfig?.NetworkMode, 'container:f00d');
  assert.equal(options.HostConfig?.Sysctls, undefined);
  assert.equal(options.OpenStdin, true);
  assert.equal(options.StdinOnce, true);
  assert.equal(options.Tty, false);
  assert.deepEqual(options.Cmd, ['node', 'dist/src/driver/main.js']);
  assert.equal(options.Labels?.['portlab.run'], 'abc123');
  assert.equal(options.HostConfig?.NanoCpus, 500_000_000);
});

test('no limits unless the scenario sets them', () => {
  const options = driverCreateOptions({ ...plan, cpus: undefined, memory: undefined }, 'f00d');
  assert.equal(options.HostConfig?.NanoCpus, undefined);
  assert.equal(options.HostConfig?.Memory, undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioText, checkScenarioFromFlags } from '../../src/config/loader.js';
import { formatPath } from '../../src/config/problems.js';
import { withSysctlCheck } from '../../src/config/sysctl-check.js';
import { fakeProber, unavailableProber } from '../helpers/sysctl-prober.js';

const scenario = (lab: string) => `duration: 1s\nclient: { rate: 1 }\nlab:\n${lab}`;
const SYSCTLS = scenario('  kind: userns\n  sysctls:\n    net.ipv4.tcp_tw_recycle: 1\n    net.ipv4.tcp_fin_timeout: 99999999999\n    net.ipv4.tcp_max_tw_buckets: 5\n');

/** [path, severity, line, col] of each problem. */
const where = (problems: { path: (string | number)[]; severity: string; line?: number; col?: number }[]) =>
  problems.map((p) => [formatPath(p.path), p.severity, p.line, p.col]);

test('every sysctl is asked of the prober, the lab defaults included, in the order a lab writes them', async () => {
  const prober = fakeProber();
  const result = await withSysctlCheck(checkScenarioText(SYSCTLS, 'x.yaml'), prober);
  assert.ok(result.scenario);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(Object.keys(prober.calls[0]!), ['net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_tw_recycle', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_max_tw_buckets']);
  assert.equal(prober.calls[0]!['net.ipv4.tcp_fin_timeout'], '99999999999');
});

test('a missing key, a refused value and a changed value are errors located at the value', async () => {
  const prober = fakeProber({
    'net.ipv4.tcp_tw_recycle': { status: 'missing' },
    'net.ipv4.tcp_fin_timeout': { status: 'refused', code: 'EINVAL' },
    'net.ipv4.tcp_max_tw_buckets': { status: 'differs', readBack: '6' },
  });
  const result = await withSysctlCheck(checkScenarioText(SYSCTLS, 'x.yaml'), prober);
  assert.equal(result.scenario, undefined);
  assert.deepEqual(where(result.problems), [
    ['lab.sysctls.net.ipv4.tcp_tw_recycle', 'error', 6, 30],
    ['lab.sysctls.net.ipv4.tcp_fin_timeout', 'error', 7, 31],
    ['lab.sysctls.net.ipv4.tcp_max_tw_buckets', 'error', 8, 34],
  ]);
  assert.equal(new Set(result.problems.map((p) => p.message)).size, 3, 'each verdict reads differently');
});

test('a key an unprivileged namespace may not set: an error for userns and auto, a warning for netns and docker', async () => {
  const prober = fakeProber({ 'net.core.rmem_max': { status: 'denied', code: 'EACCES' } });
  const severity = async (kind: string) =>
    (await withSysctlCheck(checkScenarioText(scenario(`  kind: ${kind}\n  sysctls: { net.core.rmem_max: 1000 }\n`), 'x.yaml'), prober)).problems.map((p) => p.severity);
  assert.deepEqual(await severity('userns'), ['error']);
  assert.deepEqual(await severity('auto'), ['error']);
  assert.deepEqual(await severity('netns'), ['warning']);
  assert.deepEqual(await severity('docker'), ['warning']);
});

test('the host lab sets no sysctls, so nothing is probed', async () => {
  const prober = fakeProber();
  const result = await withSysctlCheck(checkScenarioText(scenario('  kind: host\n'), 'x.yaml'), prober);
  assert.ok(result.scenario);
  assert.deepEqual(prober.calls, []);
});

test('no namespace here: one warning at lab.sysctls when the scenario sets its own, silence when only defaults', async () => {
  const own = await withSysctlCheck(checkScenarioText(SYSCTLS, 'x.yaml'), unavailableProber);
  assert.ok(own.scenario, 'a warning does not stop the scenario');
  assert.deepEqual(where(own.problems), [['lab.sysctls', 'warning', 6, 5]]);
  const defaults = await withSysctlCheck(checkScenarioText(scenario('  kind: userns\n'), 'x.yaml'), unavailableProber);
  assert.deepEqual(defaults.problems, []);
});

test('a sysctl set by a flag is located at the flag', async () => {
  const flags = checkScenarioFromFlags([
    { path: ['duration'], value: '1s', flag: '--duration' },
    { path: ['client', 'rate'], value: '1', flag: '--rate' },
    { path: ['lab', 'sysctls', 'net.ipv4.tcp_tw_reuse'], value: '7', flag: '--tw-reuse' },
  ]);
  const result = await withSysctlCheck(flags, fakeProber({ 'net.ipv4.tcp_tw_reuse': { status: 'refused', code: 'EINVAL' } }));
  assert.deepEqual(result.problems.map((p) => [p.location, p.severity]), [['--tw-reuse', 'error']]);
});

test('a scenario with errors is not probed', async () => {
  const prober = fakeProber();
  const result = await withSysctlCheck(checkScenarioText('client: { rate: 1 }\n', 'x.yaml'), prober);
  assert.equal(result.scenario, undefined);
  assert.deepEqual(prober.calls, []);
});

test('memoizedProber asks once per distinct set of sysctls, whatever the key order', async () => {
  const { memoizedProber } = await import('../../src/config/sysctl-check.js');
  const prober = fakeProber();
  const once = memoizedProber(prober);
  await once({ 'net.ipv4.tcp_tw_reuse': '0', 'net.ipv4.ip_local_port_range': '40000 40199' });
  await once({ 'net.ipv4.ip_local_port_range': '40000 40199', 'net.ipv4.tcp_tw_reuse': '0' });
  await once({ 'net.ipv4.tcp_tw_reuse': '1' });
  assert.equal(prober.calls.length, 2);
});

// The flag table without yargs: a flag name and its text become overrides (what `portlab compare` keys its
// matrices by). The yargs side (switches, --no-, repeated flags) is tested in flags.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagsToOverrides, overridesForFlag, scenarioFlagNames } from '../../src/config/flags.js';
import { scenarioFromFlags } from '../../src/config/loader.js';
import { PortlabError } from '../../src/errors/index.js';

const isUsage = (err: unknown): boolean => err instanceof PortlabError && err.code === 'USAGE';

test('a flag name and its text become the override, with or without dashes', () => {
  assert.deepEqual(overridesForFlag('workers', '3'), [{ path: ['client', 'workers'], value: 3, flag: '--workers' }]);
  assert.deepEqual(overridesForFlag('--workers', '3'), [{ path: ['client', 'workers'], value: 3, flag: '--workers' }]);
  assert.deepEqual(
    overridesForFlag('port-range', '40000-40199').map((o) => [o.path, o.flag]),
    [[['lab', 'sysctls', 'net.ipv4.ip_local_port_range'], '--port-range']],
  );
  assert.deepEqual(overridesForFlag('workers', 'two'), [{ path: ['client', 'workers'], value: 'two', flag: '--workers' }]);
  assert.deepEqual(overridesForFlag('rate', '200/s'), [{ path: ['client', 'rate'], value: '200/s', flag: '--rate' }]);
  assert.deepEqual(overridesForFlag('ports', '9000, 9001'), [{ path: ['target', 'ports'], value: [9000, 9001], flag: '--ports' }]);
  assert.deepEqual(overridesForFlag('source-addresses', '127.0.0.1,127.0.0.2'), [
    { path: ['client', 'sourceAddresses'], value: ['127.0.0.1', '127.0.0.2'], flag: '--source-addresses' },
  ]);
  assert.deepEqual(overridesForFlag('stages', '5s:50/s,5s:200/s'), [
    { path: ['client', 'stages'], value: [{ duration: '5s', rate: '50/s' }, { duration: '5s', rate: '200/s' }], flag: '--stages' },
  ]);
});

test('switches take true/false (or 1/0, yes/no, on/off); --expect-no-eaddrnotavail sets false only when on', () => {
  for (const [text, value] of [['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['off', false]] as const) {
    assert.deepEqual(overridesForFlag('keep-alive', text), [{ path: ['client', 'agent', 'keepAlive'], value, flag: '--keep-alive' }], text);
  }
  assert.deepEqual(overridesForFlag('expect-no-eaddrnotavail', 'true'), [{ path: ['expect', 'eaddrnotavail'], value: false, flag: '--expect-no-eaddrnotavail' }]);
  assert.deepEqual(overridesForFlag('expect-no-eaddrnotavail', 'false'), []);
});

test('a switch given something else keeps the text, so validation names the flag', () => {
  const list = [...overridesForFlag('keep-alive', 'maybe'), ...overridesForFlag('duration', '1s'), ...overridesForFlag('rate', '1')];
  assert.deepEqual(list[0], { path: ['client', 'agent', 'keepAlive'], value: 'maybe', flag: '--keep-alive' });
  assert.throws(
    () => scenarioFromFlags(list),
    (err: unknown) => err instanceof PortlabError && err.code === 'SCENARIO_INVALID' && /^--keep-alive: client\.agent\.keepAlive: /.test(err.details[0] ?? ''),
  );
});

test('repeatable KEY=VALUE and CODE[=false] flags keep every text', () => {
  assert.deepEqual(overridesForFlag('sysctl', ['net.core.somaxconn=128', 'net.ipv4.tcp_tw_reuse=2']), [
    { path: ['lab', 'sysctls', 'net.core.somaxconn'], value: '128', flag: '--sysctl' },
    { path: ['lab', 'sysctls', 'net.ipv4.tcp_tw_reuse'], value: '2', flag: '--sysctl' },
  ]);
  assert.deepEqual(overridesForFlag('expect-error', ['EADDRINUSE=false', 'EADDRNOTAVAIL']), [
    { path: ['expect', 'errors', 'EADDRINUSE'], value: false, flag: '--expect-error' },
    { path: ['expect', 'errors', 'EADDRNOTAVAIL'], value: true, flag: '--expect-error' },
  ]);
  assert.throws(() => overridesForFlag('sysctl', 'net.core.somaxconn'), isUsage);
  assert.throws(() => overridesForFlag('expect-error', 'EADDRINUSE=maybe'), isUsage);
});

test('a name that is not a scenario flag is a usage error with a suggestion', () => {
  assert.throws(() => overridesForFlag('port-rang', '1-2'), (err: unknown) => isUsage(err) && err instanceof PortlabError && err.hint === 'did you mean --port-range?');
  // Output options belong to `portlab run`, not to the scenario.
  assert.throws(() => overridesForFlag('json', 'true'), isUsage);
});

test('flagsToOverrides reads argv by flag name, in the table order (a later flag wins on the same path)', () => {
  const list = flagsToOverrides({ 'tw-reuse': '0', sysctl: ['net.ipv4.tcp_tw_reuse=2'], rate: ['1', '2'], json: true, _: [] });
  assert.deepEqual(list, [
    { path: ['lab', 'sysctls', 'net.ipv4.tcp_tw_reuse'], value: '2', flag: '--sysctl' },
    { path: ['lab', 'sysctls', 'net.ipv4.tcp_tw_reuse'], value: '0', flag: '--tw-reuse' },
    { path: ['client', 'rate'], value: '2', flag: '--rate' },
  ]);
  const { scenario } = scenarioFromFlags([...list, ...overridesForFlag('duration', '1s')]);
  assert.equal(scenario.lab.sysctls['net.ipv4.tcp_tw_reuse'], '0');
});

test('flag names are unique', () => {
  const names = scenarioFlagNames();
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes('port-range') && names.includes('source-addresses'));
});

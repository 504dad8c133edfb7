import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenarioText } from '../../src/config/loader.js';
import { portRangeOf } from '../../src/driver/sysctl.js';
import { OS_PRESETS } from '../../src/model/presets.js';
import { formatPortRange, parsePortRange, portRange, portRangeSysctlValue } from '../../src/util/units.js';

test('portRange derives the size from the bounds', () => {
  assert.deepEqual(portRange(40000, 40199), { low: 40000, high: 40199, size: 200 });
  assert.deepEqual(portRange(1025, 1025), { low: 1025, high: 1025, size: 1 });
});

test('parsePortRange reads the kernel, scenario and CLI forms into the same value', () => {
  for (const text of ['40000 40199', '40000\t40199', ' 40000  40199\n', '40000-40199', '40000 - 40199']) {
    assert.deepEqual(parsePortRange(text), { ok: true, value: { low: 40000, high: 40199, size: 200 } }, JSON.stringify(text));
  }
  for (const text of ['40000', '40199 40000', '0 100', '1 65536', 'a-b', '']) {
    assert.equal(parsePortRange(text).ok, false, JSON.stringify(text));
  }
});

test('format and parse round-trip, in both written forms', () => {
  const range = portRange(32768, 60999);
  assert.equal(formatPortRange(range), '32768-60999');
  assert.equal(portRangeSysctlValue(range), '32768\t60999');
  assert.deepEqual(parsePortRange(formatPortRange(range)), { ok: true, value: range });
  assert.deepEqual(parsePortRange(portRangeSysctlValue(range)), { ok: true, value: range });
});

test('the resolver carries the scenario range typed, and writes the sysctl from it', () => {
  const { scenario } = loadScenarioText('duration: 1s\nlab: { sysctls: { net.ipv4.ip_local_port_range: "40000 - 40199" } }\nclient: { rate: 1 }\n', 'x.yaml');
  assert.deepEqual(scenario.lab.portRange, { low: 40000, high: 40199, size: 200 });
  assert.equal(scenario.lab.sysctls['net.ipv4.ip_local_port_range'], '40000\t40199');
});

test('a scenario without a range carries null, and sets no range sysctl', () => {
  const { scenario } = loadScenarioText('duration: 1s\nclient: { rate: 1 }\n', 'x.yaml');
  assert.equal(scenario.lab.portRange, null);
  assert.equal(scenario.lab.sysctls['net.ipv4.ip_local_port_range'], undefined);
});

test("the driver takes the kernel's value read back, and Linux's preset when the kernel shows none", () => {
  assert.deepEqual(portRangeOf({ 'net.ipv4.ip_local_port_range': '40000\t40199' }), { low: 40000, high: 40199, size: 200 });
  assert.deepEqual(portRangeOf({}), { low: 32768, high: 60999, size: 28232 });
  assert.deepEqual(OS_PRESETS.linux.portRange, { low: 32768, high: 60999, size: 28232 });
  assert.throws(() => portRangeOf({ 'net.ipv4.ip_local_port_range': 'garbage' }), { code: 'SYSCTL_REFUSED' });
});

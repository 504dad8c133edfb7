import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDoctorPrometheus } from '../../src/doctor/render-prometheus.js';
import { renderDoctorTerminal } from '../../src/doctor/render-terminal.js';
import { stripAnsi } from '../../src/report/ansi.js';
import { parsePrometheusText, sampleOf } from '../helpers/prometheus.js';
import { churnReading, reportOf } from './readings.js';

function churnReport() {
  const { reading, previous } = churnReading();
  return reportOf(reading, previous);
}

test('prometheus: the exposition parses strictly; every family is a portlab_ gauge with help', () => {
  const families = parsePrometheusText(renderDoctorPrometheus(churnReport()));
  assert.ok(families.size >= 15, `${families.size} families`);
  for (const family of families.values()) {
    assert.match(family.name, /^portlab_[a-z_]+$/);
    assert.equal(family.type, 'gauge');
    assert.ok(family.help && family.help.length > 0, `${family.name} has help`);
  }
});

test('prometheus: the values are the report figures', () => {
  const families = parsePrometheusText(renderDoctorPrometheus(churnReport()));
  assert.equal(sampleOf(families, 'portlab_doctor_level').value, 2);
  assert.equal(sampleOf(families, 'portlab_doctor_finding_level', { finding: 'listeners-in-range' }).value, 1);
  assert.equal(sampleOf(families, 'portlab_ephemeral_ports_usable').value, 199);
  assert.equal(sampleOf(families, 'portlab_tcp_sockets', { state: 'time_wait' }).value, 150);
  assert.equal(sampleOf(families, 'portlab_time_wait_sockets', { side: 'client' }).value, 150);
  assert.equal(sampleOf(families, 'portlab_tuple_ports_in_use', { source: '127.0.0.1', destination: '127.0.0.1:9000' }).value, 121);
  assert.equal(sampleOf(families, 'portlab_tuple_ports_in_use', { source: '::1', destination: '[::1]:9000' }).value, 30);
  assert.equal(sampleOf(families, 'portlab_sysctl', { name: 'net.ipv4.tcp_tw_reuse' }).value, 0);
  // The port range is not one number: it comes as its own two gauges.
  assert.throws(() => sampleOf(families, 'portlab_sysctl', { name: 'net.ipv4.ip_local_port_range' }));
  assert.equal(sampleOf(families, 'portlab_ephemeral_port_range_high').value, 40199);
  assert.ok(Math.abs(sampleOf(families, 'portlab_tuple_seconds_to_exhaustion', { destination: '127.0.0.1:9000' }).value - 1.95) < 0.06);
});

test('prometheus: label values with quotes, backslashes and newlines survive the round trip', () => {
  const report = churnReport();
  report.tuples[0]!.source = 'a"b\\c\nd';
  const families = parsePrometheusText(renderDoctorPrometheus(report));
  assert.equal(sampleOf(families, 'portlab_tuple_ports_in_use', { source: 'a"b\\c\nd' }).value, 121);
});

test('the strict parser refuses what the format does not allow', () => {
  const ok = '# HELP x_a A.\n# TYPE x_a gauge\nx_a{l="v"} 1\n';
  assert.equal(parsePrometheusText(ok).get('x_a')!.samples.length, 1);
  const bad = [
    ok.slice(0, -1),
    'x_a{l="v\\t"} 1\n',
    'x_a 1\n# TYPE x_a gauge\n',
    'x_a 1\nx_a 2\n',
    'x_a 1\nx_b 1\nx_a{l="w"} 1\n',
    'x-a 1\n',
    'x_a{__l="v"} 1\n',
    'x_a{l="v",l="w"} 1\n',
    'x_a one\n',
    '# TYPE x_a gauge\n# TYPE x_a counter\n',
  ];
  for (const text of bad) assert.throws(() => parsePrometheusText(text), Error, JSON.stringify(text));
});

test('terminal: headline level, the figures, the busiest tuple, every finding; colour only when asked', () => {
  const report = churnReport();
  const plain = renderDoctorTerminal(report, { color: false });
  assert.equal(stripAnsi(plain), plain);
  assert.match(plain, /^portlab doctor: netns test, 2026-12-01T12:00:00.000Z/);
  assert.match(plain, /\nCRITICAL +new-connections\n/);
  assert.match(plain, /40000-40199: 200 ports, 199 usable per tuple/);
  assert.match(plain, /127\.0\.0\.1 +127\.0\.0\.1:9000 +121 +199 +61%/);
  for (const f of report.findings) assert.ok(plain.includes(f.id), f.id);
  const colored = renderDoctorTerminal(report, { color: true });
  assert.notEqual(stripAnsi(colored), colored);
  assert.equal(stripAnsi(colored), plain);
});

/** The command as a user runs it, on this machine's own namespace (reads /proc only, changes nothing). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DoctorReport } from '../../src/doctor/types.js';
import { runCli } from '../helpers/cli.js';
import { parsePrometheusText, sampleOf } from '../helpers/prometheus.js';

test('portlab doctor --json: a report of the current namespace, exit code from its level', async () => {
  const result = await runCli(['doctor', '--json', '--window', '200ms'], { timeoutMs: 30_000 });
  const report = JSON.parse(result.stdout) as DoctorReport;
  assert.equal(report.target.kind, 'self');
  assert.equal(report.windowMs > 150, true, `window ${report.windowMs}`);
  assert.equal(result.code, { ok: 0, warning: 10, critical: 11 }[report.level]);
  assert.ok(report.portRange.size > 0);
});

test('portlab doctor --format prometheus parses as the text exposition format', async () => {
  const result = await runCli(['doctor', '--format', 'prometheus', '--window', '100ms'], { timeoutMs: 30_000 });
  const families = parsePrometheusText(result.stdout);
  assert.ok(sampleOf(families, 'portlab_ephemeral_ports_usable').value > 0);
});

test('bad input exits 2: an unknown format, two targets, a namespace that does not exist', async () => {
  for (const args of [
    ['--format', 'xml'],
    ['--netns', 'a', '--pid', '1'],
    ['--netns', 'portlab-no-such-namespace'],
    ['--window', '5ms'],
    ['--pid', '999999999'],
  ]) {
    const result = await runCli(['doctor', ...args], { timeoutMs: 30_000 });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^portlab: /);
  }
});

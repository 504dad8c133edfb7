import { createSysctlProber } from '../../src/lab/sysctl-probe.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFiles } from '../../src/cli/validate.js';
import { loadScenarioFile } from '../../src/config/loader.js';
import { emitScenario } from '../../src/doctor/emit-scenario.js';
import { PortlabError } from '../../src/errors/index.js';
import { tempDir } from '../helpers/cli.js';
import { churnReading, reportOf, syntheticReport } from './readings.js';

/** Writes the scenario and loads it the way `portlab run` and `portlab validate` do. */
async function load(text: string) {
  const file = join(tempDir('portlab-doctor-'), 'emitted.yaml');
  writeFileSync(file, text);
  // The real prober: the emitted sysctls must be ones a fresh namespace accepts.
  const [verdict] = await validateFiles([file], { probeSysctls: createSysctlProber() });
  assert.equal(verdict!.ok, true, JSON.stringify(verdict!.problems));
  return loadScenarioFile(file).scenario;
}

test('200 ports at 100/s, tw_reuse 0: already under 10 s live, so real time; onset 2 s', async () => {
  const emitted = emitScenario(syntheticReport({ range: '40000 40199', ratePerSec: 100 }));
  assert.equal(emitted.scale, 1);
  assert.equal(emitted.live.onsetFromEmptyMs, 2000);
  assert.equal(emitted.predictedOnsetMs, 2000);
  const scenario = (await load(emitted.text));
  assert.deepEqual(scenario.lab.sysctls, { 'net.ipv4.ip_local_port_range': '40000\t40199', 'net.ipv4.tcp_tw_reuse': '0' });
  assert.equal(scenario.client.pattern, 'churn');
  assert.equal(scenario.client.close, 'client');
  assert.deepEqual(scenario.client.stages.map((s) => s.ratePerSec), [100]);
  assert.deepEqual(scenario.target.ports, [9000]);
  assert.equal(scenario.durationMs, 5000);
  assert.deepEqual(scenario.expect, { eaddrnotavail: true, onsetWithinMs: [1700, 2300] });
});

test('2,000 ports at 100/s: 20 s live becomes 10 s in the lab (2x faster, 1,000 ports, hold 30 s)', async () => {
  const emitted = emitScenario(syntheticReport({ range: '40000 41999', ratePerSec: 100 }));
  assert.equal(emitted.scale, 2);
  assert.equal(emitted.portsPerDestination, 1000);
  assert.equal(emitted.holdMs, 30_000);
  assert.equal(emitted.ratePerSec, 100);
  assert.equal(emitted.predictedOnsetMs, 10_000);
  const scenario = (await load(emitted.text));
  assert.deepEqual(scenario.lab.sysctls, {
    'net.ipv4.ip_local_port_range': '40000\t40999',
    'net.ipv4.tcp_tw_reuse': '1',
    'net.ipv4.tcp_timestamps': '1',
    'net.ipv4.tcp_tw_reuse_delay': '30000',
  });
  assert.equal(scenario.durationMs, 17_000);
  assert.deepEqual(scenario.expect.onsetWithinMs, [8500, 11_500]);
});

test('--scale 4 plays the same load four times faster: hold 15 s, 200/s, onset 5 s', async () => {
  const emitted = emitScenario(syntheticReport({ range: '40000 41999', ratePerSec: 100 }), { scale: 4 });
  assert.equal(emitted.holdMs, 15_000);
  assert.equal(emitted.ratePerSec, 200);
  assert.equal(emitted.predictedOnsetMs, 5000);
  assert.deepEqual((await load(emitted.text)).expect.onsetWithinMs, [4300, 5800]);
});

test('a load that fits keeps its demand-to-ports ratio and expects no exhaustion', async () => {
  // 2/s x 60 s = 120 of 200 ports (60%): 12x faster, hold 5 s, 24/s on 200 ports is 60% too.
  const emitted = emitScenario(syntheticReport({ range: '40000 40199', ratePerSec: 2 }));
  assert.equal(emitted.scale, 12);
  assert.equal(emitted.holdMs, 5000);
  assert.equal(emitted.ratePerSec, 24);
  assert.equal(emitted.predictedOnsetMs, null);
  const scenario = (await load(emitted.text));
  assert.equal(scenario.expect.eaddrnotavail, false);
  assert.equal(scenario.expect.onsetWithinMs, undefined);
  assert.equal(scenario.durationMs, 10_000);
});

test('two destinations: both get their own target port and half the rate each', async () => {
  const emitted = emitScenario(syntheticReport({ range: '40000 40199', ratePerSec: 100, destinations: 2 }));
  assert.equal(emitted.destinations, 2);
  assert.equal(emitted.ratePerSec, 200);
  // 200 ports per destination, 400 in all at 200/s.
  assert.equal(emitted.predictedOnsetMs, 2000);
  assert.deepEqual((await load(emitted.text)).target.ports, [9000, 9001]);
});

test('a pool: persistent connections scaled to the lab ports, no exhaustion when they fit', async () => {
  const emitted = emitScenario(syntheticReport({ range: '40000 40199', ratePerSec: 0, established: 50, opensPerSec: 0 }));
  assert.equal(emitted.pattern, 'pool');
  const scenario = (await load(emitted.text));
  assert.equal(scenario.client.pattern, 'pool');
  assert.equal(scenario.client.pool.size, 50);
  assert.equal(scenario.expect.eaddrnotavail, false);
  assert.equal(scenario.expect.onsetWithinMs, undefined);
});

test('server closes first: no client socket to see, the opens make the load; nothing runs out', async () => {
  const emitted = emitScenario(syntheticReport({ range: '40000 40199', ratePerSec: 0, opensPerSec: 100 }));
  assert.equal(emitted.close, 'server');
  assert.equal(emitted.scale, 1);
  const scenario = (await load(emitted.text));
  assert.equal(scenario.client.close, 'server');
  assert.deepEqual(scenario.client.stages.map((s) => s.ratePerSec), [100]);
  assert.equal(scenario.expect.eaddrnotavail, false);
  assert.equal(scenario.expect.onsetWithinMs, undefined);
  assert.equal(emitScenario(syntheticReport({ range: '40000 40199', ratePerSec: 0, opensPerSec: 100, resetsPerSec: 100 })).close, 'reset');
});

test('the header comment carries the live figures', async () => {
  const { reading, previous } = churnReading();
  const emitted = emitScenario(reportOf(reading, previous));
  const comments = emitted.text.split('\n').filter((l) => l.startsWith('#'));
  assert.ok(comments.length >= 6);
  assert.match(emitted.text, /^# Emitted by `portlab doctor --emit-scenario` \(portlab 0\.0\.0-test\) from netns test at 2026-12-01T12:00:00\.000Z\./);
  assert.match(emitted.text, /# Live: 127\.0\.0\.1 -> 127\.0\.0\.1:9000 held 121 of 199 usable ports \(60\.8%\);/);
  assert.match(emitted.text, /tcp_tw_reuse=0/);
  // Two destinations took client closes in the capture.
  assert.equal(emitted.destinations, 2);
  (await load(emitted.text));
});

test('nothing opened or open: nothing to reproduce (USAGE)', async () => {
  const report = syntheticReport({ range: '40000 40199', ratePerSec: 0, opensPerSec: 0 });
  assert.throws(() => emitScenario(report), (err: unknown) => err instanceof PortlabError && err.code === 'USAGE');
});

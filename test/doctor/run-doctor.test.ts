import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NamespaceReading } from '../../src/doctor/analyze.js';
import type { NamespaceSource } from '../../src/doctor/namespace.js';
import { runDoctor, type DoctorOptions } from '../../src/doctor/run-doctor.js';
import { PortlabError } from '../../src/errors/index.js';
import { readFixture } from '../sampler/fixtures.js';
import { churnReading } from './readings.js';

const SOURCE: NamespaceSource = {
  target: { kind: 'netns', label: 'netns fake' },
  procNetDir: '/nowhere',
  nsFile: null,
  readSysctls: async () => ({}),
  close: () => {},
};

/** A fake namespace: readings of the doctor-churn capture on a fake clock that sleep() advances. */
function fakeNamespace() {
  let clockMs = 0;
  const calls: { countersOnly: boolean; atMs: number }[] = [];
  const { reading } = churnReading();
  const read = async (_source: NamespaceSource, options: { countersOnly?: boolean } = {}): Promise<NamespaceReading> => {
    calls.push({ countersOnly: options.countersOnly === true, atMs: clockMs });
    // ActiveOpens grows 100 per second of fake time.
    const opens = 1000 + clockMs / 10;
    const snmp = readFixture('doctor-churn', 'snmp').replace(/^(Tcp: 1 200 120000 -1) \d+/m, `$1 ${opens}`);
    return { ...reading, tMs: clockMs, snmp, tcp: options.countersOnly ? '' : reading.tcp, tcp6: options.countersOnly ? '' : reading.tcp6 };
  };
  const sleep = async (ms: number): Promise<void> => {
    clockMs += ms;
  };
  return { read, sleep, now: () => clockMs, calls };
}

const OPTIONS: DoctorOptions = { windowMs: 1000, intervalMs: 1000, topN: 5, format: 'json', color: false, watch: false };

test('one shot: a counters-only reading, the window, one full reading, one JSON report', async () => {
  const fake = fakeNamespace();
  const out: string[] = [];
  const { report, emitted } = await runDoctor(OPTIONS, { source: SOURCE, version: 't', write: (t) => out.push(t), ...fake });
  assert.deepEqual(fake.calls, [
    { countersOnly: true, atMs: 0 },
    { countersOnly: false, atMs: 1000 },
  ]);
  assert.equal(out.length, 1);
  const printed = JSON.parse(out[0]!) as typeof report;
  assert.equal(printed.windowMs, 1000);
  assert.equal(printed.rates.newConnectionsPerSec, 100);
  assert.equal(printed.level, report.level);
  assert.equal(printed.tuples.length, 4);
  assert.equal(emitted, null);
});

test('watch with a count: one report per refresh, one line of JSON each, a refresh per interval', async () => {
  const fake = fakeNamespace();
  const out: string[] = [];
  await runDoctor({ ...OPTIONS, watch: true, count: 3, intervalMs: 2000 }, { source: SOURCE, version: 't', write: (t) => out.push(t), ...fake });
  assert.deepEqual(
    fake.calls.map((c) => c.atMs),
    [0, 1000, 3000, 5000],
  );
  assert.equal(out.length, 3);
  for (const line of out) assert.equal(line.split('\n').length, 2, 'one line each');
  assert.deepEqual(
    out.map((line) => (JSON.parse(line) as { windowMs: number }).windowMs),
    [1000, 2000, 2000],
  );
});

test('watch stops when the signal aborts and keeps the last report', async () => {
  const fake = fakeNamespace();
  const abort = new AbortController();
  const out: string[] = [];
  const sleep = async (ms: number): Promise<void> => {
    await fake.sleep(ms);
    if (fake.now() >= 4000) abort.abort();
  };
  const { report } = await runDoctor({ ...OPTIONS, watch: true }, { source: SOURCE, version: 't', write: (t) => out.push(t), ...fake, sleep, signal: abort.signal });
  assert.equal(out.length, 3);
  assert.equal(report.windowMs, 1000);
});

test('--emit-scenario writes the scenario and the report says where; --output takes the report', async () => {
  const fake = fakeNamespace();
  const files: Record<string, string> = {};
  const out: string[] = [];
  const { emitted } = await runDoctor(
    { ...OPTIONS, format: 'prometheus', emitScenario: '/tmp/x.yaml', output: '/tmp/doctor.prom' },
    { source: SOURCE, version: 't', write: (t) => out.push(t), writeFile: (p, t) => (files[p] = t), ...fake },
  );
  assert.equal(out.length, 0);
  assert.deepEqual(Object.keys(files).sort(), ['/tmp/doctor.prom', '/tmp/x.yaml']);
  assert.equal(files['/tmp/x.yaml'], emitted!.text);
  assert.match(files['/tmp/doctor.prom']!, /^# HELP portlab_doctor_level /);
});

test('a scenario with nothing to replay fails with USAGE, after the report is shown', async () => {
  const fake = fakeNamespace();
  const out: string[] = [];
  const idle = async (source: NamespaceSource, options: { countersOnly?: boolean } = {}): Promise<NamespaceReading> => {
    const reading = await fake.read(source, options);
    // Only listeners: nothing opened, nothing open.
    return { ...reading, tcp: reading.tcp.split('\n').filter((line) => !/^\s*\d+: \S+ \S+ (0[1-9]|0B)/.test(line)).join('\n'), tcp6: '', snmp: readFixture('doctor-churn', 'snmp') };
  };
  await assert.rejects(
    runDoctor({ ...OPTIONS, emitScenario: '/tmp/never.yaml' }, { source: SOURCE, version: 't', write: (t) => out.push(t), ...fake, read: idle, writeFile: () => assert.fail('nothing to write') }),
    (err: unknown) => err instanceof PortlabError && err.code === 'USAGE',
  );
  assert.equal(out.length, 1);
  assert.equal((JSON.parse(out[0]!) as { tupleCount: number }).tupleCount, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler, nodeTimers, type SamplerOptions } from '../../src/sampler/poller.js';
import type { Sample, SockstatSample, TcpSample } from '../../src/sampler/samples.js';
import { FakeClock, flushMicrotasks } from './fake-clock.js';
import { readFixture } from './fixtures.js';

const FILES = ['sockstat', 'tcp', 'tcp6', 'netstat'];

function fixtureReader(name: string, reads: string[] = []): (path: string) => string {
  const files = new Map(FILES.map((f) => [`/proc/net/${f}`, readFixture(name, f)]));
  return (path) => {
    reads.push(path);
    const text = files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

function setup(overrides: Partial<SamplerOptions> = {}) {
  const clock = new FakeClock();
  const samples: Sample[] = [];
  const errors: unknown[] = [];
  const sampler = createSampler({
    readFile: fixtureReader('mixed-v4v6'),
    now: clock.now,
    timers: clock,
    ephemeral: { low: 40000, high: 40199 },
    targetPorts: [9000, 9001, 9002, 9003],
    sockstatIntervalMs: 100,
    tcpIntervalMs: 1000,
    onSample: (s) => samples.push(s),
    onError: (e) => errors.push(e),
    ...overrides,
  });
  const ofType = <T extends Sample['type']>(type: T) => samples.filter((s): s is Extract<Sample, { type: T }> => s.type === type);
  return { clock, samples, errors, sampler, ofType };
}

test('samples each kind at start and then on its own cadence', async () => {
  const { clock, sampler, ofType } = setup();
  sampler.start();
  await clock.advance(2500);
  assert.deepEqual(ofType('sockstat').map((s) => s.tMs), Array.from({ length: 26 }, (_, i) => i * 100));
  assert.deepEqual(ofType('tcp').map((s) => s.tMs), [0, 1000, 2000]);
  assert.equal(sampler.stats().sockstatSamples, 26);
  assert.equal(sampler.stats().tcpSamples, 3);
  await sampler.stop();
});

test('samples carry the fixture values: exact tw, client/server TIME_WAIT, cumulative TcpExt', async () => {
  const { clock, sampler, ofType } = setup();
  sampler.start();
  await clock.advance(0);
  const sockstat: SockstatSample = ofType('sockstat')[0]!;
  assert.equal(sockstat.timeWait, 21);
  assert.equal(sockstat.final, false);
  const tcp: TcpSample = ofType('tcp')[0]!;
  assert.equal(tcp.clientTimeWait, 14);
  assert.equal(tcp.serverTimeWait, 7);
  assert.equal(tcp.portsInUse, 22);
  assert.equal(tcp.established, 16);
  assert.equal(tcp.netstat.TW, 21);
  assert.deepEqual(Object.keys(tcp.netstat).sort(), ['PAWSTimewait', 'TCPACKSkippedTimeWait', 'TCPTimeWaitOverflow', 'TW', 'TWKilled', 'TWRecycled']);
  assert.deepEqual(tcp.byDestination['[::1]:9000'], { portsInUse: 6, timeWait: 6 });
  await sampler.stop();
});

test('stop takes one final sample of each kind, clears every timer and emits nothing after', async () => {
  const { clock, sampler, samples, ofType } = setup();
  sampler.start();
  await clock.advance(250);
  const stopped = sampler.stop();
  assert.equal(sampler.stop(), stopped, 'idempotent');
  await stopped;
  const finals = samples.filter((s) => s.final);
  assert.deepEqual(finals.map((s) => s.type).sort(), ['sockstat', 'tcp']);
  assert.ok(finals.every((s) => s.tMs === 250));
  assert.equal(clock.pendingCount(), 0);
  const count = samples.length;
  await clock.advance(5000);
  assert.equal(samples.length, count);
  assert.equal(ofType('sockstat').length, 3 + 1);
  assert.throws(() => sampler.start(), { code: 'INTERNAL' });
});

test('stop before start resolves without sampling', async () => {
  const { sampler, samples } = setup();
  await sampler.stop();
  assert.equal(samples.length, 0);
});

test('a slow read skips missed ticks instead of overlapping, and stop waits for it', async () => {
  const clock = new FakeClock();
  let release: (() => void) | undefined;
  let tcpReads = 0;
  const read = fixtureReader('mixed-v4v6');
  const { sampler, ofType } = setup({
    now: clock.now,
    timers: clock,
    readFile: (path) => {
      if (!path.endsWith('/tcp')) return read(path);
      tcpReads++;
      if (tcpReads !== 2) return read(path);
      return new Promise<string>((resolve) => (release = () => resolve(read(path))));
    },
  });
  sampler.start();
  await clock.advance(1000);
  assert.equal(tcpReads, 2, 'second read started at 1000 and hangs');
  await clock.advance(2500);
  assert.equal(tcpReads, 2, 'no overlapping read while one is in flight');
  release!();
  await flushMicrotasks();
  assert.deepEqual(ofType('tcp').map((s) => s.tMs), [0, 1000]);
  await clock.advance(500);
  assert.deepEqual(ofType('tcp').map((s) => s.tMs), [0, 1000, 4000], 'back on the 1000 ms grid');

  tcpReads = 1;
  await clock.advance(1000);
  let stopDone = false;
  const stopping = sampler.stop().then(() => (stopDone = true));
  await flushMicrotasks();
  assert.equal(stopDone, false, 'stop waits for the read in flight');
  release!();
  await stopping;
  const tcp = ofType('tcp');
  assert.deepEqual(tcp.slice(-2).map((s) => [s.tMs, s.final]), [[5000, false], [5000, true]]);
});

test('no tcp6 file (IPv6 disabled) is not an error; other failures are reported and sampling goes on', async () => {
  let failSockstat = true;
  const read = fixtureReader('exhausted-v4');
  const { clock, sampler, errors, ofType } = setup({
    readFile: (path) => {
      if (path.endsWith('/tcp6')) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      if (path.endsWith('/sockstat') && failSockstat) {
        failSockstat = false;
        return Promise.reject(new Error('EIO'));
      }
      return read(path);
    },
  });
  sampler.start();
  await clock.advance(100);
  assert.equal(errors.length, 1);
  assert.equal(sampler.stats().errors, 1);
  assert.equal(sampler.stats().lastError, 'EIO');
  assert.deepEqual(ofType('sockstat').map((s) => s.tMs), [100]);
  assert.equal(ofType('tcp')[0]!.clientTimeWait, 20, 'tcp rows still classified without tcp6');
  await sampler.stop();
});

test('invalid intervals are refused', () => {
  assert.throws(() => setup({ sockstatIntervalMs: 0 }), { code: 'INTERNAL' });
  assert.throws(() => setup({ tcpIntervalMs: Number.NaN }), { code: 'INTERNAL' });
});

test('with real timers: samples flow, stop records the end, and timers never hold the process', async () => {
  const timer = nodeTimers.setTimeout(() => undefined, 60_000) as ReturnType<typeof setTimeout>;
  assert.equal(timer.hasRef(), false);
  nodeTimers.clearTimeout(timer);
  const samples: Sample[] = [];
  const sampler = createSampler({
    readFile: fixtureReader('exhausted-v4'),
    now: () => performance.now(),
    ephemeral: { low: 40000, high: 40019 },
    targetPorts: [9000],
    sockstatIntervalMs: 5,
    tcpIntervalMs: 20,
    onSample: (s) => samples.push(s),
  });
  sampler.start();
  await new Promise((resolve) => setTimeout(resolve, 60));
  await sampler.stop();
  assert.ok(samples.filter((s) => s.type === 'sockstat').length >= 3);
  const last = samples.filter((s): s is TcpSample => s.type === 'tcp').at(-1)!;
  assert.equal(last.final, true);
  assert.equal(last.clientTimeWait, 20);
});

test('sampleNow takes one sample of each kind off the cadence, delivered and returned; a failed read gives null', async () => {
  const { clock, sampler, ofType, errors } = setup();
  sampler.start();
  await clock.advance(350);
  const before = ofType('tcp').length;
  const now = await sampler.sampleNow();
  assert.equal(now.sockstat?.timeWait, 21);
  assert.equal(now.tcp?.clientTimeWait, 14);
  assert.equal(now.tcp?.tMs, 350, 'dated now, not at the next tick');
  assert.equal(ofType('tcp').length, before + 1, 'delivered to onSample like any sample');
  assert.equal(ofType('tcp').at(-1), now.tcp);
  await sampler.stop();

  const failing = setup({ readFile: (path) => (path.endsWith('sockstat') ? Promise.reject(new Error('EIO')) : fixtureReader('mixed-v4v6')(path)) });
  const partial = await failing.sampler.sampleNow();
  assert.equal(partial.sockstat, null);
  assert.equal(partial.tcp?.serverTimeWait, 7);
  assert.equal(failing.errors.length, 1);
  assert.equal(errors.length, 0);
});

test('a small table is sampled at the sockstat cadence when asked (fastTcpMaxRows), a big one keeps its own', async () => {
  // mixed-v4v6 has 53 rows.
  const small = setup({ fastTcpMaxRows: 100 });
  small.sampler.start();
  await small.clock.advance(500);
  assert.deepEqual(small.ofType('tcp').map((s) => s.tMs), [0, 100, 200, 300, 400, 500]);
  await small.sampler.stop();
  const big = setup({ fastTcpMaxRows: 52 });
  big.sampler.start();
  await big.clock.advance(2500);
  assert.deepEqual(big.ofType('tcp').map((s) => s.tMs), [0, 1000, 2000]);
  await big.sampler.stop();
});

test('udp: connected UDP client sockets from /proc/net/udp join ports in use and client ESTABLISHED; TCP state totals stay TCP\'s', async () => {
  const plainReads: string[] = [];
  const tcpOnly = fixtureReader('mixed-v4v6');
  const udpFiles = new Map(['udp', 'udp6'].map((f) => [`/proc/net/${f}`, readFixture('udp-held', f)]));
  const readFile = (path: string): string => udpFiles.get(path) ?? tcpOnly(path);
  const plain = setup({ readFile: fixtureReader('mixed-v4v6', plainReads) });
  const withUdp = setup({ readFile, udp: true });
  for (const { sampler } of [plain, withUdp]) sampler.start();
  await Promise.all([plain.clock.advance(0), withUdp.clock.advance(0)]);
  const [before, after] = [plain.ofType('tcp')[0]!, withUdp.ofType('tcp')[0]!];
  // 18 sockets connected to the target port 9000; the one towards 7000 and the unconnected one are no client's.
  assert.equal(after.portsInUse, before.portsInUse + 18);
  assert.equal(after.clientEstablished, before.clientEstablished + 18);
  assert.deepEqual(after.byState, before.byState);
  assert.equal(after.rows, before.rows);
  assert.ok(!plainReads.some((path) => path.includes('udp')), 'without udp: true no udp file is read');
  await Promise.all([plain.sampler.stop(), withUdp.sampler.stop()]);
});

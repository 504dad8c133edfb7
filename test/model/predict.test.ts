import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predict, usablePorts } from '../../src/model/predict.js';
import { OS_PRESETS, type OsName } from '../../src/model/presets.js';
import type { PredictInput } from '../../src/model/types.js';
import { PortlabError } from '../../src/errors/index.js';

function onOs(os: OsName, extra: Partial<PredictInput>): PredictInput {
  const preset = OS_PRESETS[os];
  return {
    ratePerSec: 1,
    portRange: preset.portRange,
    timeWaitMs: preset.timeWaitMs,
    destinations: 1,
    sourceAddresses: 1,
    parityLoss: preset.parityLoss,
    ...extra,
  };
}

const linux = (extra: Partial<PredictInput>): PredictInput => onOs('linux', extra);
const small = (size: number, extra: Partial<PredictInput>): PredictInput =>
  linux({ portRange: { low: 40000, high: 40000 + size - 1, size }, ...extra });

function near(actual: number | null, expected: number, tolerance: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} +- ${tolerance}`);
}

test('preset sizes are the seeds\' figures', () => {
  assert.equal(OS_PRESETS.linux.portRange.size, 28_232);
  assert.equal(OS_PRESETS['linux-old'].portRange.size, 28_233);
  assert.equal(OS_PRESETS['windows-legacy'].portRange.size, 3_976);
  assert.equal(OS_PRESETS.windows.portRange.size, 16_384);
});

test('highest sustainable rate = capacity / TIME_WAIT for each OS', () => {
  near(predict(linux({})).maxSustainableRatePerSec, 470.5, 0.05, 'linux');
  near(predict(onOs('windows-legacy', {})).maxSustainableRatePerSec, 16.6, 0.05, 'windows-legacy');
  near(predict(onOs('windows', {})).maxSustainableRatePerSec, 68.3, 0.05, 'windows');
  near(predict(onOs('macos', {})).maxSustainableRatePerSec, 16_384 / 30, 1e-9, 'macos');
});

test('500/s on Linux: 30,000 TIME_WAIT, exhausts after about 56.5 s', () => {
  const p = predict(linux({ ratePerSec: 500 }));
  assert.equal(p.capacity, 28_232);
  assert.equal(p.steadyStateClientTimeWait, 30_000);
  assert.equal(p.portsNeeded, 30_000);
  assert.equal(p.exhausts, true);
  assert.ok(p.timeToFirstFailureMs! >= 56_400 && p.timeToFirstFailureMs! <= 56_500, String(p.timeToFirstFailureMs));
  assert.match(p.advice, /30,000/);
  assert.match(p.advice, /28,232/);
  assert.match(p.advice, /EADDRNOTAVAIL after about 56 s/);
});

test('100/s on Linux: 6,000 TIME_WAIT, 21.3%, never exhausts', () => {
  const p = predict(linux({ ratePerSec: 100 }));
  assert.equal(p.steadyStateClientTimeWait, 6_000);
  near(p.utilizationPct, 21.3, 0.05, 'utilization');
  assert.equal(p.exhausts, false);
  assert.equal(p.timeToFirstFailureMs, null);
});

test('1,000/s needs 60,000 without a pool; a 50-connection pool holds 50 ports and no TIME_WAIT', () => {
  const churn = predict(linux({ ratePerSec: 1000 }));
  assert.equal(churn.portsNeeded, 60_000);
  assert.equal(churn.exhausts, true);
  const pooled = predict(linux({ ratePerSec: 1000, poolSize: 50 }));
  assert.equal(pooled.pattern, 'pool');
  assert.equal(pooled.portsNeeded, 50);
  assert.equal(pooled.steadyStateClientTimeWait, 0);
  assert.equal(pooled.steadyStateTimeWait, 0);
  assert.equal(pooled.exhausts, false);
  assert.equal(pooled.maxSustainableRatePerSec, null);
});

test('a pool larger than capacity fails at once', () => {
  const p = predict(small(20, { ratePerSec: 1, poolSize: 21 }));
  assert.equal(p.exhausts, true);
  assert.equal(p.timeToFirstFailureMs, 0);
  assert.equal(p.maxSustainableRatePerSec, 0);
});

test('odd-sized ranges lose one port on Linux only', () => {
  assert.equal(usablePorts(11), 10);
  assert.equal(usablePorts(10), 10);
  assert.equal(usablePorts(11, false), 11);
  assert.equal(predict(onOs('linux-old', {})).usablePortsPerTuple, 28_232);
  assert.equal(predict(small(11, {})).capacity, 10);
  assert.equal(predict(small(11, { parityLoss: false })).capacity, 11);
});

test('destinations and source addresses multiply capacity', () => {
  const p = predict(small(10, { destinations: 2, sourceAddresses: 3 }));
  assert.equal(p.tuples, 6);
  assert.equal(p.capacity, 60);
  const one = predict(linux({ ratePerSec: 500 }));
  const two = predict(linux({ ratePerSec: 500, destinations: 2 }));
  assert.equal(two.exhausts, false);
  assert.equal(two.maxSustainableRatePerSec, one.maxSustainableRatePerSec! * 2);
});

test('tcp_tw_reuse: sustainable rate = ports / delay (20 ports, 1 s -> 20/s)', () => {
  const at50 = predict(small(20, { ratePerSec: 50, twReuse: true }));
  assert.equal(at50.maxSustainableRatePerSec, 20);
  assert.equal(at50.exhausts, true);
  near(at50.timeToFirstFailureMs, 400, 1e-6, 'first failure');
  // Measured: delay 100 ms -> every connection succeeds at ~50/s; delay 2 s -> 10/s.
  assert.equal(predict(small(20, { ratePerSec: 50, twReuse: true, twReuseDelayMs: 100 })).exhausts, false);
  assert.equal(predict(small(20, { ratePerSec: 50, twReuse: true, twReuseDelayMs: 2000 })).maxSustainableRatePerSec, 10);
  const below = predict(small(20, { ratePerSec: 19, twReuse: true }));
  assert.equal(below.exhausts, false);
  assert.equal(below.steadyStateClientTimeWait, 20);
});

test('tcp_tw_reuse does nothing without timestamps, and 2 adds a loopback note', () => {
  assert.equal(predict(small(20, { ratePerSec: 10, twReuse: true, tcpTimestamps: false })).exhausts, true);
  const loop = predict(linux({ ratePerSec: 1000, twReuse: true, twReuseLoopbackOnly: true }));
  assert.equal(loop.exhausts, false);
  assert.ok(loop.notes.some((n) => n.includes('loopback')));
});

test('tcp_max_tw_buckets below capacity caps TIME_WAIT and prevents exhaustion', () => {
  const p = predict(small(20, { ratePerSec: 50, maxTwBuckets: 10 }));
  assert.equal(p.steadyStateClientTimeWait, 10);
  assert.equal(p.exhausts, false);
  assert.equal(p.maxSustainableRatePerSec, null);
  const high = predict(small(20, { ratePerSec: 50, maxTwBuckets: 1000 }));
  assert.equal(high.exhausts, true);
  assert.equal(high.steadyStateClientTimeWait, 1000);
});

test('server-first and reset leave no client TIME_WAIT and never exhaust', () => {
  const server = predict(linux({ ratePerSec: 100, closer: 'server' }));
  assert.equal(server.steadyStateClientTimeWait, 0);
  assert.equal(server.steadyStateServerTimeWait, 6_000);
  assert.equal(server.exhausts, false);
  assert.equal(server.maxSustainableRatePerSec, null);
  const reset = predict(linux({ ratePerSec: 5000, closer: 'reset' }));
  assert.equal(reset.steadyStateTimeWait, 0);
  assert.equal(reset.exhausts, false);
  assert.equal(JSON.parse(JSON.stringify(reset)).maxSustainableRatePerSec, null);
});

test('tcp_fin_timeout is debunked in a note', () => {
  const p = predict(linux({ ratePerSec: 100, finTimeoutSec: 5 }));
  assert.ok(p.notes.some((n) => n.includes('tcp_fin_timeout')));
  assert.equal(p.steadyStateClientTimeWait, 6_000);
});

test('impossible input is a USAGE error', () => {
  for (const bad of [{ ratePerSec: 0 }, { ratePerSec: Number.NaN }, { destinations: 0 }, { poolSize: 1.5 }]) {
    assert.throws(() => predict(linux(bad)), (err: unknown) => err instanceof PortlabError && err.code === 'USAGE');
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAT_PRESETS, predictNat, type NatInput } from '../../src/model/nat.js';

const lab = (extra: Partial<NatInput>): NatInput => ({
  portsPerAddress: 100,
  addresses: 1,
  addressChoice: 'per-client-hash',
  destinations: 1,
  clientAddresses: 1,
  pattern: 'pool',
  poolSize: 150,
  closedHoldMs: 0,
  connectTimeoutMs: 1000,
  ...extra,
});

test('a pool of 150 through 100 NAT ports: 100 connect, the first SYN is dropped at once, seen a timeout later', () => {
  const p = predictNat(lab({}));
  assert.equal(p.capacityPerDestination, 100);
  assert.equal(p.connectableConcurrent, 100);
  assert.equal(p.exhausts, true);
  assert.equal(p.firstDropMs, 0);
  assert.equal(p.firstTimeoutMs, 1000);
  assert.equal(p.maxSustainableRatePerSec, 0);
  assert.match(p.advice, /runs out/);
});

test('a second destination port doubles what gets through: 200 of a pool of 250', () => {
  const p = predictNat(lab({ destinations: 2, poolSize: 250 }));
  assert.equal(p.capacityPerDestination, 100);
  assert.equal(p.connectableConcurrent, 200);
  assert.equal(p.concurrentPerDestination, 125);
  assert.equal(p.exhausts, true);
});

test('Linux SNAT: a second NAT address helps only a second client address', () => {
  assert.equal(predictNat(lab({ addresses: 2 })).capacityPerDestination, 100);
  assert.equal(predictNat(lab({ addresses: 2, clientAddresses: 4 })).capacityPerDestination, 200);
  assert.equal(predictNat(lab({ addresses: 2, addressChoice: 'any' })).capacityPerDestination, 200);
  assert.ok(predictNat(lab({ addresses: 2 })).notes.some((note) => /hash/.test(note)));
});

test('churn closing first through 20 ports at 100/s: closed connections hold nothing, so it never drops', () => {
  const p = predictNat(lab({ portsPerAddress: 20, pattern: 'churn', poolSize: undefined, ratePerSec: 100, openMs: 0 }));
  assert.equal(p.exhausts, false);
  assert.equal(p.firstDropMs, null);
  assert.equal(p.firstTimeoutMs, null);
  assert.equal(p.maxSustainableRatePerSec, null);
  assert.match(p.advice, /TIME_WAIT/);
});

test('connections held open at 50/s exhaust 100 ports after 2 s; held 10 s each, the NAT sustains 10/s', () => {
  const never = predictNat(lab({ pattern: 'churn', poolSize: undefined, ratePerSec: 50, openMs: Infinity }));
  assert.equal(never.firstDropMs, 2000);
  assert.equal(never.firstTimeoutMs, 3000);
  assert.equal(never.maxSustainableRatePerSec, 0);
  const tenSeconds = predictNat(lab({ pattern: 'churn', poolSize: undefined, ratePerSec: 50, openMs: 10_000 }));
  assert.equal(tenSeconds.maxSustainableRatePerSec, 10);
  assert.equal(tenSeconds.firstDropMs, 2000);
});

test('presets: AWS 55,000 per destination, Azure 1,024, Cloud NAT 64 that also keeps closed tuples 120 s', () => {
  assert.equal(NAT_PRESETS.aws.portsPerAddress, 55_000);
  assert.equal(NAT_PRESETS['azure-default'].portsPerAddress, 1_024);
  assert.equal(NAT_PRESETS['gcp-default'].portsPerAddress, 64);
  const gcp = NAT_PRESETS['gcp-default'];
  // 1 connection/s, each closed at once, still holds 120 tuples: above 64.
  const p = predictNat({ ...lab({}), portsPerAddress: gcp.portsPerAddress, addressChoice: gcp.addressChoice, closedHoldMs: gcp.closedHoldMs!, pattern: 'churn', poolSize: undefined, ratePerSec: 1, openMs: 0 });
  assert.equal(p.exhausts, true);
  assert.equal(p.firstDropMs, 64_000);
  assert.ok(Math.abs(p.maxSustainableRatePerSec! - 64 / 120) < 1e-9);
});

test('impossible input is a USAGE error', () => {
  assert.throws(() => predictNat(lab({ portsPerAddress: 0 })), { code: 'USAGE' });
  assert.throws(() => predictNat(lab({ poolSize: 0 })), { code: 'USAGE' });
  assert.throws(() => predictNat(lab({ pattern: 'churn', poolSize: undefined, ratePerSec: 0 })), { code: 'USAGE' });
});

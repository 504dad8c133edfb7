import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NatGatewaySampler } from '../../src/sampler/nat-gateway.js';
import { readFixture } from './fixtures.js';

/** A gateway whose files change when the test says: starts empty, then shows the captured fixture. */
function fakeGateway(options: { table?: boolean } = {}) {
  const files: Record<string, string> = {
    '/proc/42/net/stat/nf_conntrack': readFixture('nat-gateway', 'stat-nf_conntrack.before'),
    '/proc/42/net/nf_conntrack': '',
  };
  const errors: string[] = [];
  let tick: (() => void) | undefined;
  const sampler = new NatGatewaySampler({
    procNetDir: '/proc/42/net',
    conntrackTimeWaitSec: 120,
    intervalMs: 250,
    readFile: (path) => {
      if (path.endsWith('/nf_conntrack') && !path.includes('/stat/') && options.table === false) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      }
      const text = files[path];
      if (text === undefined) throw new Error(`unexpected read ${path}`);
      return text;
    },
    onError: (err) => errors.push((err as Error).message),
    setInterval: (fn) => (tick = fn),
    clearInterval: () => (tick = undefined),
  });
  const fill = (): void => {
    files['/proc/42/net/stat/nf_conntrack'] = readFixture('nat-gateway', 'stat-nf_conntrack');
    files['/proc/42/net/nf_conntrack'] = readFixture('nat-gateway', 'nf_conntrack');
  };
  return { sampler, fill, errors, tick: () => tick?.() };
}

test('interval: the table at the last sample and the drops since the previous interval', () => {
  const g = fakeGateway();
  g.sampler.start();
  g.fill();
  g.tick();
  const first = g.sampler.takeInterval();
  assert.equal(first.entries, 18);
  assert.equal(first.held, 14);
  assert.equal(first.timeWait, 4);
  assert.deepEqual(first.heldByDestination, { '198.18.1.2:9000': 3, '198.18.1.2:9001': 10, '198.18.1.3:9000': 1 });
  assert.equal(first.insertFailed, 4);
  assert.equal(first.drop, 4);
  const second = g.sampler.takeInterval();
  assert.equal(second.insertFailed, 0, 'the drops were counted once');
});

test('snapshot reads now, counts drops since start; stop reports totals and peaks, and is idempotent', () => {
  const g = fakeGateway();
  g.sampler.start();
  g.fill();
  const snap = g.sampler.snapshot();
  assert.equal(snap.insertFailed, 4);
  assert.deepEqual(snap.byDestination['198.18.1.2:9001'], { entries: 10, held: 10, timeWait: 0 });
  const totals = g.sampler.stop();
  assert.deepEqual(totals.drops, { insert_failed: 4, drop: 4, early_drop: 0 });
  assert.equal(totals.peak.held, 14);
  assert.deepEqual(totals.peak.byDestination['198.18.1.2:9000'], { entries: 7, held: 3, timeWait: 4 });
  assert.equal(totals.tableReadable, true);
  assert.equal(totals.conntrackTimeWaitSec, 120);
  assert.deepEqual(g.sampler.stop(), totals);
});

test('without a per-entry view the counters are still sampled, and the missing table is reported once', () => {
  const g = fakeGateway({ table: false });
  g.sampler.start();
  g.fill();
  g.tick();
  g.tick();
  assert.equal(g.sampler.takeInterval().insertFailed, 4);
  const totals = g.sampler.stop();
  assert.equal(totals.tableReadable, false);
  assert.equal(totals.drops['drop'], 4);
  assert.equal(g.errors.length, 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hopsOf, ProxyTracker } from '../../src/driver/proxy-tracker.js';
import { emptyProxyStats, type ProxyStats } from '../../src/metrics/proxy.js';

const stats = (over: Partial<ProxyStats>): ProxyStats => ({ ...emptyProxyStats(), ...over });

test('hopsOf: sockets to a backend port are the proxy -> backend hop, all others the client -> proxy hop', () => {
  const hops = hopsOf(
    { '127.0.0.1:9000': { portsInUse: 10, timeWait: 0 }, '127.0.0.1:9900': { portsInUse: 150, timeWait: 140 }, '[::1]:9900': { portsInUse: 5, timeWait: 5 } },
    new Set([9900]),
  );
  assert.deepEqual(hops, { clientHop: { portsInUse: 10, timeWait: 0 }, backendHop: { portsInUse: 155, timeWait: 145 } });
});

test('the tracker reports counter deltas per interval, the first error once, and dates it from the load start', () => {
  const firsts: [number, string][] = [];
  const tracker = new ProxyTracker([9900], (at, code) => firsts.push([at, code]));
  tracker.observe(stats({ upstreamOpened: 100 }));
  assert.deepEqual(tracker.takeInterval(null), { clientHop: { portsInUse: 0, timeWait: 0 }, backendHop: { portsInUse: 0, timeWait: 0 }, upstreamOpened: 100, upstreamErrors: {}, clientAnswers: {} });
  tracker.observe(stats({ upstreamOpened: 130, upstreamErrors: { EADDRNOTAVAIL: 5 }, firstErrorMonoMs: 5_000, firstErrorCode: 'EADDRNOTAVAIL', clientAnswers: { '502': 5 } }));
  tracker.observe(stats({ upstreamOpened: 140, upstreamErrors: { EADDRNOTAVAIL: 8 }, firstErrorMonoMs: 5_000, firstErrorCode: 'EADDRNOTAVAIL', clientAnswers: { '502': 8 } }));
  const interval = tracker.takeInterval(null);
  assert.equal(interval.upstreamOpened, 40);
  assert.deepEqual(interval.upstreamErrors, { EADDRNOTAVAIL: 8 });
  assert.deepEqual(firsts, [[5_000, 'EADDRNOTAVAIL']]);
  assert.equal(tracker.totals(3_000).firstErrorAtMs, 2_000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenarioText } from '../../src/config/loader.js';
import type { DriverDone } from '../../src/driver/protocol.js';
import { createCounters } from '../../src/metrics/counters.js';
import { diagnoseProxy, proxyLabNote, proxySummary } from '../../src/run/proxy-summary.js';
import { predictRun } from '../../src/run/prediction.js';

const { scenario } = loadScenarioText('duration: 4s\ntarget:\n  protocol: http\n  proxy:\n    upstream: per-request\nclient:\n  engine: node-agent\n  rate: 100/s\n', 'p.yaml');
const hop = (portsInUse: number, timeWait: number) => ({ portsInUse, timeWait });

function done(upstreamErrors: Record<string, number>): DriverDone {
  return {
    type: 'done',
    interrupted: false,
    durationMs: 4000,
    totals: createCounters(),
    connectHist: null,
    requestHist: null,
    lagHist: null,
    netstat: {},
    proxy: {
      stats: { upstreamOpened: 400, upstreamConnected: 200, upstreamErrors, firstErrorMonoMs: 9e6, firstErrorCode: 'EADDRNOTAVAIL', clientAnswers: { '502': 200 } },
      firstErrorAtMs: 2000,
      peak: { clientHop: hop(10, 0), backendHop: hop(200, 200) },
    },
  };
}

const totals = { ...createCounters(), requestErrors: { HTTP_502: 200 } };
const range = { low: 40000, high: 40199, size: 200 };
const run = predictRun(scenario, { 'net.ipv4.tcp_tw_reuse': '0' }, range);

test('the proxy ran out on its backend hop when its own connects failed with EADDRNOTAVAIL', () => {
  const proxy = proxySummary(scenario, done({ EADDRNOTAVAIL: 200 }), {}, run, range);
  assert.ok(proxy);
  assert.equal(proxy.exhaustedHop, 'proxy-backend');
  assert.equal(proxy.firstUpstreamErrorAtMs, 2000);
  const text = diagnoseProxy(proxy, totals, range);
  assert.match(text, /backend hop/);
  assert.match(text, /EADDRNOTAVAIL 200 of 400/);
  assert.match(text, /HTTP_502 200/);
  // No client pool here (node-agent without keepAlive): 100 new backend connections/s on 200 ports.
  assert.deepEqual(proxy.predicted, { hop: 'proxy-backend', atMs: 2000 });
  assert.match(proxyLabNote(proxy), /backend on 9900/);
});

test('the client hop ran out when the clients, not the proxy, lacked ports; neither without such errors', () => {
  assert.equal(proxySummary(scenario, done({}), { EADDRNOTAVAIL: 3 }, run, range)?.exhaustedHop, 'client-proxy');
  const none = proxySummary(scenario, done({ ETIMEDOUT: 1 }), {}, run, range);
  assert.equal(none?.exhaustedHop, null);
  assert.match(diagnoseProxy(none!, totals, range), /Neither hop ran out/);
});

test('no proxy summary without target.proxy', () => {
  const plain = loadScenarioText('duration: 1s\nclient:\n  rate: 1/s\n', 'x.yaml').scenario;
  assert.equal(proxySummary(plain, null, {}, run, range), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChurnLoad } from '../../../src/engine/loads/churn.js';
import type { CloseMode } from '../../../src/config/types.js';
import { settle } from '../../net/fake-socket.js';
import { fakeLoadSetup } from './fake-context.js';

const HOST = '127.0.0.1';

test('one connection per start: refused connects are attempts with their code, connected ones make one request', async () => {
  const setup = fakeLoadSetup(
    { destinations: [{ host: HOST, port: 9000 }, { host: HOST, port: 9001 }] },
    { outcome: (target) => (target.port === 9001 ? { code: 'ECONNREFUSED' } : 'connect') },
  );
  const load = new ChurnLoad(setup.context);
  for (let k = 0; k < 6; k++) load.start(k);
  await settle();
  assert.deepEqual(setup.totals(), {
    attempts: 6,
    connected: 3,
    errors: { ECONNREFUSED: 3 },
    skipped: 0,
    requests: 3,
    requestErrors: {},
    bySource: { '127.0.0.1': { attempts: 6, connected: 3, errors: { ECONNREFUSED: 3 } } },
    byDestination: {
      '127.0.0.1:9000': { attempts: 3, connected: 3, errors: {} },
      '127.0.0.1:9001': { attempts: 3, connected: 0, errors: { ECONNREFUSED: 3 } },
    },
  });
  assert.deepEqual(
    setup.network.connected().map((s) => [s.target?.port, s.written, s.closedBy]),
    [
      [9000, 'R\n', 'client'],
      [9000, 'R\n', 'client'],
      [9000, 'R\n', 'client'],
    ],
  );
  assert.equal(setup.runtime.inFlight, 0);
});

for (const [close, closedBy] of [
  ['client', 'client'],
  ['server', 'server'],
  ['reset', 'reset'],
] as const satisfies readonly (readonly [CloseMode, string])[]) {
  test(`close: ${close} ends each connection ${closedBy === 'server' ? 'after the server closes' : `by ${closedBy}`}`, async () => {
    const setup = fakeLoadSetup({ close }, { closeAfterResponse: close === 'server' });
    const load = new ChurnLoad(setup.context);
    for (let k = 0; k < 4; k++) load.start(k);
    await settle();
    const totals = setup.totals();
    assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.errors, totals.requestErrors], [4, 4, 4, {}, {}]);
    assert.deepEqual(
      setup.network.sockets.map((s) => s.closedBy),
      [closedBy, closedBy, closedBy, closedBy],
    );
    assert.equal(setup.runtime.inFlight, 0);
  });
}

for (const close of ['client', 'reset'] as const) {
  test(`requestsPerConnection 0 with close: ${close}: connect, then close at once, without TCP_NODELAY`, async () => {
    const setup = fakeLoadSetup({ close, requestsPerConnection: 0 });
    const load = new ChurnLoad(setup.context);
    for (let k = 0; k < 3; k++) load.start(k);
    await settle();
    const totals = setup.totals();
    assert.deepEqual([totals.attempts, totals.connected, totals.requests], [3, 3, 0]);
    assert.deepEqual(
      setup.network.sockets.map((s) => [s.written, s.noDelay, s.closedBy]),
      [
        ['', false, close],
        ['', false, close],
        ['', false, close],
      ],
    );
    assert.equal(setup.runtime.inFlight, 0);
  });
}

test('requestsPerConnection 3: three exchanges, one at a time, before the close', async () => {
  const setup = fakeLoadSetup({ requestsPerConnection: 3 });
  const load = new ChurnLoad(setup.context);
  load.start(0);
  load.start(1);
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests], [2, 2, 6]);
  assert.deepEqual(
    setup.network.sockets.map((s) => [s.written, s.closedBy]),
    [
      ['R\nR\nR\n', 'client'],
      ['R\nR\nR\n', 'client'],
    ],
  );
});

test('connects nobody answers time out at connectTimeoutMs, as ETIMEDOUT attempts', async () => {
  const setup = fakeLoadSetup({ connectTimeoutMs: 2000 }, { outcome: () => 'hang' });
  const load = new ChurnLoad(setup.context);
  load.start(0);
  load.start(1);
  await setup.clock.advance(1999);
  assert.equal(setup.runtime.inFlight, 2, 'still connecting');
  await setup.clock.advance(1);
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.errors], [2, 0, { ETIMEDOUT: 2 }]);
  assert.equal(setup.runtime.inFlight, 0);
});

test('the first exhaustion error is posted once as the onset, with its code', async () => {
  const setup = fakeLoadSetup({}, { outcome: (_target, index) => (index === 0 ? 'connect' : { code: 'EADDRNOTAVAIL' }) });
  const load = new ChurnLoad(setup.context);
  for (let k = 0; k < 4; k++) load.start(k);
  await settle();
  const onsets = setup.messages.filter((m) => m.type === 'onset');
  assert.deepEqual(
    onsets.map((m) => m.type === 'onset' && m.code),
    ['EADDRNOTAVAIL'],
  );
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.errors], [4, 1, { EADDRNOTAVAIL: 3 }]);
});

test('starts beyond maxInFlight are skipped, not queued', async () => {
  const setup = fakeLoadSetup({ maxInFlight: 2 }, { outcome: () => 'hang' });
  const load = new ChurnLoad(setup.context);
  for (let k = 0; k < 5; k++) load.start(k);
  assert.equal(setup.network.sockets.length, 2);
  await setup.clock.advance(2000);
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.skipped, totals.errors], [2, 3, { ETIMEDOUT: 2 }]);
});

test('an error during the exchange is a request error; close() aborts what is still open', async () => {
  const setup = fakeLoadSetup({}, { responseBytes: 0 });
  const load = new ChurnLoad(setup.context);
  for (let k = 0; k < 3; k++) load.start(k);
  await settle();
  setup.network.sockets[0]!.destroy(Object.assign(new Error('reset by peer'), { code: 'ECONNRESET' }));
  await settle();
  assert.equal(setup.runtime.inFlight, 2);
  load.close();
  await settle();
  const totals = setup.totals();
  assert.deepEqual([totals.attempts, totals.connected, totals.requests], [3, 3, 0]);
  assert.deepEqual(totals.requestErrors, { ECONNRESET: 1, EABORTED: 2 });
  assert.deepEqual(
    setup.network.sockets.slice(1).map((s) => s.closedBy),
    ['client', 'client'],
  );
  assert.equal(setup.runtime.inFlight, 0);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAutocannon, parseHey, parseWrk, peerCommand } from '../../bench/peers.js';

const WRK = `Running 2s test @ http://127.0.0.1:9000/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.39ms    2.02ms  22.95ms   83.35%
  18439 requests in 2.01s, 2.41MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   9177.62
Transfer/sec:      1.20MB
`;

const HEY = `Summary:
  Total:	2.0022 secs
  Requests/sec:	8922.1220

Status code distribution:
  [200]	17860 responses
  [503]	4 responses

Error distribution:
  [12]	Get "http://127.0.0.1:9000/": dial tcp 127.0.0.1:9000: connect: cannot assign requested address
`;

test('wrk: requests/s, socket errors and non-2xx responses', () => {
  assert.deepEqual(parseWrk(WRK), { requestsPerSec: 9177.62, errors: 9 });
  assert.equal(parseWrk('wrk: command not found'), null);
});

test('hey: requests/s, error lines and non-200 status codes', () => {
  assert.deepEqual(parseHey(HEY), { requestsPerSec: 8922.122, errors: 16 });
  assert.equal(parseHey(''), null);
});

test('autocannon: its own average with keep-alive; sent minus in flight over time with reconnectRate 1', () => {
  const json = JSON.stringify({ duration: 2, connections: 50, errors: 1, timeouts: 0, non2xx: 0, requests: { average: 0, sent: 15_050 } });
  const reconnect = parseAutocannon(`noise before\n${json}`, true)!;
  assert.equal(reconnect.requestsPerSec, 7500);
  assert.equal(reconnect.errors, 1);
  assert.match(reconnect.note!, /counts no responses/);
  const keep = parseAutocannon(JSON.stringify({ duration: 2, connections: 50, errors: 0, timeouts: 0, non2xx: 0, requests: { average: 30_000, sent: 60_050 } }), false)!;
  assert.equal(keep.requestsPerSec, 30_000);
  assert.equal(parseAutocannon('not json', false), null);
});

test('peer commands disable keep-alive the way each tool spells it', () => {
  const base = { connections: 50, durationS: 5, url: 'http://127.0.0.1:9000/', root: '/repo' };
  assert.equal(peerCommand({ ...base, peer: 'wrk', keepAlive: false }), 'wrk -t2 -c50 -d5s -H "Connection: close" http://127.0.0.1:9000/');
  assert.equal(peerCommand({ ...base, peer: 'hey', keepAlive: false }), 'hey -z 5s -c 50 -disable-keepalive http://127.0.0.1:9000/');
  assert.equal(peerCommand({ ...base, peer: 'autocannon', keepAlive: false }), 'node /repo/node_modules/autocannon/autocannon.js -j -c 50 -d 5 -D 1 http://127.0.0.1:9000/');
  assert.doesNotMatch(peerCommand({ ...base, peer: 'hey', keepAlive: true }), /disable/);
});

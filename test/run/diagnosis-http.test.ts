import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpTimeWaitSentence } from '../../src/run/diagnosis.js';

const peak = (clientTimeWait: number, serverTimeWait: number) => ({ timeWait: clientTimeWait + serverTimeWait, clientTimeWait, serverTimeWait, portsInUse: 0 });

test('names the side that held TIME_WAIT, from the measured peaks', () => {
  assert.equal(
    httpTimeWaitSentence(peak(200, 0), 60_000),
    'TIME_WAIT sat on the client side (peak 200, server 0): the client closed first, and each close cost it a port for 60 s.',
  );
  assert.equal(
    httpTimeWaitSentence(peak(0, 80), 60_000),
    'TIME_WAIT sat on the server side (peak 80, client 0): the server closed first, which costs the client no ports.',
  );
  assert.equal(
    httpTimeWaitSentence(peak(60, 40), 60_000),
    'TIME_WAIT sat on both sides (peak client 60, server 40): after each response both ends close, and whichever FIN goes first ' +
      'keeps TIME_WAIT, so "Connection: close" alone does not keep it off the client.',
  );
  assert.equal(
    httpTimeWaitSentence(peak(0, 0), 60_000),
    'Neither side held TIME_WAIT sockets during the run: no connection was closed while it was sampled.',
  );
});

test('the TIME_WAIT length comes from the caller (the OS preset), not a constant', () => {
  assert.match(httpTimeWaitSentence(peak(200, 0), 30_000), /each close cost it a port for 30 s\.$/);
});

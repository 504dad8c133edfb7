import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpTimeWaitSentence } from '../../src/run/diagnosis.js';

const peak = (clientTimeWait: number, serverTimeWait: number) => ({ timeWait: clientTimeWait + serverTimeWait, clientTimeWait, serverTimeWait, portsInUse: 0 });

test('names the side that held TIME_WAIT, from the measured peaks', () => {
  assert.match(httpTimeWaitSentence(peak(200, 0)), /client side \(peak 200, server 0\)/);
  assert.match(httpTimeWaitSentence(peak(0, 80)), /server side \(peak 80, client 0\)/);
  assert.match(httpTimeWaitSentence(peak(60, 40)), /both sides \(peak client 60, server 40\)/);
  assert.match(httpTimeWaitSentence(peak(0, 0)), /Neither side/);
});

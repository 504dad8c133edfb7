import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioText } from '../../src/config/loader.js';
import { Coordinator, type MergedInterval } from '../../src/engine/coordinator.js';
import { startTarget } from '../../src/target/start.js';
import { freePort } from '../helpers/http.js';

/**
 * The whole engine on loopback, no lab: worker threads get their checked config, pick their load from the
 * registry and post checked intervals. 20 starts/s for 500 ms is 10 planned starts (k = 0..9 due at
 * 0, 50, ..., 450 ms), whatever the machine's speed: the schedule is open, so late starts still happen.
 */
async function runEngine(protocol: 'tcp' | 'http', client: string) {
  const port = await freePort();
  const target = await startTarget({ protocol, listen: [{ host: '127.0.0.1', port }], responseBytes: 16, responseDelayMs: 0, closeAfterResponse: false });
  try {
    const { scenario } = loadScenarioText(
      `name: t\nduration: 500ms\ntarget: { protocol: ${protocol}, ports: [${port}] }\nclient: { rate: 20, workers: 2, ${client} }\n`,
      't.yaml',
    );
    const intervals: MergedInterval[] = [];
    const coordinator = new Coordinator(scenario, { onInterval: (i) => intervals.push(i), onOnset: () => {} });
    await coordinator.start();
    const result = await coordinator.finished;
    await coordinator.terminate();
    return { totals: result.totals, intervals };
  } finally {
    await target.close();
  }
}

test('churn: every planned start is one attempt, connected, with its request', async () => {
  const { totals } = await runEngine('tcp', 'pattern: churn');
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.errors, totals.skipped], [10, 10, 10, {}, 0]);
});

test('pool: the pool connects once per slot and carries every request', async () => {
  const { totals } = await runEngine('tcp', 'pattern: pool, pool: { size: 3 }');
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.errors], [3, 3, 10, {}]);
});

test('node-agent with keep-alive: one connection per worker at this rate, every request answered', async () => {
  const { totals } = await runEngine('http', 'engine: node-agent, agent: { keepAlive: true, maxSockets: 1 }');
  assert.deepEqual([totals.attempts, totals.connected, totals.requests, totals.errors], [2, 2, 10, {}]);
});

test('autocannon paces itself from the shared start: requests answered, every connect counted', async () => {
  const { totals } = await runEngine('http', 'engine: autocannon, pool: { size: 2 }');
  assert.ok(totals.requests > 0, `requests ${totals.requests}`);
  assert.deepEqual([totals.attempts - totals.connected, totals.errors], [0, {}]);
});

/** client.socketPortRange in the model's inputs and the lab notes: the kernel keeps it within the lab's range. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioText } from '../../src/config/loader.js';
import { narrowed, predictRun } from '../../src/run/prediction.js';
import { strategyNotes } from '../../src/run/strategy.js';
import { portRange } from '../../src/util/units.js';

const LAB = portRange(40000, 40099);

test('narrowed: the overlap of the lab and the socket range; the lab range when they do not overlap or none is set', () => {
  assert.deepEqual(narrowed(LAB, portRange(40000, 40009)), { low: 40000, high: 40009, size: 10 });
  assert.deepEqual(narrowed(LAB, portRange(39990, 40004)), { low: 40000, high: 40004, size: 5 });
  assert.deepEqual(narrowed(LAB, portRange(50000, 50009)), LAB);
  assert.deepEqual(narrowed(LAB, null), LAB);
});

test('the model counts the per-socket range per 4-tuple, and the lab notes name it', () => {
  const text =
    'name: t\nduration: 2s\nlab: { sysctls: { net.ipv4.ip_local_port_range: 40000 40099 } }\ntarget: { ports: [9300, 9301] }\n' +
    'client: { rate: 100/s, sourceAddresses: [127.0.0.2, 127.0.0.3], bindStrategy: no-port, socketPortRange: 40000-40009 }\n';
  const { scenario, problems } = checkScenarioText(text, 't.yaml');
  assert.ok(scenario, JSON.stringify(problems));
  const run = predictRun(scenario, { 'net.ipv4.ip_local_port_range': '40000 40099' }, LAB);
  // 2 sources x 2 destinations x 10 ports, used up at 100/s after 0.4 s.
  assert.equal(run.prediction.capacity, 40);
  assert.equal(run.prediction.timeToFirstFailureMs, 400);
  assert.match(strategyNotes(scenario).join('\n'), /draws its port from 40000-40009 \(IP_LOCAL_PORT_RANGE, 10 ports\)/);
});

/** The scenario schema applies the one loopback rule to source addresses and destinations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioText } from '../../src/config/loader.js';

function problemsOf(client: string): string[] {
  return checkScenarioText(`name: t\nduration: 1s\nclient: { rate: 10/s, ${client} }\n`, 't.yaml').problems.filter((p) => p.severity === 'error').map((p) => p.path.join('.'));
}

test('a source address with an octet above 255 is refused', () => {
  assert.deepEqual(problemsOf('sourceAddresses: [127.999.999.999]'), ['client.sourceAddresses.0']);
  assert.deepEqual(problemsOf('sourceAddresses: [127.0.0.2, 127.0.0.256]'), ['client.sourceAddresses.1']);
  assert.deepEqual(problemsOf('sourceAddresses: [127.0.0.2, 127.255.255.254]'), []);
});

test('a destination with an octet above 255 is refused', () => {
  assert.deepEqual(problemsOf('destinations: ["127.999.999.999:9000"]'), ['client.destinations.0']);
  assert.deepEqual(problemsOf('destinations: ["127.0.0.2:9000"]'), []);
});

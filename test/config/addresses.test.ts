import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioText } from '../../src/config/loader.js';
import { formatPath } from '../../src/config/problems.js';
import { isLoopbackLiteral } from '../../src/util/loopback.js';

const errorPaths = (client: string): string[] =>
  checkScenarioText(`duration: 1s\nclient: { rate: 1, ${client} }\n`, 'x.yaml')
    .problems.filter((p) => p.severity === 'error')
    .map((p) => formatPath(p.path));

test('only loopback IP literals are addresses: never a name, never a look-alike', () => {
  for (const ok of ['127.0.0.1', '127.255.255.254', '::1']) assert.equal(isLoopbackLiteral(ok), true, ok);
  for (const bad of ['127.999.999.999', '127.0.0.01', '127.1', 'localhost', '0x7f.0.0.1', '10.0.0.1', '::2', '0:0:0:0:0:0:0:1', ' 127.0.0.1', '']) {
    assert.equal(isLoopbackLiteral(bad), false, bad);
  }
});

test('a destination that is not a loopback IP literal is refused at validate time', () => {
  const bad = ['127.999.999.999:9000', 'localhost:9000', '[127.0.0.1]:9000', '::1:9000', ' 127.0.0.1:9000', '127.0.0.1:9000 ', '10.0.0.1:9000'];
  const list = bad.map((d) => JSON.stringify(d)).join(', ');
  assert.deepEqual(errorPaths(`destinations: [${list}, "[::1]:9000", "127.0.0.1:9000"]`), bad.map((_, i) => `client.destinations[${i}]`));
});

test('a source address that is not a loopback IP literal is refused at validate time', () => {
  assert.deepEqual(errorPaths('sourceAddresses: ["127.0.0.2", "127.999.999.999", "127.0.0.01", "host.local"]'), [
    'client.sourceAddresses[1]',
    'client.sourceAddresses[2]',
    'client.sourceAddresses[3]',
  ]);
});

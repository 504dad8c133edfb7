import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/program.js';
import { fakeIo } from './fake-io.js';

test('predict --proxy per-request: ports on both hops, the backend hop runs out first at 2 s', async () => {
  const io = fakeIo();
  const code = await runCli(['predict', '--proxy', 'per-request', '--rate', '100/s', '--pool-size', '10', '--port-range', '40000-40199'], io);
  assert.equal(code, 0);
  const text = io.out();
  assert.match(text, /client -> proxy\s+10 of 200 ports needed/);
  assert.match(text, /proxy -> backend .* runs out after ~2 s/);
  assert.match(text, /runs out first\s+proxy-backend/);
});

test('predict --proxy pooled --json: neither hop runs out; an unknown mode is bad input', async () => {
  const io = fakeIo();
  assert.equal(await runCli(['predict', '--proxy', 'pooled', '--proxy-pool-size', '20', '--rate', '100', '--pool-size', '10', '--json'], io), 0);
  const report = JSON.parse(io.out()) as { prediction: { firstHop: string | null; backendHop: { portsNeeded: number } } };
  assert.equal(report.prediction.firstHop, null);
  assert.equal(report.prediction.backendHop.portsNeeded, 20);
  const bad = fakeIo();
  assert.equal(await runCli(['predict', '--proxy', 'per-requests', '--rate', '100'], bad), 2);
  assert.match(bad.err(), /did you mean "per-request"/);
});

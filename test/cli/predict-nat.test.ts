import { test } from 'node:test';
import assert from 'node:assert/strict';
import { natInputFromArgs, runNatPredict, wantsNat, type NatPredictArgs, type NatPredictReport } from '../../src/cli/predict-nat.js';
import { PortlabError } from '../../src/errors/index.js';
import { runCli } from '../../src/cli/program.js';
import { fakeIo } from './fake-io.js';

function run(args: NatPredictArgs): { text: string; report: NatPredictReport } {
  let text = '';
  const report = runNatPredict(args, (chunk) => (text += chunk));
  return { text, report };
}

const usageCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof PortlabError ? err.code : 'not a PortlabError';
  }
  return undefined;
};

test('--nat aws: 55,000 connections per destination; 500/s held 60 s fits, held forever drops after 110 s', () => {
  const fits = run({ nat: 'aws', rate: '500/s', hold: '60s' }).report.prediction;
  assert.equal(fits.capacityPerDestination, 55_000);
  assert.equal(fits.concurrentPerDestination, 30_000);
  assert.equal(fits.exhausts, false);
  const forever = run({ nat: 'aws', rate: '500', hold: 'forever' }).report.prediction;
  assert.equal(forever.firstDropMs, 110_000);
});

test('--nat azure-default --pool 1500: 1,024 connect, the rest are dropped at once', () => {
  const { text, report } = run({ nat: 'azure-default', poolSize: '1500' });
  assert.equal(report.prediction.capacityPerDestination, 1024);
  assert.equal(report.prediction.connectableConcurrent, 1024);
  assert.equal(report.prediction.firstDropMs, 0);
  assert.match(text, /1,024 connections/);
  assert.match(text, /no EADDRNOTAVAIL/);
});

test('--nat gcp-default: 64 ports, and closed connections keep their tuple 120 s, so even 1/s churn runs out', () => {
  const { text, report } = run({ nat: 'gcp-default', rate: '1/s' });
  assert.equal(report.input.closedHoldMs, 120_000);
  assert.equal(report.prediction.concurrentPerDestination, 120);
  assert.equal(report.prediction.firstDropMs, 64_000);
  assert.match(text, /keeps its NAT tuple/);
});

test('overrides: --nat-ports, --nat-addresses, --destinations multiply; --json prints the report', () => {
  const { report } = run({ nat: 'gcp-default', natPorts: '1024', natAddresses: '2', destinations: '3', poolSize: '5000' });
  assert.equal(report.prediction.capacityPerDestination, 2048);
  assert.equal(report.prediction.exhausts, false);
  const json = run({ nat: 'aws', rate: '10', hold: 'forever', json: true }).text;
  const parsed = JSON.parse(json) as NatPredictReport;
  assert.equal(parsed.nat, 'aws');
  assert.equal(parsed.input.openMs, null, 'Infinity is written as null');
});

test('bad input is USAGE: unknown preset, NAT flags without --nat, no load, bad numbers', () => {
  assert.equal(usageCode(() => natInputFromArgs({ nat: 'awz', rate: '1' })), 'USAGE');
  assert.equal(usageCode(() => natInputFromArgs({ hold: '3s', rate: '1' })), 'USAGE');
  assert.equal(usageCode(() => natInputFromArgs({ nat: 'aws' })), 'USAGE');
  assert.equal(usageCode(() => natInputFromArgs({ nat: 'aws', rate: '1', natPorts: '0' })), 'USAGE');
  assert.equal(usageCode(() => natInputFromArgs({ nat: 'aws', rate: '1', hold: 'soon' })), 'USAGE');
  assert.equal(wantsNat({ rate: '1' }), false);
  assert.equal(wantsNat({ natAddresses: '2' }), true);
});

test('through the CLI: --nat takes predict\'s flags as run spells them (--pool alias, a --destinations list)', async () => {
  const pooled = fakeIo();
  assert.equal(await runCli(['predict', '--nat', 'gcp-default', '--pool', '100', '--json'], pooled), 0);
  const report = JSON.parse(pooled.out()) as NatPredictReport;
  assert.equal(report.input.poolSize, 100);
  assert.equal(report.prediction.capacityPerDestination, 64);
  assert.equal(report.prediction.exhausts, true);

  const listed = fakeIo();
  const args = ['predict', '--nat', 'aws', '--rate', '10', '--destinations', '198.18.1.2:9000,198.18.1.2:9001,198.18.1.2:9000', '--json'];
  assert.equal(await runCli(args, listed), 0);
  assert.equal((JSON.parse(listed.out()) as NatPredictReport).input.destinations, 2, 'distinct entries are counted');

  const bad = fakeIo();
  assert.equal(await runCli(['predict', '--nat', 'aws', '--pool-size', 'ten'], bad), 2);
});

test('predict --help lists the NAT flags and example', async () => {
  const io = fakeIo();
  assert.equal(await runCli(['predict', '--help'], io), 0);
  const help = io.out().replace(/\s+/g, ' ');
  assert.match(help, /--nat predict a NAT instead of the client's ports: aws, azure-default, gcp-default/);
  assert.match(help, /--hold with --nat: how long each connection stays open/);
  assert.match(help, /portlab predict --nat gcp-default --pool-size 100/);
});

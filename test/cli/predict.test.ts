import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { inputFromArgs, predictCommand, runPredict, type PredictArgs, type PredictReport } from '../../src/cli/predict.js';
import type { PredictInput } from '../../src/model/types.js';
import { runCli } from '../../src/cli/program.js';
import { PortlabError } from '../../src/errors/index.js';
import { fakeIo } from './fake-io.js';

// dist/test/cli/ -> repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = `${root}bin/portlab.js`;
const cliBuilt = existsSync(`${root}dist/src/cli/main.js`);

function run(args: PredictArgs): { text: string; report: PredictReport } {
  let text = '';
  const report = runPredict(args, (chunk) => (text += chunk));
  return { text, report };
}

const isUsage = (err: unknown): boolean => err instanceof PortlabError && err.code === 'USAGE';

/** Parses argv with the real builder, capturing the args the handler would get. */
async function parse(argv: string[]): Promise<PredictArgs> {
  let captured: PredictArgs | undefined;
  await yargs(argv)
    .command({ ...predictCommand, handler: (args: PredictArgs) => void (captured = args) })
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync();
  assert.ok(captured, 'the handler was not reached');
  return captured;
}

test('--os linux --rate 500: exhausts after about 56 s, 30,000 needed vs 28,232', () => {
  const { text, report } = run({ os: 'linux', rate: '500' });
  assert.equal(report.prediction.exhausts, true);
  assert.match(text, /exhausts\s+yes/);
  assert.match(text, /after ~56 s/);
  assert.match(text, /30,000 of 28,232/);
  assert.match(text, /470\.5\/s/);
});

test('rates in every unit, OS presets, ranges and counts reach the model', () => {
  assert.equal(inputFromArgs({ rate: '6000/m' }).input.ratePerSec, 100);
  assert.equal(inputFromArgs({ rate: '500/s' }).input.ratePerSec, 500);
  const win = inputFromArgs({ rate: '10', os: 'windows-legacy' }).input;
  assert.equal(win.portRange.size, 3_976);
  assert.equal(win.timeWaitMs, 240_000);
  assert.equal(win.parityLoss, false);
  const custom = inputFromArgs({
    rate: '50',
    portRange: '40000-40019',
    timeWait: '30s',
    destinations: '2',
    sourceAddresses: '3',
    twReuse: '2',
    twReuseDelay: '500',
    maxTwBuckets: '0',
  }).input;
  assert.deepEqual(custom.portRange, { low: 40000, high: 40019, size: 20 });
  assert.equal(custom.timeWaitMs, 30_000);
  assert.equal(custom.destinations * custom.sourceAddresses, 6);
  assert.equal(custom.twReuse, true);
  assert.equal(custom.twReuseLoopbackOnly, true);
  assert.equal(custom.twReuseDelayMs, 500);
  assert.equal(custom.maxTwBuckets, 0);
  assert.equal(inputFromArgs({ rate: '1', twReuse: '' }).input.twReuse, true);
  assert.equal(inputFromArgs({ rate: '1', twReuse: 'false' }).input.twReuse, false);
  assert.equal(inputFromArgs({ rate: '1', timeWait: '45' }).input.timeWaitMs, 45_000);
});

test('bad flags are USAGE errors', () => {
  const bad: PredictArgs[] = [
    { rate: '0' },
    {},
    { rate: 'fast' },
    { rate: '1', os: 'linx' },
    { rate: '1', portRange: '5000-4000' },
    { rate: '1', portRange: '40000' },
    { rate: '1', close: 'both' },
    { rate: '1', destinations: '0' },
    { rate: '1', poolSize: '2.5' },
    { rate: '1', sourceAddresses: '127.0.0.1,localhost' },
    { rate: '1', sourceAddresses: ',' },
    { rate: '1', sourceAddresses: '0' },
    { rate: '1', destinations: '127.0.0.1' },
    { rate: '1', destinations: '127.0.0.1:0' },
    { rate: '1', timestamps: '3' },
    { rate: '1', twReuse: '3' },
    { rate: '1', timeWait: '0s' },
  ];
  for (const args of bad) assert.throws(() => inputFromArgs(args), isUsage, JSON.stringify(args));
});

test('--json prints inputs and a prediction that round-trips', () => {
  const { text } = run({ rate: '100', close: 'server', json: true });
  const parsed = JSON.parse(text) as PredictReport;
  assert.equal(parsed.os, 'linux');
  assert.equal(parsed.input.closer, 'server');
  assert.equal(parsed.prediction.exhausts, false);
  assert.equal(parsed.prediction.maxSustainableRatePerSec, null);
});

/** What reaches the model from argv: range, source and destination counts, pool size. */
async function modelInputs(argv: string[]): Promise<[PredictInput['portRange'], number, number, number | undefined]> {
  const { input } = inputFromArgs(await parse(['predict', '--rate', '900/s', ...argv]));
  return [input.portRange, input.sourceAddresses, input.destinations, input.poolSize];
}

test('--port-range, address lists and --pool-size: the spellings of `portlab run`', async () => {
  const argv = ['--port-range', '40000-40199', '--source-addresses', '127.0.0.1, 127.0.0.2,::1', '--destinations', '127.0.0.1:9000,[::1]:9000,127.0.0.1:9000', '--pool-size', '5'];
  // The repeated destination counts once: it is the same tuple.
  assert.deepEqual(await modelInputs(argv), [{ low: 40000, high: 40199, size: 200 }, 3, 2, 5]);
});

test('the old spellings still work: --range, --pool, and counts for --source-addresses and --destinations', async () => {
  const argv = ['--range', '40000-40199', '--source-addresses', '2', '--destinations', '4', '--pool', '5'];
  assert.deepEqual(await modelInputs(argv), [{ low: 40000, high: 40199, size: 200 }, 2, 4, 5]);
});

test('a list and a count of the same size predict the same', () => {
  const list = runPredict({ rate: '900', sourceAddresses: '127.0.0.1,127.0.0.2', json: true }, () => {});
  const count = runPredict({ rate: '900', sourceAddresses: '2', json: true }, () => {});
  assert.equal(list.prediction.capacity, 56_464);
  assert.deepEqual(list.prediction, count.prediction);
});

test('--timestamps 0 turns TIME_WAIT reuse off, as in the kernel', () => {
  assert.equal(inputFromArgs({ rate: '1', timestamps: '0' }).input.tcpTimestamps, false);
  const withReuse = runPredict({ rate: '1000', twReuse: '1', json: true }, () => {});
  const withoutTimestamps = runPredict({ rate: '1000', twReuse: '1', timestamps: '0', json: true }, () => {});
  assert.equal(withReuse.prediction.exhausts, false);
  assert.equal(withoutTimestamps.prediction.exhausts, true);
});

test('--help names the run spellings, the aliases, and shows list examples', async () => {
  const io = fakeIo();
  assert.equal(await runCli(['predict', '--help'], io), 0);
  const help = io.out().replace(/\s+/g, ' ');
  assert.match(help, /--port-range, --range ephemeral port range LOW-HIGH/);
  assert.match(help, /--pool-size, --pool a pool of N/);
  // Examples (yargs wraps the long ones onto a second line).
  assert.match(help, /portlab predict --rate 900 --source-addresses .*127\.0\.0\.1,127\.0\.0\.2/);
  assert.match(help, /portlab predict --rate 900 --destinations .*127\.0\.0\.1:9000,127\.0\.0\.1:9001/);
  assert.match(help, /portlab predict --rate 900 --range 40000-40199 .*--source-addresses 2/);
  assert.match(help, /Older spellings still work: --range for --port-range, --pool for --pool-size, and a count for --source-addresses and --destinations\./);
});

test('the yargs builder maps dashed flags onto PredictArgs', async () => {
  const args = await parse(['predict', '--rate', '500/s', '--os', 'macos', '--time-wait', '30s', '--tw-reuse', '--source-addresses', '2', '--json']);
  assert.equal(args.rate, '500/s');
  assert.equal(args.timeWait, '30s');
  assert.equal(args.twReuse, '');
  assert.equal(args.sourceAddresses, '2');
  assert.equal(args.json, true);
  assert.equal(inputFromArgs(args).input.twReuse, true);
});

const needsCli = { skip: cliBuilt ? false : 'dist/src/cli/main.js not built yet' };

test('portlab predict --os linux --rate 500 (spawned)', needsCli, () => {
  const result = spawnSync(process.execPath, [bin, 'predict', '--os', 'linux', '--rate', '500'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /exhausts\s+yes/);
  assert.match(result.stdout, /after ~56 s/);
  assert.match(result.stdout, /30,000 of 28,232/);
});

test('portlab predict --json (spawned) parses', needsCli, () => {
  const result = spawnSync(process.execPath, [bin, 'predict', '--rate', '100', '--json'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as PredictReport;
  assert.equal(parsed.prediction.steadyStateClientTimeWait, 6_000);
});

test('portlab predict with a bad flag exits 2 without a stack trace (spawned)', needsCli, () => {
  for (const args of [['--rate', '0'], ['--rate', '5', '--os', 'plan9'], ['--rate', '5', '--range', '9-1']]) {
    const result = spawnSync(process.execPath, [bin, 'predict', ...args], { encoding: 'utf8', env: { ...process.env, PORTLAB_DEBUG: '' } });
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.match(result.stderr, /portlab: /);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import yargs from 'yargs';
import { runOutputOptions, scenarioOptions } from '../../src/cli/scenario-options.js';
import { flaggedPaths, flagForPath, flagsToOverrides, type FlagOverrides } from '../../src/config/flags.js';
import { scenarioFromFlags } from '../../src/config/loader.js';
import { scenarioJsonSchema } from '../../src/config/schema.js';
import { PortlabError } from '../../src/errors/index.js';

async function overrides(argv: string[]): Promise<FlagOverrides> {
  const parsed = await yargs(argv)
    .options(scenarioOptions)
    .options(runOutputOptions)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync();
  return flagsToOverrides(parsed);
}

/** The first located problem of a scenario made of these flags, which must be SCENARIO_INVALID. */
function firstProblem(list: FlagOverrides): string {
  try {
    scenarioFromFlags(list);
  } catch (err) {
    assert.ok(err instanceof PortlabError && err.code === 'SCENARIO_INVALID', String(err));
    return err.details[0]!;
  }
  assert.fail('the flags were accepted');
}

const valueOf = (list: FlagOverrides, flag: string) => list.filter((o) => o.flag === flag).map((o) => o.value);

test('numbers become numbers, lists become lists, units stay text', async () => {
  const list = await overrides(['--workers', '3', '--ports', '9000,9001', '--cpus', '1.5', '--rate', '200', '--duration', '5s']);
  assert.deepEqual(valueOf(list, '--workers'), [3]);
  assert.deepEqual(valueOf(list, '--ports'), [[9000, 9001]]);
  assert.deepEqual(valueOf(list, '--cpus'), [1.5]);
  assert.deepEqual(valueOf(list, '--rate'), ['200']);
  assert.deepEqual(valueOf(list, '--duration'), ['5s']);
});

test('a number flag given text keeps the text, so validation names the flag', async () => {
  const list = await overrides(['--workers', 'two', '--duration', '1s', '--rate', '1']);
  assert.deepEqual(valueOf(list, '--workers'), ['two']);
  assert.match(firstProblem(list), /^--workers: client\.workers: /);
});

test('--port-range LOW-HIGH sets the sysctl; the resolver parses it into the typed range and the kernel form', async () => {
  const list = await overrides(['--port-range', '40000-40199']);
  assert.deepEqual(list, [{ path: ['lab', 'sysctls', 'net.ipv4.ip_local_port_range'], value: '40000-40199', flag: '--port-range' }]);
  const { scenario } = scenarioFromFlags([...list, { path: ['duration'], value: '1s', flag: '--duration' }, { path: ['client', 'rate'], value: 1, flag: '--rate' }]);
  assert.deepEqual(scenario.lab.portRange, { low: 40000, high: 40199, size: 200 });
  assert.equal(scenario.lab.sysctls['net.ipv4.ip_local_port_range'], '40000\t40199');
});

test('a bad --port-range is a problem located at the flag', async () => {
  const list = await overrides(['--port-range', '40199-40000', '--duration', '1s', '--rate', '1']);
  assert.match(firstProblem(list), /^--port-range: lab\.sysctls\.net\.ipv4\.ip_local_port_range: /);
});

test('sysctl shortcuts and repeatable --sysctl KEY=VALUE', async () => {
  const list = await overrides([
    '--sysctl', 'net.core.somaxconn=128', '--sysctl', 'net.ipv4.tcp_tw_reuse=2',
    '--tw-reuse', '0', '--tw-reuse-delay', '100', '--max-tw-buckets', '10', '--fin-timeout', '5', '--timestamps', '0',
  ]);
  const { scenario } = scenarioFromFlags([...list, { path: ['duration'], value: '1s', flag: '--duration' }, { path: ['client', 'rate'], value: 1, flag: '--rate' }]);
  assert.deepEqual(scenario.lab.sysctls, {
    'net.core.somaxconn': '128',
    // --tw-reuse comes later in the table than --sysctl, so it wins.
    'net.ipv4.tcp_tw_reuse': '0',
    'net.ipv4.tcp_tw_reuse_delay': '100',
    'net.ipv4.tcp_max_tw_buckets': '10',
    'net.ipv4.tcp_fin_timeout': '5',
    'net.ipv4.tcp_timestamps': '0',
  });
});

test('--sysctl without "=" is a usage error', async () => {
  await assert.rejects(overrides(['--sysctl', 'net.core.somaxconn']), (err: unknown) => err instanceof PortlabError && err.code === 'USAGE');
});

test('--stages DURATION:RATE,... becomes stages', async () => {
  const list = await overrides(['--stages', '5s:50/s, 5s:200/s']);
  assert.deepEqual(valueOf(list, '--stages'), [[{ duration: '5s', rate: '50/s' }, { duration: '5s', rate: '200/s' }]]);
  const { scenario } = scenarioFromFlags(list);
  assert.equal(scenario.durationMs, 10_000);
});

test('expectations: --expect-eaddrnotavail, =false, --no- and --expect-no-', async () => {
  assert.deepEqual(valueOf(await overrides(['--expect-eaddrnotavail']), '--expect-eaddrnotavail'), [true]);
  assert.deepEqual(valueOf(await overrides(['--expect-eaddrnotavail=false']), '--expect-eaddrnotavail'), [false]);
  assert.deepEqual(valueOf(await overrides(['--no-expect-eaddrnotavail']), '--expect-eaddrnotavail'), [false]);
  assert.deepEqual(valueOf(await overrides(['--expect-no-eaddrnotavail']), '--expect-no-eaddrnotavail'), [false]);
  const list = await overrides(['--expect-onset-within', '1s,3s', '--expect-max-errors', '0', '--expect-error', 'EADDRINUSE=false', '--expect-error', 'EADDRNOTAVAIL']);
  const { scenario } = scenarioFromFlags([...list, { path: ['duration'], value: '5s', flag: '--duration' }, { path: ['client', 'rate'], value: 1, flag: '--rate' }]);
  assert.deepEqual(scenario.expect, { onsetWithinMs: [1000, 3000], maxErrors: 0, errors: { EADDRINUSE: false, EADDRNOTAVAIL: true } });
});

test('booleans not given stay unset (the file decides); a repeated flag: the last wins', async () => {
  assert.deepEqual(await overrides([]), []);
  assert.deepEqual(valueOf(await overrides(['--rate', '1', '--rate', '2']), '--rate'), ['2']);
});

test('every scenario key has a flag', () => {
  const flagged = new Set(flaggedPaths().map((p) => p.join('.')));
  const missing: string[] = [];
  const walk = (schema: Record<string, unknown>, prefix: string[]) => {
    const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
    if (!properties) {
      if (!flagged.has(prefix.join('.'))) missing.push(prefix.join('.'));
      return;
    }
    for (const [key, child] of Object.entries(properties)) if (key !== '$schema') walk(child, [...prefix, key]);
  };
  walk(scenarioJsonSchema(), []);
  assert.deepEqual(missing, []);
  assert.equal(flagForPath(['client', 'rate']), '--rate');
});

test('output options are separate from scenario flags', () => {
  for (const name of Object.keys(runOutputOptions)) assert.equal(scenarioOptions[name], undefined, name);
  assert.deepEqual(Object.keys(runOutputOptions), ['out', 'json', 'quiet', 'progress', 'github-summary']);
  // No scenario flag has a default: it would silently override the file.
  for (const [name, option] of Object.entries(scenarioOptions)) assert.equal(option.default, undefined, name);
});

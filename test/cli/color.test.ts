// Every command that colours decides it with colorEnabled on its own stream: NO_COLOR or a non-terminal
// gives plain text. Driven through runCli (the real wiring) or the output functions a lab run ends with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printDemoOutcome } from '../../src/cli/demo.js';
import { runCli } from '../../src/cli/program.js';
import { printRunOutcome } from '../../src/cli/run.js';
import { fixtureDir, loadFixture, REPO_ROOT } from '../report/fixture.js';
import { fakeIo, type FakeIo } from './fake-io.js';

const ESC = '\x1b[';

/** The streams and environments that must give plain text, and the ones that must give colour. */
const PLAIN: Array<{ isTTY: boolean; env: Record<string, string> }> = [
  { isTTY: true, env: { NO_COLOR: '1' } },
  { isTTY: false, env: {} },
  { isTTY: true, env: { FORCE_COLOR: '0' } },
];
const COLORED: Array<{ isTTY: boolean; env: Record<string, string> }> = [
  { isTTY: true, env: {} },
  { isTTY: false, env: { FORCE_COLOR: '1' } },
];

function assertPlain(io: FakeIo, what: string): void {
  assert.ok(!io.out().includes(ESC), `${what}: escape codes on stdout`);
  assert.ok(!io.err().includes(ESC), `${what}: escape codes on stderr`);
  assert.ok(io.out().length > 0, `${what}: printed nothing`);
}

test('run: the end-of-run summary is plain with NO_COLOR or off a terminal, coloured on one', async () => {
  const executed = { summary: await loadFixture('no-pooling'), dir: 'results/x' };
  for (const options of PLAIN) {
    const io = fakeIo(options);
    printRunOutcome(executed, {}, io);
    assertPlain(io, JSON.stringify(options));
    assert.match(io.out(), /results: results\/x\/\n$/);
  }
  for (const options of COLORED) {
    const io = fakeIo(options);
    printRunOutcome(executed, {}, io);
    assert.ok(io.out().includes(ESC), JSON.stringify(options));
  }
  const json = fakeIo({ isTTY: true });
  printRunOutcome(executed, { json: true }, json);
  assert.equal(JSON.parse(json.out()).scenario.name, 'no-pooling');
});

test('demo: the comparison is plain with NO_COLOR or off a terminal, coloured on one', async () => {
  const runs = [
    { summary: await loadFixture('no-pooling'), dir: 'results/a' },
    { summary: await loadFixture('keep-alive-pool'), dir: 'results/b' },
  ];
  for (const options of PLAIN) {
    const io = fakeIo(options);
    printDemoOutcome(runs, io);
    assertPlain(io, JSON.stringify(options));
    assert.match(io.out(), /reports: results\/a\/report\.html {2}results\/b\/report\.html\n$/);
  }
  const io = fakeIo({ isTTY: true });
  printDemoOutcome(runs, io);
  assert.ok(io.out().includes(ESC));
});

test('report: plain with NO_COLOR or off a terminal, coloured on one (through runCli)', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'portlab-color-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'no-pooling');
  await cp(fixtureDir('no-pooling'), dir, { recursive: true, filter: (src) => !src.endsWith('.expected.md') });
  for (const options of PLAIN) {
    const io = fakeIo(options);
    assert.equal(await runCli(['report', dir], io), 0, io.err());
    assertPlain(io, JSON.stringify(options));
  }
  for (const options of COLORED) {
    const io = fakeIo(options);
    assert.equal(await runCli(['report', dir], io), 0, io.err());
    assert.ok(io.out().includes(ESC), JSON.stringify(options));
  }
});

test('predict and validate print plain text with NO_COLOR and off a terminal (through runCli)', async () => {
  const scenario = new URL('scenarios/no-pooling.yaml', REPO_ROOT).pathname;
  for (const options of PLAIN) {
    for (const args of [['predict', '--rate', '500'], ['validate', scenario]]) {
      const io = fakeIo(options);
      assert.equal(await runCli(args, io), 0, io.err());
      assertPlain(io, `${args[0]} ${JSON.stringify(options)}`);
    }
  }
});

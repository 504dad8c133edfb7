import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { reportError } from '../../src/cli/output.js';
import { runValidate, type FileReport } from '../../src/cli/validate.js';
import { PortlabError } from '../../src/errors/index.js';
import { fakeProber } from '../helpers/sysctl-prober.js';

// dist/test/cli/ -> repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = 'test/fixtures/scenarios/';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/portlab.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PORTLAB_DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const STACK_LINE = /^\s+at /m;

async function validate(files: string[], json = false): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runValidate({ files: files.map((f) => `${root}${fixtures}${f}`), json }, (chunk) => (text += chunk), { probeSysctls: fakeProber() });
  return { code, text };
}

test('a good file: exit 0 and an ok line naming the scenario', async () => {
  const { code, text } = await validate(['minimal.yaml']);
  assert.equal(code, 0);
  assert.match(text, /minimal\.yaml: ok \(minimal, 10s, churn at 100\/s\)/);
});

test('a warning alone still passes, and is printed as a warning', async () => {
  const { code, text } = await validate(['odd-range.yaml']);
  assert.equal(code, 0);
  assert.match(text, /odd-range\.yaml:5:35: warning: /);
});

test('any file with an error: exit 2, every file still reported', async () => {
  const { code, text } = await validate(['minimal.yaml', 'three-mistakes.yaml', 'no-such.yaml']);
  assert.equal(code, 2);
  assert.match(text, /minimal\.yaml: ok/);
  assert.equal(text.match(/three-mistakes\.yaml:\d+:\d+: /g)?.length, 3);
  assert.match(text, /no-such\.yaml: scenario file not found/);
});

test('--json: a list with file, ok, the resolved scenario and located problems', async () => {
  const { code, text } = await validate(['minimal.yaml', 'zero-rate.yaml'], true);
  assert.equal(code, 2);
  const reports = JSON.parse(text) as FileReport[];
  assert.deepEqual(reports.map((r) => r.ok), [true, false]);
  assert.equal(reports[0]!.scenario?.durationMs, 10_000);
  assert.equal(reports[1]!.scenario, undefined);
  assert.deepEqual(reports[1]!.problems.map((p) => [p.path, p.line, p.col]), [[['client', 'rate'], 4, 9]]);
});

test('reportError: a PortlabError prints message, details and hint, and keeps its exit code', () => {
  const err = new PortlabError('SCENARIO_INVALID', 'x.yaml: 1 problem in the scenario', { details: ['x.yaml:1:1: duration: missing'], hint: 'fix it' });
  const report = reportError(err, false);
  assert.equal(report.exitCode, 2);
  assert.deepEqual(report.text.trimEnd().split('\n'), ['portlab: x.yaml: 1 problem in the scenario', 'x.yaml:1:1: duration: missing', 'hint: fix it']);
});

test('reportError: anything else is an internal error, exit 4, stack only when debugging', () => {
  const quiet = reportError(new TypeError('boom'), false);
  assert.equal(quiet.exitCode, 4);
  assert.match(quiet.text, /^portlab: internal error: boom\n/);
  assert.doesNotMatch(quiet.text, STACK_LINE);
  assert.match(reportError(new TypeError('boom'), true).text, STACK_LINE);
});

test('`portlab validate <bad file>` exits 2 with three located lines and no stack', () => {
  const { status, stdout, stderr } = cli('validate', `${fixtures}three-mistakes.yaml`);
  assert.equal(status, 2);
  const located = stdout.split('\n').filter((line) => /^test\/fixtures\/scenarios\/three-mistakes\.yaml:\d+:\d+: /.test(line));
  assert.equal(located.length, 3);
  assert.doesNotMatch(stdout + stderr, STACK_LINE);
});

test('usage errors exit 2 with a one-line message and no stack', () => {
  for (const args of [[], ['valdate', 'x.yaml'], ['validate'], ['validate', '--no-such-flag', 'x.yaml']]) {
    const { status, stderr } = cli(...args);
    assert.equal(status, 2, args.join(' '));
    assert.match(stderr, /^portlab: /, args.join(' '));
    assert.doesNotMatch(stderr, STACK_LINE, args.join(' '));
  }
  assert.match(cli('valdate', 'x.yaml').stderr, /validate/);
});

test('--help of portlab and of validate show examples; --version prints the package version', () => {
  const main = cli('--help');
  assert.equal(main.status, 0);
  assert.match(main.stdout, /Examples:/);
  assert.match(main.stdout, /validate/);
  const sub = cli('validate', '--help');
  assert.equal(sub.status, 0);
  assert.match(sub.stdout, /Examples:/);
  assert.match(cli('--version').stdout, /^\d+\.\d+\.\d+/);
});

test('validate checks compare files: the cells it plans, or every located problem (exit 2)', async () => {
  const files: Record<string, string> = {
    'ok.yaml': 'base:\n  name: b\n  duration: 5s\n  client: { rate: 10 }\nmatrix:\n  tw-reuse: [0, 1]\n',
    'bad.yaml': 'base:\n  duration: 5s\n  client: { rate: 10 }\nmatrix:\n  tw-reuze: [0, 1]\n  rate: [1, x]\n',
  };
  const read = (p: string): string => files[p] ?? '';
  let out = '';
  const deps = { readFile: read, probeSysctls: fakeProber() };
  assert.equal(await runValidate({ files: ['ok.yaml'] }, (t) => (out += t), deps), 0);
  assert.equal(out, 'ok.yaml: ok (compare, 2 cells: tw-reuse=0 tw-reuse=1)\n');
  out = '';
  assert.equal(await runValidate({ files: ['bad.yaml'] }, (t) => (out += t), deps), 2);
  assert.equal(
    out,
    'bad.yaml:5:3: matrix.tw-reuze: "tw-reuze" is not a `portlab run` flag; did you mean "tw-reuse"?\n' +
      'bad.yaml:6:13: client.rate: expected a rate like "100/s" or "6000/m", got "x"\n',
  );
});

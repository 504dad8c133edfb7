import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCompareText, MAX_CELLS } from '../../src/config/compare-file.js';
import { formatProblem } from '../../src/config/problems.js';

const BASE = `base:
  name: cmp
  duration: 5s
  lab:
    sysctls:
      net.ipv4.ip_local_port_range: 40000 40199
  target: { ports: [9000] }
  client: { pattern: churn, close: client, rate: 100/s }
`;

const check = (text: string, extra: Parameters<typeof checkCompareText>[0] extends infer T ? Partial<T> : never = {}) =>
  checkCompareText({ text, fileName: 'c.yaml', ...extra });

test('a matrix crosses its values; cells are named by flag=value and carry their overrides', () => {
  const { plan, problems } = check(`${BASE}matrix:\n  tw-reuse: [0, 1]\n  rate: [100/s, 400/s]\n`);
  assert.deepEqual(problems, []);
  assert.deepEqual(plan!.cells.map((c) => c.name), ['tw-reuse=0,rate=100/s', 'tw-reuse=0,rate=400/s', 'tw-reuse=1,rate=100/s', 'tw-reuse=1,rate=400/s']);
  const last = plan!.cells[3]!;
  assert.deepEqual(last.overrides, { 'tw-reuse': '1', rate: '400/s' });
  assert.equal(last.scenario.lab.sysctls['net.ipv4.tcp_tw_reuse'], '1');
  assert.deepEqual(last.scenario.client.stages.map((s) => s.ratePerSec), [400]);
  // The base's own values stay where no cell changes them.
  assert.equal(last.scenario.lab.sysctls['net.ipv4.ip_local_port_range'], '40000\t40199');
});

test('variants are named partial scenarios; when-expectations reach only the cells they match', () => {
  const text = `${BASE}variants:
  - { name: no-pool }
  - { name: pool-10, client: { pattern: pool, pool: { size: 10 } } }
matrix:
  tw-reuse: [0, 1]
expect:
  - when: { tw-reuse: 0 }
    eaddrnotavail: true
  - maxErrors: 7
`;
  const { plan, problems } = check(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(plan!.cells.map((c) => c.name), ['no-pool,tw-reuse=0', 'no-pool,tw-reuse=1', 'pool-10,tw-reuse=0', 'pool-10,tw-reuse=1']);
  const pool = plan!.cells[3]!;
  assert.equal(pool.variant, 'pool-10');
  assert.equal(pool.scenario.client.pattern, 'pool');
  assert.equal(pool.scenario.client.pool.size, 10);
  assert.equal(plan!.cells[0]!.scenario.expect.eaddrnotavail, true);
  assert.equal(pool.scenario.expect.eaddrnotavail, undefined);
  assert.equal(pool.scenario.expect.maxErrors, 7);
});

test('an unknown matrix flag is located at its key with a suggestion; a bad value at that list item', () => {
  const text = `${BASE}matrix:\n  tw-reuze: [0, 1]\n  rate: [100/s, fast]\n`;
  const { plan, problems } = check(text);
  assert.equal(plan, undefined);
  assert.deepEqual(problems.map(formatProblem), [
    'c.yaml:10:3: matrix.tw-reuze: "tw-reuze" is not a `portlab run` flag; did you mean "tw-reuse"?',
    'c.yaml:11:17: client.rate: expected a rate like "100/s" or "6000/m", got "fast"',
  ]);
});

test('a problem in the base is located in the compare file, and reported once for all cells', () => {
  const text = BASE.replace('rate: 100/s', 'rate: 100/s, pattren: churn') + 'matrix:\n  tw-reuse: [0, 1]\n';
  const { problems } = check(text);
  assert.equal(problems.length, 1);
  assert.match(formatProblem(problems[0]!), /^c\.yaml:8:57: client\.pattren: unknown key "pattren" \(did you mean "pattern"\?\)$/);
});

test('--set crosses every input and is located at the flag; unknown --set flags are refused', () => {
  const { plan } = check(BASE.replace('base:', 'base:') + 'matrix:\n  close: [client, server]\n', { set: [{ flag: 'tw-reuse', values: ['0', '1'] }] });
  assert.deepEqual(plan!.cells.map((c) => c.name), ['close=client,tw-reuse=0', 'close=client,tw-reuse=1', 'close=server,tw-reuse=0', 'close=server,tw-reuse=1']);
  const bad = check(`${BASE}matrix:\n  close: [client]\n`, { set: [{ flag: 'rat', values: ['1'] }] });
  assert.deepEqual(bad.problems.map(formatProblem), ['--set rat: "rat" is not a `portlab run` flag; did you mean "rate"?']);
});

test('a plain scenario file is one cell named after the scenario', () => {
  const text = BASE.replace(/^base:\n/, '').replace(/^ {2}/gm, '');
  const { plan, problems } = check(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(plan!.cells.map((c) => c.name), ['cmp']);
});

test('more cells than the limit is one error at the matrix', () => {
  const values = Array.from({ length: 9 }, (_, i) => String(100 + i)).join(', ');
  const { problems } = check(`${BASE}matrix:\n  rate: [${values}]\n  workers: [1, 2, 3, 4, 5, 6, 7, 8]\n`);
  assert.equal(MAX_CELLS, 64);
  assert.deepEqual(problems.map(formatProblem), ['c.yaml:10:3: matrix: 72 cells is more than the 64 a comparison may have']);
});

test('scenario: PATH reads the base from a file relative to the compare file', () => {
  const files: Record<string, string> = { '/x/base.yaml': BASE.replace(/^base:\n/, '').replace(/^ {2}/gm, '') };
  const { plan, problems } = checkCompareText({
    text: 'scenario: base.yaml\nmatrix:\n  close: [client, reset]\n',
    fileName: '/x/c.yaml',
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return text;
    },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(plan!.cells.map((c) => c.scenario.client.close), ['client', 'reset']);
});

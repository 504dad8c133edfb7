import { fakeProber } from '../helpers/sysctl-prober.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLAIMS_DIR, checkCatalog, loadCatalog } from '../../src/claims/catalog.js';
import { checkClaimText } from '../../src/claims/file.js';
import { validateFiles } from '../../src/cli/validate.js';
import { formatProblem } from '../../src/config/problems.js';
import { isPortlabError } from '../../src/errors/index.js';

const HEAD = `id: 4
title: fin timeout
claim: Lowering tcp_fin_timeout frees ports sooner.
source: tuning guides
behaviour: TIME_WAIT lasts 60 s.
`;
const BASE = `base:
  name: fin
  duration: 2s
  lab: { sysctls: { net.ipv4.ip_local_port_range: 40000 40099 } }
  client: { rate: 100/s }
matrix:
  fin-timeout: [60, 1]
`;

const check = (text: string) => checkClaimText({ text, fileName: 'c.yaml' });
const lines = (text: string) => check(text).problems.map(formatProblem);

test('a claim on a compare body: its cells, verdict checks, default figures and measured sentence', () => {
  const text = `${HEAD}expected: refuted
${BASE}measured: "{connected[fin-timeout=1]} vs {connected[fin-timeout=60]} connections"
verdicts:
  refuted:
    - connected[fin-timeout=1] == connected[fin-timeout=60]
  confirmed:
    - connected[fin-timeout=1] > 1.5 * connected[fin-timeout=60]
`;
  const { claim, problems } = check(text);
  assert.deepEqual(problems, []);
  assert.equal(claim!.id, 4);
  assert.equal(claim!.expected, 'refuted');
  assert.deepEqual(claim!.cells.map((c) => c.name), ['fin-timeout=60', 'fin-timeout=1']);
  assert.equal(claim!.cells[1]!.scenario.lab.sysctls['net.ipv4.tcp_fin_timeout'], '1');
  assert.deepEqual(claim!.verdicts.map((v) => [v.verdict, v.checks.map((c) => c.text)]), [
    ['refuted', ['connected[fin-timeout=1] == connected[fin-timeout=60]']],
    ['confirmed', ['connected[fin-timeout=1] > 1.5 * connected[fin-timeout=60]']],
  ]);
  assert.deepEqual(claim!.figures, ['connected', 'errors', 'onsetS', 'peakClientTimeWait']);
  assert.deepEqual(claim!.measured.map((p) => ('text' in p ? p.text : `{${p.source}}`)), ['{connected[fin-timeout=1]}', ' vs ', '{connected[fin-timeout=60]}', ' connections']);
});

test('a probe claim needs no base; a figure alone names its only cell', () => {
  const text = `${HEAD}expected: refuted
probes:
  - { name: order, kind: ports-chosen, connections: 20, sysctls: { net.ipv4.ip_local_port_range: 40000 40019 } }
verdicts:
  refuted:
    - sequential == 0
`;
  const { claim, problems } = check(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(claim!.cells, []);
  assert.deepEqual(claim!.probes, [{ name: 'order', kind: 'ports-chosen', connections: 20, bindPort: undefined, rangeSize: undefined, rounds: undefined, sysctls: { 'net.ipv4.ip_local_port_range': '40000 40019' } }]);
  assert.deepEqual(claim!.figures, ['connected', 'ports']);
});

test('a pending claim runs nothing and needs no verdict', () => {
  const { claim, problems } = check(`${HEAD}pending: needs the NAT lab\n`);
  assert.deepEqual(problems, []);
  assert.equal(claim!.pending, 'needs the NAT lab');
  assert.deepEqual([claim!.cells, claim!.probes, claim!.verdicts], [[], [], []]);
});

test('checks are validated against the cells: unknown cell, unknown figure, bare figure with two cells, bad syntax', () => {
  const text = `${HEAD}expected: refuted
${BASE}verdicts:
  refuted:
    - connected[fin-timeout=10] == 100
    - conected[fin-timeout=1] == 100
    - connected == 100
    - connected[fin-timeout=1] = 100
  confirmd:
    - connected[fin-timeout=1] > 0
`;
  assert.deepEqual(lines(text), [
    'c.yaml:16:7: verdicts.refuted[0]: no cell is named "fin-timeout=10"; did you mean "fin-timeout=60"?',
    'c.yaml:17:7: verdicts.refuted[1]: "conected" is not a figure of a run; did you mean "connected"?',
    'c.yaml:18:7: verdicts.refuted[2]: "connected" needs its cell: connected[CELL], one of fin-timeout=60, fin-timeout=1',
    'c.yaml:19:7: verdicts.refuted[3]: unexpected "=" (at column 26 of "connected[fin-timeout=1] = 100")',
    'c.yaml:20:3: verdicts.confirmd: "confirmd" is not a verdict (confirmed, confirmed-with-caveat, refuted); did you mean "confirmed"?',
  ]);
});

test('claim keys and the compare part are located in one list: unknown keys, a bad flag, a bad expected', () => {
  const text = `${HEAD}expected: wrong
sorce: typo
base:
  name: fin
  duration: 2s
matrix:
  fin-timout: [60]
verdicts:
  refuted:
    - connected > 0
`;
  assert.deepEqual(lines(text), [
    'c.yaml:6:11: expected: expected one of confirmed, confirmed-with-caveat, refuted',
    'c.yaml:7:1: sorce: unknown key "sorce" in a compare file; did you mean "source"?',
    'c.yaml:9:3: client.rate: missing; give a rate like "100/s", or client.stages',
    'c.yaml:12:3: matrix.fin-timout: "fin-timout" is not a `portlab run` flag; did you mean "fin-timeout"?',
  ]);
});

test('a caveat verdict needs caveat:, expected needs checks, a pending claim cannot run cells, probes are checked', () => {
  assert.deepEqual(lines(`${HEAD}expected: confirmed-with-caveat\n${BASE}verdicts:\n  refuted:\n    - connected[fin-timeout=1] > 0\n`), [
    'c.yaml:1:1: a claim that can be confirmed with a caveat needs caveat: (when it does not hold)',
    'c.yaml:6:11: expected: no checks under verdicts: decide "confirmed-with-caveat"',
  ]);
  assert.deepEqual(lines(`${HEAD}pending: later\nexpected: refuted\n`), ['c.yaml:7:1: expected: a pending claim runs nothing: drop this key or the pending: line']);
  const probe = `${HEAD}expected: confirmed
probes:
  - { name: p, kind: bind-in-ranges, bindPort: 70000, sysctls: { kernel.pid_max: 5 }, extra: 1 }
  - { name: q, kind: bind-in-range }
  - { name: r, kind: range-fill, rangeSize: 1 }
verdicts:
  confirmed:
    - held[q] > 0
`;
  assert.deepEqual(lines(probe), [
    'c.yaml:8:22: probes[0].kind: expected a probe kind: ports-chosen, bind-in-range, range-fill',
    'c.yaml:8:48: probes[0].bindPort: expected a whole number from 1 to 65535',
    'c.yaml:8:66: probes[0].sysctls.kernel.pid_max: only net.* sysctls can be set in a lab',
    'c.yaml:8:87: probes[0].extra: unknown key "extra" in a probe',
    'c.yaml:9:5: probes[1]: a bind-in-range probe needs bindPort: the port the service binds',
    'c.yaml:10:5: probes[2]: a range-fill probe needs rangeSize: and rounds:',
    'c.yaml:10:45: probes[2].rangeSize: expected a whole number from 2 to 100',
  ]);
});

test('missing essentials and a non-mapping are located at the top', () => {
  assert.deepEqual(lines('id: 0\n'), [
    'c.yaml:1:1: a claim needs title:',
    'c.yaml:1:1: a claim needs claim:',
    'c.yaml:1:1: a claim needs source:',
    'c.yaml:1:1: a claim needs behaviour:',
    'c.yaml:1:1: a claim needs expected: (confirmed, confirmed-with-caveat, refuted)',
    'c.yaml:1:1: a claim needs cells: base: or scenario: (with matrix: or variants:), or probes:',
    'c.yaml:1:1: verdicts: expected a mapping of verdicts (confirmed, confirmed-with-caveat, refuted) to lists of checks',
    'c.yaml:1:5: id: a claim needs id: a whole number from 1 (its place in the catalog)',
  ]);
  assert.deepEqual(lines('- a\n'), ['c.yaml:1:1: a claim file must be a mapping with id:, claim:, source:, expected:, verdicts: and cells (base:, probes:)']);
});

test('the shipped catalog loads: every claim of the issue, the pending ones without cells', () => {
  const { claims, problems } = checkCatalog(CLAIMS_DIR);
  assert.deepEqual(problems.filter((p) => p.severity === 'error').map(formatProblem), []);
  assert.deepEqual(claims.map((c) => c.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  assert.deepEqual(claims.filter((c) => c.pending !== undefined).map((c) => c.id), []);
  assert.deepEqual(claims.map((c) => c.expected ?? null), [
    'confirmed', 'confirmed', 'confirmed', 'refuted', 'confirmed-with-caveat', 'refuted', 'confirmed-with-caveat', 'refuted', 'confirmed',
    'confirmed-with-caveat', 'confirmed', 'confirmed', 'refuted', 'refuted', 'confirmed-with-caveat', 'confirmed-with-caveat', 'confirmed', 'confirmed',
  ]);
});

test('loadCatalog picks ids, refuses unknown ones and two files with one id', () => {
  const io = (files: Record<string, string>) => ({ readDir: () => Object.keys(files), readFile: (p: string) => files[p.split('/').pop()!]! });
  const claimFile = (id: number) => `id: ${id}\ntitle: t\nclaim: c\nsource: s\nbehaviour: b\npending: later\n`;
  assert.deepEqual(loadCatalog('/x', [2], io({ 'a.yaml': claimFile(1), 'b.yaml': claimFile(2) })).map((c) => c.id), [2]);
  assert.throws(() => loadCatalog('/x', [3], io({ 'a.yaml': claimFile(1) })), (err) => isPortlabError(err) && err.code === 'USAGE');
  assert.throws(() => loadCatalog('/x', [], io({ 'a.yaml': claimFile(1), 'b.yaml': claimFile(1) })), (err) => isPortlabError(err) && err.code === 'SCENARIO_INVALID');
});

test('portlab validate checks claim files as claims: their cells and probes, or every located problem', async () => {
  const files: Record<string, string> = {
    'ok.yaml': `${HEAD}expected: refuted\n${BASE}verdicts:\n  refuted:\n    - connected[fin-timeout=1] == 100\n`,
    'bad.yaml': `${HEAD}expected: refuted\nprobes:\n  - { name: p, kind: ports-chosen }\nverdicts:\n  refuted:\n    - sequentail[p] == 0\n`,
  };
  const reports = await validateFiles(['ok.yaml', 'bad.yaml'], { probeSysctls: fakeProber(), readFile: (path) => files[path]! });
  assert.deepEqual(reports.map((r) => [r.file, r.ok, r.cells ?? null, r.problems.map(formatProblem)]), [
    ['ok.yaml', true, ['fin-timeout=60', 'fin-timeout=1'], []],
    ['bad.yaml', false, null, ['bad.yaml:11:7: verdicts.refuted[0]: "sequentail" is not a figure of a ports-chosen probe; did you mean "sequential"?']],
  ]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INPUT_LIMITS } from '../../src/config/bounds.js';
import { checkScenarioFile, checkScenarioText, loadScenarioText } from '../../src/config/loader.js';
import { capProblems, countErrors, formatPath, type LocatedProblem } from '../../src/config/problems.js';
import { PortlabError } from '../../src/errors/index.js';

const VALID = 'duration: 1s\nclient: { rate: 1 }\n';

/** [path, line, col, severity] of each problem. */
const where = (problems: LocatedProblem[]) => problems.map((p) => [formatPath(p.path), p.line, p.col, p.severity]);

function onlyError(text: string): LocatedProblem {
  const { scenario, problems } = checkScenarioText(text, 'x.yaml');
  assert.equal(scenario, undefined);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  return problems[0]!;
}

test('20,000 unknown keys: every one is a problem, the first 100 are listed and one line counts the rest', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1\n`).join('');
  const { scenario, problems } = checkScenarioText(`${VALID}${keys}`, 'x.yaml');
  assert.equal(scenario, undefined);
  assert.equal(problems.length, 101);
  // In file order: k0 on line 3, k99 on line 102.
  assert.deepEqual(where(problems.slice(0, 2)), [['k0', 3, 1, 'error'], ['k1', 4, 1, 'error']]);
  assert.deepEqual(where([problems[99]!]), [['k99', 102, 1, 'error']]);
  const more = problems[100]!;
  assert.deepEqual(more.omitted, { errors: 19_900, warnings: 0 });
  assert.equal(more.location, 'x.yaml');
  assert.match(more.message, /^and 19900 more problems/);
  assert.equal(countErrors(problems), 20_000);
});

test('a scenario that fails with a capped list says how many problems it has', () => {
  const keys = Array.from({ length: 150 }, (_, i) => `k${i}: 1\n`).join('');
  try {
    loadScenarioText(`${VALID}${keys}`, 'x.yaml');
    assert.fail('expected a throw');
  } catch (err) {
    assert.ok(err instanceof PortlabError);
    assert.equal(err.code, 'SCENARIO_INVALID');
    assert.equal(err.exitCode, 2);
    assert.equal(err.details.length, 101);
    assert.match(err.message, /150 problems/);
  }
});

test('capProblems keeps short lists and counts warnings apart from errors', () => {
  const p = (severity: 'error' | 'warning'): LocatedProblem => ({ severity, path: [], message: 'm', location: 'f' });
  assert.equal(capProblems([p('error'), p('warning')], 'f', 2).length, 2);
  const capped = capProblems([p('error'), p('warning'), p('warning'), p('warning')], 'f', 1);
  assert.equal(capped.length, 2);
  assert.deepEqual(capped[1]!.omitted, { errors: 0, warnings: 3 });
  assert.equal(capped[1]!.severity, 'warning');
  // Capping again counts what the first "and N more" stood for.
  assert.deepEqual(capProblems([p('error'), ...capped], 'f', 1)[1]!.omitted, { errors: 1, warnings: 3 });
});

test('an alias bomb is one located error (exit 2), not an internal error', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const c of 'bcdefghi') lines.push(`${c}: &${c} [${Array(9).fill(`*${String.fromCharCode(c.charCodeAt(0) - 1)}`).join(', ')}]`);
  const problem = onlyError(`${lines.join('\n')}\n${VALID}`);
  assert.equal(problem.severity, 'error');
  assert.ok(problem.line !== undefined && problem.line <= 9, `line ${problem.line}`);
  assert.match(problem.message, /aliases expanded/);
});

test('an alias inside the node it names is refused (it would be a cycle)', () => {
  assert.deepEqual(where([onlyError(`${VALID}a: &x [*x]\n`)]), [['', 3, 8, 'error']]);
});

test('a few aliases below the limits load as their expansion', () => {
  const { scenario } = loadScenarioText('duration: &d 2s\nclient: { rate: 1, connectTimeout: *d }\n', 'x.yaml');
  assert.equal(scenario.client.connectTimeoutMs, 2000);
});

test('more aliases than the limit are refused', () => {
  const aliases = Array.from({ length: INPUT_LIMITS.aliases + 1 }, () => '*d').join(', ');
  const problem = onlyError(`duration: &d 2s\nclient: { rate: 1 }\nx: [${aliases}]\n`);
  assert.match(problem.message, /more than 100 aliases/);
});

test('nesting deeper than the limit is located at the first level too deep', () => {
  const depth = INPUT_LIMITS.depth + 4;
  const problem = onlyError(`${VALID}x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
  // The top-level map is level 1 and x's list level 2, so the 17th level opens at column 4 + 15.
  assert.deepEqual(where([problem]), [['', 3, 19, 'error']]);
});

test('a file over 1 MiB is refused at 1:1 without being parsed', () => {
  const problem = onlyError(`description: "${'x'.repeat(INPUT_LIMITS.fileBytes)}"\n`);
  assert.deepEqual(where([problem]), [['', 1, 1, 'error']]);
});

test('an endless file is read only up to the limit', () => {
  const { problems } = checkScenarioFile('/dev/zero');
  assert.deepEqual(problems.map((p) => p.location), ['/dev/zero:1:1']);
});

test('a long text and a long key are refused, located', () => {
  const text = onlyError(`${VALID}description: ${'x'.repeat(INPUT_LIMITS.stringChars + 1)}\n`);
  assert.deepEqual(where([text]), [['', 3, 14, 'error']]);
  const key = onlyError(`${VALID}${'k'.repeat(INPUT_LIMITS.keyChars + 1)}: 1\n`);
  assert.deepEqual(where([key]), [['', 3, 1, 'error']]);
});

test('a description longer than reports carry is refused at the description', () => {
  const problem = onlyError(`${VALID}description: ${'x'.repeat(2001)}\n`);
  assert.deepEqual(where([problem]), [['description', 3, 14, 'error']]);
});

test('a key twice in one mapping is located at the second one', () => {
  assert.deepEqual(where([onlyError(`${VALID}duration: 2s\n`)]), [['', 3, 1, 'error']]);
});

test('more than the limit of entries (a long list) is refused once', () => {
  const items = Array.from({ length: INPUT_LIMITS.entries + 10 }, () => '1').join(',');
  const problem = onlyError(`${VALID}x: [${items}]\n`);
  assert.match(problem.message, /more than 50000 keys and list items/);
});

test('long lists in the schema are capped, located at the list', () => {
  const ports = Array.from({ length: 1001 }, (_, i) => 1000 + i).join(', ');
  const problem = onlyError(`${VALID}target: { ports: [${ports}] }\n`);
  assert.deepEqual(where([problem]), [['target.ports', 3, 18, 'error']]);
});

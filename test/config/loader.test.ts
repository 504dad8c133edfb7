import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  checkScenarioFile,
  checkScenarioText,
  loadScenarioFile,
  loadScenarioText,
  scenarioFromFlags,
} from '../../src/config/loader.js';
import { formatPath, formatProblem, type LocatedProblem } from '../../src/config/problems.js';
import { PortlabError } from '../../src/errors/index.js';

// dist/test/config/ -> the repository's test/fixtures/scenarios/.
const fixtures = fileURLToPath(new URL('../../../test/fixtures/scenarios/', import.meta.url));
const fixture = (name: string) => `${fixtures}${name}`;

const errorsOf = (name: string): LocatedProblem[] => checkScenarioFile(fixture(name)).problems.filter((p) => p.severity === 'error');

/** [path, line, col] of each problem, the part of a message that must not drift. */
const where = (problems: LocatedProblem[]) => problems.map((p) => [formatPath(p.path), p.line, p.col]);

function invalid(fn: () => unknown): PortlabError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PortlabError, `expected a PortlabError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

test('three mistakes give three located problems, in file order', () => {
  const err = invalid(() => loadScenarioFile(fixture('three-mistakes.yaml')));
  assert.equal(err.code, 'SCENARIO_INVALID');
  assert.equal(err.exitCode, 2);
  assert.equal(err.details.length, 3);
  const file = fixture('three-mistakes.yaml');
  assert.deepEqual(
    err.details.map((line) => line.split(': ').slice(0, 2).join(': ')),
    [`${file}:3:11: duration`, `${file}:5:3: client.patern`, `${file}:6:9: client.rate`],
  );
});

test('an unknown key points at the key and suggests the closest allowed key', () => {
  const [problem] = errorsOf('three-mistakes.yaml').filter((p) => formatPath(p.path) === 'client.patern');
  assert.ok(problem);
  assert.match(problem.message, /did you mean "pattern"\?/);
  // The missing "duration" is the typo's consequence, not a second problem.
  const unknownTop = checkScenarioText('durration: 10s\nclient: { rate: 1 }\n', 'x.yaml').problems;
  assert.deepEqual(where(unknownTop), [['durration', 1, 1]]);
  assert.match(unknownTop[0]!.message, /did you mean "duration"\?/);
});

test('an unknown key with nothing close lists the allowed keys instead', () => {
  const [problem] = checkScenarioText('duration: 1s\nclient: { rate: 1, zzzzzzzz: 1 }\n', 'x.yaml').problems;
  assert.ok(problem);
  assert.doesNotMatch(problem.message, /did you mean/);
  assert.match(problem.message, /workers/);
});

test('an unknown pattern is located at its value and suggests the closest pattern', () => {
  const errors = errorsOf('unknown-pattern.yaml');
  assert.deepEqual(where(errors), [['client.pattern', 4, 12]]);
  assert.match(errors[0]!.message, /did you mean "churn"\?/);
});

test('each kind of mistake gets its own located problem', () => {
  const cases: Array<[string, string, number, number]> = [
    ['zero-rate.yaml', 'client.rate', 4, 9],
    ['bad-range.yaml', 'lab.sysctls.net.ipv4.ip_local_port_range', 5, 35],
    ['range-out-of-bounds.yaml', 'lab.sysctls.net.ipv4.ip_local_port_range', 5, 35],
    ['range-one-number.yaml', 'lab.sysctls.net.ipv4.ip_local_port_range', 5, 35],
    ['bad-value.json', 'client.workers', 6, 16],
    // Missing: located at the map that lacks it (the top-level map here).
    ['unbounded.yaml', 'duration', 1, 1],
  ];
  const messages = new Set<string>();
  for (const [name, path, line, col] of cases) {
    const errors = errorsOf(name);
    assert.deepEqual(where(errors), [[path, line, col]], name);
    messages.add(errors[0]!.message);
  }
  assert.equal(messages.size, cases.length, 'every kind of mistake has a message of its own');
});

test('negative, zero and missing durations are three different problems', () => {
  const text = (duration: string) => `${duration}client:\n  rate: 10/s\n`;
  const negative = checkScenarioText(text('duration: -5s\n'), 'x.yaml').problems;
  const zero = checkScenarioText(text('duration: 0s\n'), 'x.yaml').problems;
  const missing = checkScenarioText(text(''), 'x.yaml').problems;
  for (const problems of [negative, zero, missing]) assert.deepEqual(problems.map((p) => formatPath(p.path)), ['duration']);
  assert.equal(new Set([negative, zero, missing].map((p) => p[0]!.message)).size, 3);
});

test('stages bound a run without a duration', () => {
  const { scenario, warnings } = loadScenarioFile(fixture('stages.yaml'));
  assert.deepEqual(warnings, []);
  assert.equal(scenario.durationMs, 10_000);
  assert.deepEqual(scenario.client.stages.map((s) => s.ratePerSec), [50, 200]);
});

test('a YAML syntax error is one located problem', () => {
  const errors = errorsOf('syntax-error.yaml');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /^YAML syntax error: /);
  assert.ok(errors[0]!.line! >= 4 && errors[0]!.line! <= 5, `line ${errors[0]!.line}`);
  assert.equal(invalid(() => loadScenarioFile(fixture('syntax-error.yaml'))).code, 'SCENARIO_INVALID');
});

test('a file whose top level is not a mapping is an error, empty included', () => {
  for (const name of ['list.yaml', 'empty.yaml']) {
    assert.deepEqual(where(errorsOf(name)), [['', 1, 1]], name);
    assert.equal(invalid(() => loadScenarioFile(fixture(name))).code, 'SCENARIO_INVALID');
  }
});

test('an odd-sized port range loads, with a located warning', () => {
  const { scenario, warnings } = loadScenarioFile(fixture('odd-range.yaml'));
  assert.equal(scenario.lab.sysctls['net.ipv4.ip_local_port_range'], '40000\t40010');
  assert.deepEqual(where(warnings), [['lab.sysctls.net.ipv4.ip_local_port_range', 5, 35]]);
  assert.equal(warnings[0]!.severity, 'warning');
  assert.match(formatProblem(warnings[0]!), /:5:35: warning: /);
});

test('problems hidden behind the first failure are reported too', () => {
  const problems = checkScenarioFile(fixture('hidden-problems.yaml')).problems;
  assert.deepEqual(
    problems.map((p) => formatPath(p.path)).sort(),
    ['client.wrokers', 'duration', 'lab.sysctls.kernel.pid_max', 'lab.sysctls.net.ipv4.ip_local_port_range'],
  );
});

test('a dropped bad value does not cause made-up follow-on problems', () => {
  // ports is bad; without it the default 9000 would make destination 9001 look wrong too.
  const text = 'duration: 1s\ntarget: { ports: [9001, "x"] }\nclient: { rate: 1, destinations: ["127.0.0.1:9001"] }\n';
  assert.deepEqual(where(checkScenarioText(text, 'x.yaml').problems), [['target.ports[1]', 2, 25]]);
});

test('defaults are applied to a minimal file', () => {
  const { scenario, warnings } = loadScenarioFile(fixture('minimal.yaml'));
  assert.deepEqual(warnings, []);
  assert.equal(scenario.name, 'minimal');
  assert.equal(scenario.sourceFile, fixture('minimal.yaml'));
  assert.equal(scenario.durationMs, 10_000);
  assert.equal(scenario.lab.kind, 'auto');
  assert.equal(scenario.lab.sysctls['net.ipv4.tcp_tw_reuse'], '0');
  assert.deepEqual(scenario.target.ports, [9000]);
  assert.deepEqual(scenario.client.destinations, [{ host: '127.0.0.1', port: 9000 }]);
  assert.deepEqual(scenario.client.stages, [{ durationMs: 10_000, ratePerSec: 100 }]);
  assert.equal(scenario.client.pattern, 'churn');
  assert.equal(scenario.client.workers, 2);
  assert.equal(scenario.sampler.sockstatIntervalMs, 100);
});

test('a JSON file loads like the same YAML', () => {
  const json = loadScenarioFile(fixture('minimal.json')).scenario;
  const yaml = loadScenarioFile(fixture('minimal.yaml')).scenario;
  assert.deepEqual({ ...json, sourceFile: undefined }, { ...yaml, sourceFile: undefined });
});

test('flags override the file', () => {
  const { scenario } = loadScenarioFile(fixture('minimal.yaml'), [
    { path: ['client', 'rate'], value: '250', flag: '--rate' },
    { path: ['lab', 'sysctls', 'net.ipv4.tcp_tw_reuse'], value: '1', flag: '--tw-reuse' },
  ]);
  assert.deepEqual(scenario.client.stages, [{ durationMs: 10_000, ratePerSec: 250 }]);
  assert.equal(scenario.lab.sysctls['net.ipv4.tcp_tw_reuse'], '1');
});

test('a problem in a value a flag set is located at the flag', () => {
  const problems = checkScenarioFile(fixture('minimal.yaml'), [
    { path: ['client', 'rate'], value: '0', flag: '--rate' },
    { path: ['lab', 'sysctls', 'net.ipv4.ip_local_port_range'], value: '40000 40010', flag: '--port-range' },
  ]).problems;
  assert.deepEqual(
    problems.map((p) => [p.location, p.severity]).sort(),
    [['--port-range', 'warning'], ['--rate', 'error']],
  );
  assert.ok(problems.every((p) => p.line === undefined));
});

test('a flag fixes a file problem', () => {
  const { scenario } = loadScenarioFile(fixture('zero-rate.yaml'), [{ path: ['client', 'rate'], value: 5, flag: '--rate' }]);
  assert.equal(scenario.client.stages[0]!.ratePerSec, 5);
});

test('an ad-hoc scenario from flags alone', () => {
  const { scenario } = scenarioFromFlags([
    { path: ['duration'], value: '2s', flag: '--duration' },
    { path: ['client', 'rate'], value: '20', flag: '--rate' },
  ]);
  assert.equal(scenario.name, 'adhoc');
  assert.equal(scenario.sourceFile, undefined);
  assert.deepEqual(scenario.client.stages, [{ durationMs: 2000, ratePerSec: 20 }]);

  const err = invalid(() => scenarioFromFlags([{ path: ['client', 'rate'], value: '20', flag: '--rate' }]));
  assert.equal(err.code, 'SCENARIO_INVALID');
  assert.equal(err.details.length, 1);
  assert.match(err.details[0]!, /^\(flags\): duration: .*--duration/);
});

test('a missing file is SCENARIO_NOT_FOUND; reading goes through the injected reader', () => {
  assert.equal(invalid(() => loadScenarioFile(fixture('no-such-file.yaml'))).code, 'SCENARIO_NOT_FOUND');
  const read = (path: string) => {
    assert.equal(path, 'virtual.yaml');
    return readFileSync(fixture('minimal.yaml'), 'utf8');
  };
  assert.equal(loadScenarioFile('virtual.yaml', [], read).scenario.name, 'minimal');
});

test('loadScenarioText throws with every error and warning as details', () => {
  const text = 'duration: 0s\nlab: { sysctls: { net.ipv4.ip_local_port_range: 40000 40010 } }\nclient: { rate: 10 }\n';
  const err = invalid(() => loadScenarioText(text, 'inline.yaml'));
  assert.equal(err.code, 'SCENARIO_INVALID');
  assert.deepEqual(
    err.details.map((d) => d.split(': ')[0]),
    ['inline.yaml:1:11', 'inline.yaml:2:49'],
  );
  assert.ok(err.hint);
});

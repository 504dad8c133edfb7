import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioText } from '../../src/config/loader.js';
import { formatPath } from '../../src/config/problems.js';

const check = (text: string) => checkScenarioText(text, 'x.yaml');
/** [path, severity, line, col] of each problem. */
const where = (text: string) => check(text).problems.map((p) => [formatPath(p.path), p.severity, p.line, p.col]);

const STAGES = 'client:\n  stages:\n    - { duration: 4s, rate: 10/s }\n    - { duration: 4s, rate: 20/s }\n';

test('stages alone: the run lasts their total, no warning', () => {
  const { scenario, problems } = check(STAGES);
  assert.deepEqual(problems, []);
  assert.equal(scenario?.durationMs, 8000);
});

test('stages that add up past the 1 h limit are an error at client.stages', () => {
  const text = 'client:\n  stages:\n    - { duration: 40m, rate: 1 }\n    - { duration: 40m, rate: 2 }\n';
  assert.deepEqual(where(text), [['client.stages', 'error', 3, 5]]);
});

test('a duration equal to the stages is silent', () => {
  assert.deepEqual(where(`duration: 8s\n${STAGES}`), []);
});

test('a shorter duration cuts the stages, with a warning at duration', () => {
  const { scenario } = check(`duration: 6s\n${STAGES}`);
  assert.deepEqual(where(`duration: 6s\n${STAGES}`), [['duration', 'warning', 1, 11]]);
  assert.equal(scenario?.durationMs, 6000);
  // The ramp from 10/s to 20/s is cut halfway: it ends at 15/s.
  assert.deepEqual(scenario?.client.stages, [{ durationMs: 4000, ratePerSec: 10 }, { durationMs: 2000, ratePerSec: 15 }]);
});

test('a longer duration holds the last rate, with a warning at duration', () => {
  const { scenario } = check(`duration: 10s\n${STAGES}`);
  assert.deepEqual(where(`duration: 10s\n${STAGES}`), [['duration', 'warning', 1, 11]]);
  assert.equal(scenario?.durationMs, 10_000);
  assert.deepEqual(scenario?.client.stages.at(-1), { durationMs: 2000, ratePerSec: 20 });
});

test('a rate that plans less than one start over the run is a warning, and the run keeps its duration', () => {
  const { scenario } = check('duration: 5s\nclient: { rate: 0.1 }\n');
  assert.deepEqual(where('duration: 5s\nclient: { rate: 0.1 }\n'), [['client.rate', 'warning', 2, 17]]);
  assert.equal(scenario?.durationMs, 5000);
});

/** The open-file need of a scenario, against a limit: pure, on fixtures and fake limits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileLimitProblems, filesNeeded, withFileLimitCheck } from '../../src/config/file-limit.js';
import { checkScenarioText } from '../../src/config/loader.js';
import { ensureFileLimit, type FileLimitDeps } from '../../src/driver/file-limit.js';
import { isPortlabError } from '../../src/errors/index.js';
import { parseFileLimit, type FileLimit } from '../../src/util/file-limit.js';
import { scenarioOf } from '../helpers/driver-events.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63704                63704                processes
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

test('parseFileLimit reads Max open files from /proc/self/limits', () => {
  assert.deepEqual(parseFileLimit(LIMITS), { soft: 1024, hard: 524288 });
  assert.deepEqual(parseFileLimit(LIMITS.replace('1024                 524288', 'unlimited            unlimited')), { soft: Infinity, hard: Infinity });
  assert.equal(parseFileLimit('Max processes 1 1 processes\n'), null);
});

test('filesNeeded: client sockets by load, twice when the target accepts them in the same process', () => {
  const churn = scenarioOf('name: t\nduration: 1s\nclient: { rate: 10/s, maxInFlight: 1000, workers: 2 }\n');
  assert.deepEqual(filesNeeded(churn, true), { total: 64 + 16 + 2000, clientSockets: 1000, path: ['client', 'maxInFlight'] });
  assert.equal(filesNeeded(churn, false).total, 64 + 16 + 1000);
  const pool = scenarioOf('name: t\nduration: 1s\nclient: { rate: 10/s, pattern: pool, pool: { size: 50 }, workers: 1 }\n');
  assert.deepEqual(filesNeeded(pool, true), { total: 64 + 8 + 100, clientSockets: 50, path: ['client', 'pool', 'size'] });
  const agent = scenarioOf('name: t\nduration: 1s\ntarget: { protocol: http }\nclient: { rate: 10/s, engine: node-agent, agent: { keepAlive: true, maxSockets: 20 }, workers: 1 }\n');
  assert.deepEqual(filesNeeded(agent, true).path, ['client', 'agent', 'maxSockets']);
});

test('a need above the hard limit is a located error at the field; under it (raisable) or in docker, none', () => {
  const text = 'name: t\nduration: 1s\nlab: { kind: userns }\nclient:\n  rate: 10/s\n  maxInFlight: 5000\n';
  const limit: FileLimit = { soft: 1024, hard: 4096 };
  const checked = withFileLimitCheck(checkScenarioText(text, 'big.yaml'), limit);
  assert.equal(checked.scenario, undefined);
  assert.equal(checked.problems.length, 1);
  assert.equal(checked.problems[0]!.location, 'big.yaml:6:16');
  assert.match(checked.problems[0]!.message, /10080 open files .* hard limit of 4096/);
  const scenario = scenarioOf(text);
  assert.deepEqual(fileLimitProblems(scenario, { soft: 1024, hard: 20000 }), [], 'the driver raises the soft limit');
  assert.deepEqual(fileLimitProblems(scenarioOf(text.replace('userns', 'docker')), limit), [], 'a container has its own limit');
  assert.deepEqual(fileLimitProblems(scenario, null), [], 'no /proc/self/limits: nothing to hold it against');
});

function fakeLimits(start: FileLimit, raiseWorks: boolean): FileLimitDeps & { raisedTo: number[] } {
  let current = { ...start };
  const raisedTo: number[] = [];
  return {
    raisedTo,
    read: () => ({ ...current }),
    raise: (soft) => {
      raisedTo.push(soft);
      if (!raiseWorks) return 'prlimit: failed to set the NOFILE resource limit: Operation not permitted';
      current = { ...current, soft };
      return null;
    },
  };
}

test('the driver raises its soft limit to the hard one when the run needs more, and says so', () => {
  const scenario = scenarioOf('name: t\nduration: 1s\nclient: { rate: 10/s, maxInFlight: 1000 }\n');
  const deps = fakeLimits({ soft: 256, hard: 65536 }, true);
  assert.match(ensureFileLimit(scenario, true, deps) ?? '', /raised the open-file limit from 256 to 65536/);
  assert.deepEqual(deps.raisedTo, [65536]);
  const enough = fakeLimits({ soft: 65536, hard: 65536 }, true);
  assert.equal(ensureFileLimit(scenario, true, enough), null);
  assert.deepEqual(enough.raisedTo, []);
});

test('the driver refuses the run (exit 3) when the limit cannot be raised far enough', () => {
  const scenario = scenarioOf('name: t\nduration: 1s\nclient: { rate: 10/s, maxInFlight: 1000 }\n');
  const refused = (err: unknown): boolean => isPortlabError(err) && err.code === 'LAB_UNAVAILABLE' && /2080 open files/.test(err.message) && err.hint !== undefined;
  assert.throws(() => ensureFileLimit(scenario, true, fakeLimits({ soft: 256, hard: 1024 }, true)), refused);
  assert.throws(() => ensureFileLimit(scenario, true, fakeLimits({ soft: 256, hard: 65536 }, false)), (err: unknown) => refused(err) && /Operation not permitted/.test((err as Error).message));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { profileExecArgv } from '../../src/util/cpu-profile.js';
import { quietErrorStacks } from '../../src/util/error-stacks.js';

test('profileExecArgv: nothing unless PORTLAB_CPU_PROF names a folder, then one named profile per thread', () => {
  assert.equal(profileExecArgv('worker-0', {}), undefined);
  const args = profileExecArgv('worker-1', { PORTLAB_CPU_PROF: '/tmp/prof' })!;
  assert.ok(args.includes('--cpu-prof'));
  assert.ok(args.includes('--cpu-prof-dir=/tmp/prof'));
  assert.match(args.find((a) => a.startsWith('--cpu-prof-name='))!, /^--cpu-prof-name=worker-1-\d+-\d+\.cpuprofile$/);
});

test('quietErrorStacks turns stack capture off unless PORTLAB_DEBUG=1', () => {
  const saved = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 10;
    quietErrorStacks({ PORTLAB_DEBUG: '1' });
    assert.equal(Error.stackTraceLimit, 10);
    quietErrorStacks({});
    assert.equal(Error.stackTraceLimit, 0);
    assert.equal(new Error('x').stack, 'Error: x');
  } finally {
    Error.stackTraceLimit = saved;
  }
});

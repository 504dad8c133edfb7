/** Which netns labs are stale: owner gone and nothing inside; and the lab id that names the owner. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentOwner, formatOwner, labIdFor, ownerOfLabId, ownerState, parseOwner, startTicksOf } from '../../src/lab/owner.js';
import { judgeNetns } from '../../src/lab/stale.js';

test('a lab id carries its owner pid and start; another form names no owner', () => {
  const owner = { host: 'h', pid: 4242, startTicks: 987654 };
  const id = labIdFor(owner, () => 0.5);
  assert.match(id, /^[0-9a-z]+-[0-9a-z]+-[0-9a-z]{4}$/);
  assert.deepEqual(ownerOfLabId(id, 'h'), owner);
  assert.equal(ownerOfLabId('1a2b3c', 'h'), null, 'ids of older portlab versions');
  assert.deepEqual(parseOwner(formatOwner(owner)), owner);
  assert.equal(parseOwner('nonsense'), null);
});

test('ownerState: this process runs; a reused pid (another start time) is gone; another host is elsewhere', () => {
  const me = currentOwner();
  assert.equal(startTicksOf(process.pid), me.startTicks);
  assert.equal(ownerState(me), 'running');
  assert.equal(ownerState({ ...me, startTicks: me.startTicks + 1 }), 'gone');
  assert.equal(ownerState({ ...me, host: `${me.host}-other` }), 'elsewhere');
});

test('judgeNetns: kept while its owner runs or a process is inside; stale otherwise, with why', () => {
  assert.equal(judgeNetns({ name: 'n', owner: 'running', ownerPid: 7, inside: [] }).stale, false);
  const inside = judgeNetns({ name: 'n', owner: 'gone', ownerPid: 7, inside: [99] });
  assert.equal(inside.stale, false);
  assert.match(inside.why, /process 99 still runs inside it/);
  const gone = judgeNetns({ name: 'n', owner: 'gone', ownerPid: 7, inside: [] });
  assert.equal(gone.stale, true);
  assert.match(gone.why, /its run \(pid 7\) is gone and nothing runs inside it/);
  assert.match(judgeNetns({ name: 'n', owner: 'unknown', ownerPid: null, inside: [] }).why, /no owner is recorded/);
});

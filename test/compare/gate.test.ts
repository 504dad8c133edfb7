import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaveGate } from '../../src/compare/gate.js';

test('the wave starts when every cell is armed, all at once', () => {
  const gate = new WaveGate(3);
  const started: string[] = [];
  const [a, b, c] = [gate.member(), gate.member(), gate.member()];
  a.armed(() => started.push('a'));
  b.armed(() => started.push('b'));
  assert.equal(started.join(','), '');
  c.armed(() => started.push('c'));
  assert.deepEqual(started, ['a', 'b', 'c']);
  // Leaving after arming changes nothing (every cell's run leaves when it ends).
  a.leave();
  b.leave();
});

test('a cell whose lab failed leaves, and the others start without it', () => {
  const gate = new WaveGate(2);
  const started: string[] = [];
  const [a, b] = [gate.member(), gate.member()];
  a.armed(() => started.push('a'));
  b.leave();
  assert.deepEqual(started, ['a']);
});

test('a cell that never arrives holds the rest only until the wait runs out', async () => {
  const gate = new WaveGate(2, 30);
  const started: string[] = [];
  gate.member().armed(() => started.push('a'));
  assert.equal(started.join(','), '');
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(started, ['a']);
});

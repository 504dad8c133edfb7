/** The soak is opt-in, and its figures come from the memory samples: pure, on made-up series. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, SOAK_DURATION_MS } from '../../bench/args.js';
import type { MemorySample } from '../../bench/lab/runner-types.js';
import { soakFigures } from '../../bench/sections/soak.js';

test('the soak runs only when asked for: never by default nor with --quick', () => {
  assert.equal(parseArgs([], '/out').only.has('soak'), false);
  assert.equal(parseArgs(['--quick'], '/out').only.has('soak'), false);
  const soak = parseArgs(['--soak'], '/out');
  assert.equal(soak.only.has('soak'), true);
  assert.equal(soak.only.has('churn'), true, '--soak adds to the default sections');
  assert.equal(soak.soakDurationMs, SOAK_DURATION_MS);
  const alone = parseArgs(['--only', 'soak', '--soak-duration', '60s'], '/out');
  assert.deepEqual([...alone.only], ['soak']);
  assert.equal(alone.soakDurationMs, 60_000);
  assert.throws(() => parseArgs(['--soak-duration', '1s'], '/out'), /--soak-duration/);
  assert.throws(() => parseArgs(['--soak-duration', 'soon'], '/out'), /--soak-duration/);
});

const series = (durationMs: number, bytesAt: (tMs: number) => number): MemorySample[] =>
  Array.from({ length: 61 }, (_, i) => {
    const tMs = (i * durationMs) / 60;
    return { tMs, rssBytes: bytesAt(tMs), heapUsedBytes: bytesAt(tMs) / 2 };
  });

test('soakFigures: flat memory has no trend; a leak shows as its slope per minute; the warm-up is left out', () => {
  const MB = 1024 * 1024;
  // A warm-up spike in the first 10% must not count.
  const flat = soakFigures(series(600_000, (t) => (t < 60_000 ? 300 * MB : 100 * MB)), 600_000, (s) => s.rssBytes)!;
  assert.deepEqual([flat.startBytes, flat.endBytes, flat.slopeBytesPerMin], [100 * MB, 100 * MB, 0]);
  const leak = soakFigures(series(600_000, (t) => 100 * MB + (t / 60_000) * 2 * MB), 600_000, (s) => s.heapUsedBytes)!;
  assert.ok(Math.abs(leak.slopeBytesPerMin - MB) < 1, `1 MB/min of heap, got ${leak.slopeBytesPerMin}`);
  assert.ok(leak.endBytes > leak.startBytes);
  assert.equal(soakFigures([], 600_000, (s) => s.rssBytes), null);
});

/** Shared by the report tests: the fixture runs (read from the source tree) and small variations of them. */
import { readRun } from '../../src/report/read.js';
import type { Interval, RunSummary } from '../../src/metrics/types.js';

/** The repository root, from dist/test/report/ (compiled) three folders up. */
export const REPO_ROOT = new URL('../../../', import.meta.url);

/** test/fixtures/runs/<name>/ in the source tree. */
export function fixtureDir(name: string): string {
  return new URL(`test/fixtures/runs/${name}/`, REPO_ROOT).pathname;
}

/** A fixture run: "no-pooling" (exhausts at ~2 s), "keep-alive-pool" (no onset), "nat-exhaustion" (the nat lab, timeouts at ~2 s). */
export function loadFixture(name: 'no-pooling' | 'keep-alive-pool' | 'nat-exhaustion'): Promise<RunSummary> {
  return readRun(fixtureDir(name));
}

/** A copy of a summary with a hostile scenario name and description (both user input). */
export function withHostileText(summary: RunSummary): RunSummary {
  const copy = structuredClone(summary);
  copy.scenario.name = '<script>alert("x")</script> & | pipes';
  copy.scenario.description = '# not a heading <img src=x onerror=alert(1)> ` * _under_ [link](http://evil.example)';
  return copy;
}

/** A copy where one expectation failed (so pass is false). */
export function withFailedExpectation(summary: RunSummary): RunSummary {
  const copy = structuredClone(summary);
  copy.expectations = [
    ...copy.expectations,
    { name: 'maxClientTimeWait: 100', pass: false, detail: 'peak client TIME_WAIT 200 > 100 <limit> & "quoted"' },
  ];
  copy.pass = false;
  return copy;
}

/**
 * A 10-minute run at 250 ms (2,400 intervals) built from a fixture's first interval: steady 100/s, client
 * TIME_WAIT ramping to the range, and one interval with a burst of ECONNREFUSED (the peak a chart must keep).
 */
export function longRun(base: RunSummary, spikeIndex = 1234, spikeCount = 77): RunSummary {
  const copy = structuredClone(base);
  const first = base.intervals[0]!;
  copy.durationMs = 600_000;
  copy.plannedDurationMs = 600_000;
  copy.intervals = Array.from({ length: 2400 }, (_, i): Interval => ({
    ...structuredClone(first),
    tMs: i * 250,
    errors: i === spikeIndex ? { ECONNREFUSED: spikeCount } : {},
    clientTimeWait: Math.min(200, i),
    portsInUse: Math.min(200, i + 1),
  }));
  copy.totals.errors = { ...copy.totals.errors, ECONNREFUSED: spikeCount };
  return copy;
}

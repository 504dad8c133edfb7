/**
 * The strategy diagnosis from synthetic driver events (no lab): each strategies scenario, fed the events its
 * run produces, gets the cause named and the fix said; the summary still fits its schema.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenarioFile } from '../../src/config/loader.js';
import type { Scenario } from '../../src/config/types.js';
import type { DriverDone, DriverOnset } from '../../src/driver/protocol.js';
import { createCounters } from '../../src/metrics/counters.js';
import { runSummarySchema } from '../../src/metrics/schemas.js';
import type { Interval, RunSummary } from '../../src/metrics/types.js';
import { buildSummary } from '../../src/run/summary.js';
import { portRangeSysctlValue, type PortRange } from '../../src/util/units.js';
import { ROOT } from '../helpers/cli.js';

const strategy = (name: string): Scenario => loadScenarioFile(join(ROOT, 'scenarios', 'strategies', `${name}.yaml`)).scenario;

function interval(tMs: number, extra: Partial<Interval> = {}): Interval {
  return {
    tMs,
    attempts: 0,
    connected: 0,
    errors: {},
    timeWait: 0,
    clientTimeWait: 0,
    serverTimeWait: 0,
    established: 0,
    closeWait: 0,
    portsInUse: 0,
    targetRatePerSec: 100,
    skipped: 0,
    requests: 25,
    requestErrors: {},
    connectLatencyUs: null,
    netstat: {},
    ...extra,
  };
}

interface Events {
  intervals?: Interval[];
  onset?: Omit<DriverOnset, 'type'>;
  totals?: Partial<DriverDone['totals']>;
}

/** What the orchestrator would collect from a driver that sent these events. */
function summarize(scenario: Scenario, events: Events): RunSummary {
  const portRange: PortRange = scenario.lab.portRange!;
  const summary = buildSummary(scenario, {
    runId: 'synthetic',
    startedAt: '2026-12-01T00:00:00.000Z',
    labKind: 'userns',
    ready: { type: 'ready', sysctls: { ...scenario.lab.sysctls, 'net.ipv4.ip_local_port_range': portRangeSysctlValue(portRange) }, portRange },
    intervals: events.intervals ?? [interval(0)],
    onset: events.onset ? { type: 'onset', ...events.onset } : null,
    done: { type: 'done', interrupted: false, durationMs: scenario.durationMs, totals: { ...createCounters(), ...events.totals }, connectHist: null, requestHist: null, lagHist: null, netstat: {} },
    interruption: null,
    version: '0.1.0',
  });
  assert.ok(runSummarySchema.safeParse(summary).success, 'the summary fits its schema');
  return summary;
}

test('keep-alive race: the resets are counted by code and dated, the race is named with the settings that make it, and the fix', () => {
  const summary = summarize(strategy('keepalive-race'), {
    intervals: [interval(0), interval(250), interval(500), interval(750, { requestErrors: { ECONNRESET: 2 } }), interval(1000, { requestErrors: { ECONNRESET: 1 } })],
    totals: { requests: 997, requestErrors: { ECONNRESET: 3 } },
  });
  assert.deepEqual(summary.scenario.strategy?.keepAlive, {
    reuses: true,
    clientIdleMs: null,
    raceProne: true,
    disabledByHint: false,
    client: 'node-agent',
    serverTimeoutMs: 10,
    hint: false,
  });
  assert.match(summary.diagnosis, /\(ECONNRESET 3, the first in the interval from 750ms\): the keep-alive reset race/);
  assert.match(summary.diagnosis, /closes connections idle for 10ms and the client keeps them until the server closes them/);
  assert.match(summary.diagnosis, /the http\.Agent's timeout below 10ms\), or retry idempotent requests/);
  assert.equal(summary.expectations.find((e) => e.name === 'minRequestErrors')?.pass, true);
});

test('keep-alive fixed by retries: the race is possible and said to be absorbed', () => {
  const summary = summarize(strategy('keepalive-fixed'), { totals: { requests: 1000 } });
  assert.equal(summary.scenario.strategy?.retries, 3);
  assert.match(summary.diagnosis, /reset race can happen, but a request reset on its connection was sent again \(up to 3 times\)/);
  assert.equal(summary.pass, true);
});

test('a hint too short for the client: keep-alive was silently off, every request a new connection', () => {
  const scenario = strategy('global-agent');
  scenario.target.keepAliveTimeoutMs = 1500;
  const summary = summarize(scenario, { totals: { requests: 600, attempts: 600, connected: 600 } });
  assert.deepEqual([summary.scenario.strategy?.keepAlive?.reuses, summary.scenario.strategy?.keepAlive?.disabledByHint], [false, true]);
  assert.match(summary.diagnosis, /"Keep-Alive: timeout=1" leaves the client no safe idle time \(Node's agent keeps a socket for the hint minus 1 s\)/);
  // The model follows: churn, not a pool.
  assert.equal(summary.prediction.pattern, 'churn');
});

test('leak: open connections, not TIME_WAIT, held the ports at the onset, and the diagnosis says so', () => {
  const summary = summarize(strategy('leak'), {
    onset: { atMs: 2010, code: 'EADDRNOTAVAIL', clientTimeWait: 0, portsInUse: 200, timeWait: 0 },
    totals: { attempts: 400, connected: 200, errors: { EADDRNOTAVAIL: 200 }, requests: 200 },
  });
  assert.equal(summary.onset?.predictedAtMs !== null && Math.round(summary.onset!.predictedAtMs!), 2000);
  assert.match(summary.diagnosis, /never closed its connections \(a leak\)/);
  assert.match(summary.diagnosis, /200 ports were held by open connections .* and only 0 by client TIME_WAIT/);
  assert.match(summary.diagnosis, /TIME_WAIT is not the cause here/);
});

test('recycled pool: the churn of size / lifetime, counted in steps, and what to change', () => {
  const summary = summarize(strategy('recycled-pool'), {
    onset: { atMs: 5004, code: 'EADDRNOTAVAIL', clientTimeWait: 181, portsInUse: 200, timeWait: 181 },
    totals: { attempts: 300, connected: 200, errors: { EADDRNOTAVAIL: 100 }, requests: 500 },
  });
  assert.equal(summary.onset?.predictedAtMs, 5000);
  assert.deepEqual(summary.scenario.strategy?.recycle, { poolSize: 20, lifetimeMs: 500, requestsPerConnection: 0, ratePerSec: 40 });
  assert.match(summary.diagnosis, /the pool of 20 recycles its connections \(maxLifetime 500ms\), replacing about 40\/s/);
  assert.match(summary.diagnosis, /181 recycled connections in client TIME_WAIT plus the 20 open ones/);
  assert.equal(summary.prediction.recycleRatePerSec, 40);
});

test('bind vs no-port: sources x ports, or sources x destinations x ports, each with its own code', () => {
  const bind = summarize(strategy('bind'), {
    onset: { atMs: 2002, code: 'EADDRINUSE', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
    totals: { attempts: 500, connected: 200, errors: { EADDRINUSE: 300 } },
  });
  assert.equal(Math.round(bind.onset!.predictedAtMs!), 2000);
  assert.match(bind.diagnosis, /2 sources x 100 ports = 200 connections for all 2 destinations together/);
  assert.ok(bind.lab.notes.some((n) => /bind\(ip, 0\)/.test(n)));
  const noPort = summarize(strategy('no-port'), {
    onset: { atMs: 4004, code: 'EADDRNOTAVAIL', clientTimeWait: 400, portsInUse: 400, timeWait: 400 },
    totals: { attempts: 600, connected: 400, errors: { EADDRNOTAVAIL: 200 } },
  });
  assert.equal(Math.round(noPort.onset!.predictedAtMs!), 4000);
  assert.match(noPort.diagnosis, /2 sources x 2 destinations x 100 ports = 400 connections/);
  assert.ok(noPort.lab.notes.some((n) => /IP_BIND_ADDRESS_NO_PORT/.test(n)));
  assert.ok(!noPort.lab.notes.some((n) => /exhaustion shows as EADDRINUSE/.test(n)), 'not the bind note');
});

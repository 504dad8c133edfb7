/**
 * The pipeline without a lab, one test per pattern and close mode: synthetic driver events (as the driver
 * sends them) -> the host's collector -> buildSummary. Each test writes out the diagnosis, the advice and the
 * notes in full, so a change to any sentence, or to a number that feeds one, fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, labNotes } from '../../src/run/diagnosis.js';
import { exhaustingTicks, labScenario, steadyTicks, summaryOf } from '../helpers/driver-events.js';
import { assertAccounting } from '../helpers/invariants.js';

const NO_POOLING = labScenario('no-pooling', '{ pattern: churn, close: client, rate: 100/s }');

test('churn, client closes first: EADDRNOTAVAIL once the 200 ports sit in TIME_WAIT', () => {
  // 100/s in 250 ms intervals = 25 starts each; the 200 ports are gone after 8 intervals (2 s).
  const summary = summaryOf({
    scenario: NO_POOLING,
    ticks: exhaustingTicks(20, 25, 200),
    onset: { atMs: 2104.2, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  });
  assertAccounting(summary);
  assert.deepEqual(summary.totals.errors, { EADDRNOTAVAIL: 300 });
  assert.equal(summary.totals.connected, 200);
  const { predictedAtMs, ...measured } = summary.onset!;
  assert.deepEqual(measured, { atMs: 2104.2, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, ratePerSec: 100 });
  // 200 ports at 100/s: the 201st start, 2 s in.
  assert.ok(Math.abs(predictedAtMs! - 2000) < 1e-3, `predicted ${predictedAtMs}`);
  assert.equal(
    summary.diagnosis,
    'connect() failed with EADDRNOTAVAIL from 2.1s (predicted 2s; 300 failures): the client closes first, so each connection kept ' +
      'its port in TIME_WAIT for 60 s, and 200 client sockets in TIME_WAIT (200 ports in use) had used up the 200 ports ' +
      '(40000-40199) at 100/s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay ' +
      'under 3.33/s.',
  );
  assert.equal(
    summary.prediction.advice,
    'At 100/s the client keeps 6,000 sockets in TIME_WAIT but only 200 ports exist: connect() fails with EADDRNOTAVAIL after ' +
      'about 2 s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay under 3.33/s.',
  );
  assert.deepEqual(summary.prediction.notes, ['Lowering tcp_fin_timeout will not help: it does not shorten TIME_WAIT (60 s).']);
  assert.deepEqual(summary.lab.notes, []);
  assert.deepEqual(summary.peak, { timeWait: 200, clientTimeWait: 200, serverTimeWait: 0, portsInUse: 200 });
  assert.equal(summary.durationMs, 5000);
  assert.equal(summary.interrupted, false);
});

test('the TIME_WAIT length in the sentences is the model\'s input (the OS preset), not a constant', () => {
  const summary = summaryOf({
    scenario: NO_POOLING,
    ticks: exhaustingTicks(20, 25, 200),
    onset: { atMs: 2104.2, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  });
  assert.match(diagnose({ ...summary, timeWaitMs: 240_000 }), /kept its port in TIME_WAIT for 240 s, and 200 client sockets/);
  assert.deepEqual(labNotes(summary.lab, { boundSources: false, finTimeoutSec: 5, timeWaitMs: 30_000 }), [
    'tcp_fin_timeout=5 changes nothing here: it only limits orphaned FIN_WAIT2 sockets, and TIME_WAIT still lasts 30 s (on Linux ' +
      'TCP_TIMEWAIT_LEN, which no sysctl changes).',
  ]);
});

test('churn, server closes first: TIME_WAIT on the server, no exhaustion', () => {
  const scenario = labScenario('server-closes-first', '{ pattern: churn, close: server, rate: 100/s }');
  const summary = summaryOf({ scenario, ticks: steadyTicks(20, { connected: 25, serverTimeWait: 150, clientTimeWait: 2 }) });
  assertAccounting(summary);
  assert.equal(summary.onset, null);
  assert.equal(
    summary.diagnosis,
    'No exhaustion: the server closed first, so TIME_WAIT (peak 150 sockets) sat on the server side and cost the client no ports ' +
      '(client TIME_WAIT peak 2); no connect errors.',
  );
  assert.equal(
    summary.prediction.advice,
    'The server closes first, so TIME_WAIT (about 200 sockets) sits on the server, costs the client no ports, and the ' +
      "client's port is free as soon as the connection ends: no exhaustion at any rate.",
  );
  assert.equal(summary.prediction.exhausts, false);
  assert.equal(summary.prediction.timeToFirstFailureMs, null);
});

test('churn, reset: no TIME_WAIT on either side', () => {
  const scenario = labScenario('reset-close', '{ pattern: churn, close: reset, rate: 100/s }');
  const summary = summaryOf({ scenario, ticks: steadyTicks(20, { connected: 24, errors: { ECONNRESET: 1 } }) });
  assertAccounting(summary);
  assert.equal(summary.diagnosis, 'No exhaustion: connections ended with RST, so no socket entered TIME_WAIT (peak 0); connect errors: ECONNRESET 20.');
  assert.equal(
    summary.prediction.advice,
    'Connections end with a reset (RST), so neither side keeps TIME_WAIT and every port is free at once: no exhaustion at any ' +
      'rate, but a reset discards unsent data and the peer sees an error.',
  );
  assert.deepEqual(summary.prediction.notes, []);
});

test('pool: 10 connections carry every request on 10 ports', () => {
  const scenario = labScenario('keep-alive-pool', '{ pattern: pool, rate: 100/s, pool: { size: 10 } }');
  const ticks = [{ connected: 10, requests: 25, portsInUse: 10 }, ...steadyTicks(19, { connected: 0, requests: 25, portsInUse: 10 })];
  const summary = summaryOf({ scenario, ticks });
  assertAccounting(summary);
  assert.equal(summary.totals.requests, 500);
  assert.equal(summary.scenario.poolSize, 10);
  assert.equal(
    summary.diagnosis,
    'No exhaustion: 10 pooled connection(s) carried 500 requests, holding at most 10 ports and 0 client TIME_WAIT; no connect errors.',
  );
  assert.equal(
    summary.prediction.advice,
    'A pool of 10 connections holds 10 of the 200 ports and leaves no TIME_WAIT: ports never run out, at 100/s or any other request rate.',
  );
  assert.equal(summary.prediction.pattern, 'pool');
  assert.equal(summary.prediction.portsNeeded, 10);
});

test('two bound source addresses: 400 ports, and exhaustion shows as EADDRINUSE', () => {
  const scenario = labScenario('multi-source-address', '{ pattern: churn, close: client, rate: 100/s, sourceAddresses: [127.0.0.1, 127.0.0.2] }', {
    duration: '6s',
  });
  const summary = summaryOf({
    scenario,
    ticks: exhaustingTicks(24, 25, 400, 'EADDRINUSE'),
    onset: { atMs: 4010, code: 'EADDRINUSE', clientTimeWait: 400, portsInUse: 400, timeWait: 400 },
  });
  assertAccounting(summary);
  assert.deepEqual(summary.totals.errors, { EADDRINUSE: 200 });
  assert.deepEqual(Object.keys(summary.totals.bySource).sort(), ['127.0.0.1', '127.0.0.2']);
  assert.equal(summary.totals.bySource['127.0.0.2']!.attempts, 300);
  assert.equal(summary.prediction.capacity, 400);
  assert.equal(
    summary.diagnosis,
    'connect() failed with EADDRINUSE from 4s (predicted 4s; 200 failures): binding each connection to a source address allocates ' +
      'ports per address, 400 of them sat in TIME_WAIT, and bound ports are refused to every plain connect() too. Add source ' +
      'addresses or reuse connections (a keep-alive pool), or stay under 6.67/s.',
  );
  assert.equal(
    summary.prediction.advice,
    'At 100/s the client keeps 6,000 sockets in TIME_WAIT but only 400 ports exist: connect() fails with EADDRINUSE after about ' +
      '4 s. Add source addresses or reuse connections (a keep-alive pool), or stay under 6.67/s.',
  );
  const bound =
    'Sources are bound before connect (bind(ip, 0)): ports are allocated per source address and refused to every plain ' +
    'connect(), and running out shows as EADDRINUSE rather than EADDRNOTAVAIL.';
  assert.deepEqual(summary.lab.notes, [bound]);
  assert.deepEqual(summary.prediction.notes, ['Lowering tcp_fin_timeout will not help: it does not shorten TIME_WAIT (60 s).', bound]);
});

test('one bound source address (not the default one) also runs out with EADDRINUSE', () => {
  const scenario = labScenario('one-bound-source', '{ pattern: churn, close: client, rate: 100/s, sourceAddresses: [127.0.0.2] }');
  const summary = summaryOf({
    scenario,
    ticks: exhaustingTicks(20, 25, 200, 'EADDRINUSE'),
    onset: { atMs: 2010, code: 'EADDRINUSE', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  });
  assert.equal(
    summary.prediction.advice,
    'At 100/s the client keeps 6,000 sockets in TIME_WAIT but only 200 ports exist: connect() fails with EADDRINUSE after about ' +
      '2 s. Add source addresses or reuse connections (a keep-alive pool), or stay under 3.33/s.',
  );
  assert.equal(
    summary.diagnosis,
    'connect() failed with EADDRINUSE from 2s (predicted 2s; 300 failures): binding each connection to a source address allocates ' +
      'ports per address, 200 of them sat in TIME_WAIT, and bound ports are refused to every plain connect() too. Add source ' +
      'addresses or reuse connections (a keep-alive pool), or stay under 3.33/s.',
  );
  assert.equal(summary.lab.notes.length, 1);
});

test('two destinations: each gets the whole range, so 400 connections fit before EADDRNOTAVAIL', () => {
  const scenario = labScenario('multi-destination', '{ pattern: churn, close: client, rate: 100/s, destinations: ["127.0.0.1:9000", "127.0.0.1:9001"] }', {
    duration: '6s',
    more: 'target: { ports: [9000, 9001] }',
  });
  const summary = summaryOf({
    scenario,
    ticks: exhaustingTicks(24, 25, 400),
    onset: { atMs: 4020, code: 'EADDRNOTAVAIL', clientTimeWait: 400, portsInUse: 400, timeWait: 400 },
  });
  assertAccounting(summary);
  assert.deepEqual(summary.scenario.destinations, ['127.0.0.1:9000', '127.0.0.1:9001']);
  assert.equal(summary.totals.byDestination['127.0.0.1:9001']!.attempts, 300);
  assert.equal(summary.prediction.tuples, 2);
  assert.equal(
    summary.diagnosis,
    'connect() failed with EADDRNOTAVAIL from 4s (predicted 4s; 200 failures): the client closes first, so each connection kept ' +
      'its port in TIME_WAIT for 60 s, and 400 client sockets in TIME_WAIT (400 ports in use) had used up the 200 ports ' +
      '(40000-40199) at 100/s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay ' +
      'under 6.67/s.',
  );
  assert.deepEqual(summary.lab.notes, []);
});

test('tcp_tw_reuse=1: connect() takes TIME_WAIT tuples back and the run holds', () => {
  const scenario = labScenario('tw-reuse', '{ pattern: churn, close: client, rate: 30/s }', {
    duration: '10s',
    sysctls: { 'net.ipv4.ip_local_port_range': '40000 40039', 'net.ipv4.tcp_tw_reuse': 1, 'net.ipv4.tcp_tw_reuse_delay': 1000 },
    more: 'sampler: { reportInterval: 1s }',
  });
  const ticks = [...steadyTicks(2, { connected: 30, clientTimeWait: 30 }), ...steadyTicks(8, { connected: 30, clientTimeWait: 40, netstat: { TWRecycled: 30 } })];
  const summary = summaryOf({ scenario, ticks });
  assertAccounting(summary);
  assert.deepEqual(summary.netstat, { TWRecycled: 240 });
  assert.equal(summary.diagnosis, 'connect() reused 240 TIME_WAIT tuples (tcp_tw_reuse=1, after 1000 ms), which kept ports coming back; no connect errors.');
  assert.equal(
    summary.prediction.advice,
    'At 30/s the client would need 1,800 ports for TIME_WAIT but only 40 exist; tcp_tw_reuse takes a TIME_WAIT port back after ' +
      '1 s, so it gets by with 30 and runs out only above 40/s.',
  );
  assert.equal(summary.prediction.exhausts, false);
  assert.equal(summary.prediction.maxSustainableRatePerSec, 40);
});

test('tcp_max_tw_buckets=10: the kernel destroys TIME_WAIT above the cap, so the ports never run out', () => {
  const scenario = labScenario('tw-buckets-cap', '{ pattern: churn, close: client, rate: 100/s }', { sysctls: { 'net.ipv4.tcp_max_tw_buckets': 10 } });
  const ticks = [{ connected: 25, clientTimeWait: 10, netstat: { TCPTimeWaitOverflow: 15 } }, ...steadyTicks(19, { connected: 25, clientTimeWait: 10, netstat: { TCPTimeWaitOverflow: 25 } })];
  const summary = summaryOf({ scenario, ticks });
  assertAccounting(summary);
  assert.equal(
    summary.diagnosis,
    'No exhaustion: tcp_max_tw_buckets (10) was hit 490 times, so the kernel destroyed those TIME_WAIT sockets at once and freed ' +
      'their ports (TIME_WAIT peaked at 10); no connect errors.',
  );
  assert.equal(
    summary.prediction.advice,
    'At 100/s the client would keep 6,000 sockets in TIME_WAIT, but tcp_max_tw_buckets=10 destroys every one above 10 ' +
      "(TCPTimeWaitOverflow), which frees their ports: no exhaustion, at the cost of TIME_WAIT's protection against late packets " +
      'of old connections.',
  );
  assert.equal(summary.prediction.maxSustainableRatePerSec, null);
});

test('tcp_fin_timeout set: the run still exhausts, and the lab note and the prediction say why', () => {
  const scenario = labScenario('fin-timeout-myth', '{ pattern: churn, close: client, rate: 100/s }', { sysctls: { 'net.ipv4.tcp_fin_timeout': 5 } });
  const summary = summaryOf({
    scenario,
    ticks: exhaustingTicks(20, 25, 200),
    onset: { atMs: 2030, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  });
  const note =
    'tcp_fin_timeout=5 changes nothing here: it only limits orphaned FIN_WAIT2 sockets, and TIME_WAIT still lasts 60 s (on Linux ' +
    'TCP_TIMEWAIT_LEN, which no sysctl changes).';
  assert.deepEqual(summary.lab.notes, [note]);
  assert.deepEqual(summary.prediction.notes, [note]);
});

test('the kernel default tcp_tw_reuse=2 is flagged: it reuses ports toward loopback only', () => {
  const scenario = labScenario('default-reuse', '{ pattern: churn, close: client, rate: 100/s }', { sysctls: { 'net.ipv4.tcp_tw_reuse': 2 } });
  const summary = summaryOf({ scenario, ticks: steadyTicks(20, { connected: 25, clientTimeWait: 200, netstat: { TWRecycled: 25 } }) });
  assert.deepEqual(summary.lab.notes, [
    'tcp_tw_reuse=2 (the kernel default) turns TIME_WAIT reuse on for loopback only: this lab reuses ports that a real remote ' +
      'backend would not; set net.ipv4.tcp_tw_reuse: 0 to model one.',
  ]);
  assert.equal(summary.diagnosis, 'connect() reused 500 TIME_WAIT tuples (tcp_tw_reuse=2, after 1000 ms), which kept ports coming back; no connect errors.');
});

test('a run cut short without its totals: the summary is built from the intervals and says so', () => {
  const summary = summaryOf(
    {
      scenario: NO_POOLING,
      ticks: exhaustingTicks(12, 25, 200),
      onset: { atMs: 2104.2, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
      end: 'none',
    },
    true,
  );
  assert.equal(summary.interrupted, true);
  // Intervals carry no per-source or per-destination rows: only the driver's totals have them.
  assert.deepEqual(summary.totals.bySource, {});
  assert.deepEqual({ attempts: summary.totals.attempts, connected: summary.totals.connected, errors: summary.totals.errors }, {
    attempts: 300,
    connected: 200,
    errors: { EADDRNOTAVAIL: 100 },
  });
  // Twelve 250 ms intervals: the last one starts at 2750 ms and ends at 3000 ms.
  assert.equal(summary.durationMs, 3000);
  assert.deepEqual(summary.lab.notes, ['the driver stopped before reporting its totals: these are partial results from the intervals it sent.']);
  assert.equal(
    summary.diagnosis,
    'Stopped early (Ctrl-C). Partial results: connect() failed with EADDRNOTAVAIL from 2.1s (predicted 2s; 100 failures): the client closes first, so each connection kept ' +
      'its port in TIME_WAIT for 60 s, and 200 client sockets in TIME_WAIT (200 ports in use) had used up the 200 ports ' +
      '(40000-40199) at 100/s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay ' +
      'under 3.33/s.',
  );
});

test('a run stopped with Ctrl-C: the driver still reports its totals, marked interrupted', () => {
  const summary = summaryOf({ scenario: NO_POOLING, ticks: exhaustingTicks(6, 25, 200), end: 'interrupted' }, true);
  assert.equal(summary.interrupted, true);
  assert.equal(summary.durationMs, 1500);
  assert.deepEqual(summary.lab.notes, []);
  // A partial run says so first, then what it measured.
  assert.equal(summary.diagnosis, 'Stopped early (Ctrl-C). Partial results: No exhaustion: client TIME_WAIT peaked at 150 of 200 ports (40000-40199) (6,000 predicted at steady state); no connect errors.');
});

test('http through Node\'s http.Agent without keep-alive: churn, client first, and the HTTP sentence names the side', () => {
  const scenario = labScenario('node-agent-no-keepalive', '{ engine: node-agent, agent: { keepAlive: false, maxSockets: 50 }, rate: 50/s }', {
    duration: '6s',
    more: 'target: { protocol: http, ports: [9000] }\nsampler: { reportInterval: 500ms }',
  });
  const summary = summaryOf({
    scenario,
    ticks: exhaustingTicks(12, 25, 200).map((tick) => ({ ...tick, requests: tick.connected })),
    onset: { atMs: 4005, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  });
  assertAccounting(summary);
  assert.equal(summary.scenario.engine, 'node-agent');
  assert.equal(summary.totals.requests, 200);
  assert.equal(
    summary.diagnosis,
    'connect() failed with EADDRNOTAVAIL from 4s (predicted 4s; 100 failures): the client closes first, so each connection kept ' +
      'its port in TIME_WAIT for 60 s, and 200 client sockets in TIME_WAIT (200 ports in use) had used up the 200 ports ' +
      '(40000-40199) at 50/s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or stay ' +
      'under 3.33/s. TIME_WAIT sat on the client side (peak 200, server 0): the client closed first, and each close cost it a ' +
      'port for 60 s.',
  );
});

test('http through Node\'s http.Agent with keep-alive: modelled as a pool of the sockets in flight (here 2 workers), not maxSockets', () => {
  const scenario = labScenario('node-agent-keepalive', '{ engine: node-agent, agent: { keepAlive: true, maxSockets: 10 }, rate: 100/s }', {
    more: 'target: { protocol: http, ports: [9000] }',
  });
  const ticks = [{ connected: 10, requests: 25, portsInUse: 10 }, ...steadyTicks(19, { connected: 0, requests: 25, portsInUse: 10 })];
  const summary = summaryOf({ scenario, ticks });
  assert.equal(summary.prediction.pattern, 'pool');
  assert.equal(
    summary.diagnosis,
    // The agent reuses about as many sockets as requests are in flight (2 workers, sub-ms answers), not maxSockets;
    // new http.Agent({ keepAlive: true }) has no idle timeout of its own, so the server's 65 s one can race it.
    'No exhaustion: client TIME_WAIT peaked at 0 of 200 ports (40000-40199) (2 predicted at steady state); no connect errors. ' +
      'The client keeps idle connections until the server closes them and the server closes them after 65s: the keep-alive ' +
      'reset race can happen here, though no request hit it in this run. Fix: keep idle connections shorter than the server ' +
      "does (the http.Agent's timeout below 65s), or retry idempotent requests once when a reused connection fails.",
  );
  assert.equal(
    summary.prediction.advice,
    'A pool of 2 connections holds 2 of the 200 ports and leaves no TIME_WAIT: ports never run out, at 100/s or any other request rate.',
  );
});

test('http with "Connection: close": the server closes, yet both sides can hold TIME_WAIT', () => {
  const scenario = labScenario('http-server-close', '{ engine: node-agent, close: server, rate: 100/s }', {
    more: 'target: { protocol: http, ports: [9000], connectionClose: true }',
  });
  const summary = summaryOf({ scenario, ticks: steadyTicks(20, { connected: 25, requests: 25, clientTimeWait: 60, serverTimeWait: 40 }) });
  assert.equal(
    summary.diagnosis,
    'No exhaustion: client TIME_WAIT peaked at 60 of 200 ports (40000-40199) (0 predicted at steady state); no connect errors. ' +
      'TIME_WAIT sat on both sides (peak client 60, server 40): after each response both ends close, and whichever FIN goes first ' +
      'keeps TIME_WAIT, so "Connection: close" alone does not keep it off the client.',
  );
});

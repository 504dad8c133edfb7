import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripAnsi, visibleLength } from '../../src/report/ansi.js';
import { renderComparison, renderTerminalSummary } from '../../src/report/terminal.js';
import { loadFixture, withFailedExpectation } from './fixture.js';

test('the summary leads with the onset: time, TIME_WAIT, ports in use, rate and the prediction', async () => {
  const text = renderTerminalSummary(await loadFixture('no-pooling'), { color: false });
  assert.equal(
    text,
    [
      'portlab · no-pooling · passed (3/3)',
      'One new connection per request and the client closes first, so every connection leaves its port in',
      'TIME_WAIT for 60 s. 200 ports at 100 connections/s run out after 200 / 100 = 2 s: connect() fails',
      'with EADDRNOTAVAIL while exactly the whole range sits in client TIME_WAIT.',
      'lab userns · ports 40000-40199 (200 ports) · churn, close: client, 100/s for 5s',
      '',
      '  Onset      EADDRNOTAVAIL at 2.0s (predicted 2.0s): client TIME_WAIT 200, ports in use 200 of 200 ports (100%), rate 100/s',
      '  Peak       client TIME_WAIT 200 of 200 ports (100%) ▁▁▁▄▄▄▄█████████████',
      '             server TIME_WAIT 0, ports in use 200',
      '  Totals     500 attempts, 200 connected, 200 requests',
      '  Errors     EADDRNOTAVAIL 300',
      '  Latency    connect p50 297µs, p90 394µs, p99 545µs, max 1.9ms',
      '             request p50 285µs, p90 417µs, p99 2.1ms, max 3.1ms',
      '  Expect     ✓ eaddrnotavail: exhaustion happens — EADDRNOTAVAIL 300 of 500 attempts',
      '             ✓ onset within 1.5s..2.6s — onset at 2s',
      '             ✓ minClientTimeWait — peak client TIME_WAIT 200 (expected >= 180)',
      // The fixture's diagnosis as captured; the pipeline tests guard the wording.
      '  Diagnosis  connect() failed with EADDRNOTAVAIL from 2s (predicted 2s; 300 failures): the client',
      '             closes first, so each connection kept its port in TIME_WAIT for 60 s, and 200 client',
      '             sockets in TIME_WAIT (200 ports in use) had used up the 200 ports (40000-40199) at',
      '             100/s. Reuse connections (a keep-alive pool), spread over more destinations or source',
      '             addresses, or stay under 3.3/s.',
      '',
    ].join('\n'),
  );
  for (const line of text.split('\n')) assert.ok(visibleLength(line) <= 140, `line too long: ${line}`);
});

test('without onset it says so; with color the failure is red', async () => {
  assert.match(renderTerminalSummary(await loadFixture('keep-alive-pool'), { color: false }), /Onset +no exhaustion \(predicted: none\)/);
  const colored = renderTerminalSummary(withFailedExpectation(await loadFixture('no-pooling')), { color: true });
  assert.notEqual(colored, stripAnsi(colored));
  assert.ok(colored.includes('\x1b[31m\x1b[1mFAILED (1/4 failed)'), 'FAILED in bold red');
  assert.match(stripAnsi(colored), /✗ maxClientTimeWait: 100 — peak client TIME_WAIT 200 > 100/);
});

test('the diagnosis wraps to the given width', async () => {
  const text = renderTerminalSummary(await loadFixture('no-pooling'), { color: false, width: 60 });
  const start = text.indexOf('Diagnosis');
  const lines = text.slice(start).trimEnd().split('\n');
  assert.ok(lines.length >= 5);
  for (const line of lines) assert.ok(visibleLength(line) <= 60 + 2, line);
});

test('the comparison puts runs side by side, one aligned column each', async () => {
  const runs = [await loadFixture('no-pooling'), await loadFixture('keep-alive-pool')];
  assert.equal(
    renderComparison(runs),
    [
      '                       no-pooling                          keep-alive-pool',
      '─────────────────────  ──────────────────────────────────  ──────────────────────────────────',
      'Load                   churn, close: client, 100/s for 5s  pool of 10 connections, 100/s for',
      '                                                           5s',
      'Lab                    userns, 40000-40199 (200 ports)     userns, 40000-40199 (200 ports)',
      'Connection attempts    500                                 10',
      'Connected              200                                 10',
      'Errors                 EADDRNOTAVAIL 300                   none',
      'Requests               200 (errors: none)                  500 (errors: none)',
      'First failure (onset)  EADDRNOTAVAIL at 2.0s (predicted    none (predicted none)',
      '                       2.0s)',
      'Peak client TIME_WAIT  200 of 200 ports (100%)             0 of 200 ports (0%)',
      'Peak server TIME_WAIT  0                                   0',
      'Peak ports in use      200 of 200 ports (100%)             10 of 200 ports (5%)',
      'Connect latency        p50 297µs, p99 545µs                p50 3.8ms, p99 6ms',
      'Expectations           passed (3/3)                        passed (4/4)',
      'Model says             exhausts                            does not exhaust',
      '',
    ].join('\n'),
  );
  assert.equal(renderComparison([]), '');
});

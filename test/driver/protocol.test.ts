import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadScenarioFile, loadScenarioText } from '../../src/config/loader.js';
import { readDriverConfig } from '../../src/driver/process-io.js';
import { parseDriverConfig, parseEventLine, type DriverConfig, type DriverEvent } from '../../src/driver/protocol.js';
import { PortlabError } from '../../src/errors/index.js';

const SCENARIO = 'name: t\nduration: 2s\nlab: { sysctls: { net.ipv4.ip_local_port_range: 40000-40199 } }\nclient: { rate: 50/s }\n';

/** The config line exactly as the host writes it: the resolver's Scenario, through JSON. */
function configLine(): string {
  const { scenario } = loadScenarioText(SCENARIO, 't.yaml');
  const config: DriverConfig = { scenario, sysctlMode: 'write', sysctls: scenario.lab.sysctls };
  return JSON.stringify(config);
}

async function* lines(...texts: string[]): AsyncGenerator<string> {
  yield* texts;
}

function configError(value: unknown): PortlabError {
  try {
    parseDriverConfig(value);
  } catch (err) {
    assert.ok(err instanceof PortlabError, String(err));
    return err;
  }
  assert.fail('the config was accepted');
}

test('the config line the host writes is accepted as it is', () => {
  const sent: unknown = JSON.parse(configLine());
  const config = parseDriverConfig(sent);
  assert.deepEqual(config, sent);
  assert.deepEqual(config.scenario.lab.portRange, { low: 40000, high: 40199, size: 200 });
  assert.deepEqual(config.scenario.client.stages, [{ durationMs: 2000, ratePerSec: 50 }]);
});

test('every shipped scenario, in every sysctl mode, makes a config line the driver accepts', () => {
  const dir = new URL('../../../scenarios/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 5, `${files.length} scenarios`);
  for (const file of files) {
    const { scenario } = loadScenarioFile(`${dir}${file}`);
    for (const sysctlMode of ['write', 'verify', 'read'] as const) {
      const sent: unknown = JSON.parse(JSON.stringify({ scenario, sysctlMode, sysctls: scenario.lab.sysctls, externalTarget: sysctlMode === 'verify' }));
      assert.deepEqual(parseDriverConfig(sent), sent, `${file} ${sysctlMode}`);
    }
  }
});

test('a config line that does not fit is DRIVER_CONFIG_INVALID, naming the field', () => {
  const good = () => JSON.parse(configLine()) as { scenario: Record<string, Record<string, unknown>>; sysctlMode: string };
  const missing = good() as Partial<ReturnType<typeof good>>;
  delete missing.scenario;
  const cases: [unknown, RegExp][] = [
    [missing, /scenario: missing/],
    [{ ...good(), sysctlMode: 'sometimes' }, /sysctlMode: /],
    [{ ...good(), extra: 1 }, /extra/],
    [null, /expected a mapping|object/],
  ];
  const offLoopback = good();
  offLoopback.scenario.client!.destinations = [{ host: '10.0.0.1', port: 9000 }];
  cases.push([offLoopback, /scenario\.client\.destinations\[0\]\.host: only loopback/]);
  const badRange = good();
  badRange.scenario.lab!.portRange = { low: 40000, high: 40199, size: 7 };
  cases.push([badRange, /scenario\.lab\.portRange: /]);
  for (const [value, message] of cases) {
    const err = configError(value);
    assert.equal(err.code, 'DRIVER_CONFIG_INVALID');
    assert.match(err.message, message);
    assert.ok(err.hint);
  }
});

test('readDriverConfig: the first line, JSON checked; null when stdin closes first', async () => {
  const config = await readDriverConfig(lines(configLine(), 'stop'));
  assert.equal(config?.scenario.name, 't');
  assert.equal(await readDriverConfig(lines()), null);
  await assert.rejects(readDriverConfig(lines('{"scenario": ')), { code: 'DRIVER_CONFIG_INVALID' });
  await assert.rejects(readDriverConfig(lines('{"scenario": {}, "sysctlMode": "write", "sysctls": {}}')), { code: 'DRIVER_CONFIG_INVALID' });
});

const INTERVAL = {
  tMs: 250,
  attempts: 25,
  connected: 20,
  errors: { EADDRNOTAVAIL: 5 },
  timeWait: 180,
  clientTimeWait: 175,
  serverTimeWait: 0,
  established: 2,
  portsInUse: 199,
  targetRatePerSec: 100,
  skipped: 0,
  requests: 20,
  connectLatencyUs: { count: 25, p50: 300, p90: 400, p99: 500, max: 510, mean: 320.5 },
  requestLatencyUs: null,
  netstat: { TW: 3 },
};

test('every event type the driver sends is read as it was sent', () => {
  const events: DriverEvent[] = [
    { type: 'ready', sysctls: { 'net.ipv4.tcp_tw_reuse': '0' }, portRange: { low: 40000, high: 40199, size: 200 } },
    { type: 'started', plannedStarts: 500 },
    { type: 'interval', interval: INTERVAL },
    { type: 'onset', atMs: 2001.5, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
    {
      type: 'done',
      interrupted: false,
      durationMs: 5003.1,
      totals: { attempts: 3, connected: 2, errors: { EADDRNOTAVAIL: 1 }, skipped: 0, requests: 2, requestErrors: {}, bySource: {}, byDestination: {} },
      connectHist: 'HISTFAAAA',
      requestHist: null,
      lagHist: null,
      netstat: {},
    },
    { type: 'log', level: 'warn', message: 'sampler: EACCES' },
    { type: 'error', code: 'SYSCTL_REFUSED', message: 'refused', hint: 'check the name' },
  ];
  for (const event of events) assert.deepEqual(parseEventLine(JSON.stringify(event)), event, event.type);
});

const NAT_DEST = '198.18.1.2:9000';

test('nat lab: its config line (198.18.0.0/15 addresses, lab.nat, natGateway) and its gateway fields in events are read as sent', () => {
  const { scenario } = loadScenarioText('name: n\nduration: 2s\nlab: { kind: nat, nat: { portRange: 40000-40019, addresses: 2 } }\nclient: { rate: 50/s, sourceAddresses: [198.18.0.2] }\nexpect: { natDrops: true }\n', 'n.yaml');
  const config: DriverConfig = {
    scenario,
    sysctlMode: 'write',
    sysctls: scenario.lab.sysctls,
    externalTarget: true,
    natGateway: { procNetDir: '/proc/1234/net', conntrackTimeWaitSec: 120 },
  };
  const sent: unknown = JSON.parse(JSON.stringify(config));
  assert.deepEqual(parseDriverConfig(sent), sent);
  assert.deepEqual(parseDriverConfig(sent).scenario.lab.nat, { portRange: { low: 40000, high: 40019, size: 20 }, addresses: 2, randomFully: false });

  const events: DriverEvent[] = [
    { type: 'interval', interval: { ...INTERVAL, nat: { entries: 22, held: 20, timeWait: 2, heldByDestination: { [NAT_DEST]: 20 }, insertFailed: 4, drop: 4 } } },
    {
      type: 'onset',
      atMs: 1100,
      code: 'ETIMEDOUT',
      clientTimeWait: 0,
      portsInUse: 30,
      timeWait: 0,
      nat: { entries: 20, held: 20, timeWait: 0, byDestination: { [NAT_DEST]: { entries: 20, held: 20, timeWait: 0 } }, insertFailed: 10, drop: 10 },
    },
    {
      type: 'done',
      interrupted: false,
      durationMs: 2000,
      totals: { attempts: 30, connected: 20, errors: { ETIMEDOUT: 10 }, skipped: 0, requests: 0, requestErrors: {}, bySource: {}, byDestination: {} },
      connectHist: null,
      requestHist: null,
      lagHist: null,
      netstat: {},
      nat: {
        conntrackTimeWaitSec: 120,
        tableReadable: true,
        drops: { insert_failed: 10, drop: 10, early_drop: 0 },
        peak: { entries: 20, held: 20, timeWait: 0, byDestination: { [NAT_DEST]: { entries: 20, held: 20, timeWait: 0 } } },
      },
    },
  ];
  for (const event of events) assert.deepEqual(parseEventLine(JSON.stringify(event)), event, event.type);

  const bad = parseEventLine(JSON.stringify({ ...events[1], nat: { entries: 20, held: 'all' } }));
  assert.ok(bad?.type === 'log' && bad.level === 'warn');
  assert.match(bad.message, /invalid "onset" event.*nat\.held: /);
});

test('a malformed event is reported as a warning naming the event and field, not cast', () => {
  const bad = parseEventLine(JSON.stringify({ type: 'interval', interval: { ...INTERVAL, attempts: 'many' } }));
  assert.equal(bad?.type, 'log');
  assert.ok(bad?.type === 'log');
  assert.equal(bad.level, 'warn');
  assert.match(bad.message, /invalid "interval" event/);
  assert.match(bad.message, /interval\.attempts: expected a (whole )?number, got "many"/);

  const noRange = parseEventLine('{"type":"ready","sysctls":{}}');
  assert.ok(noRange?.type === 'log' && noRange.level === 'warn');
  assert.match(noRange.message, /invalid "ready" event.*portRange: missing/);

  const unknownCode = parseEventLine('{"type":"error","code":"EVERYTHING_BROKE","message":"x"}');
  assert.ok(unknownCode?.type === 'log' && unknownCode.level === 'warn');
  assert.match(unknownCode.message, /code: expected a portlab error code/);

  const unknownType = parseEventLine('{"type":"party"}');
  assert.ok(unknownType?.type === 'log' && unknownType.level === 'warn');
  assert.match(unknownType.message, /invalid "party" event/);
});

test('stray text stays a log line, not lost; blank lines are nothing', () => {
  assert.deepEqual(parseEventLine('(node:1) Warning: something'), { type: 'log', level: 'info', message: '(node:1) Warning: something' });
  assert.deepEqual(parseEventLine('{"no":"type"}'), { type: 'log', level: 'info', message: '{"no":"type"}' });
  assert.equal(parseEventLine('   '), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkScenarioText, loadScenarioText } from '../../src/config/loader.js';
import { formatPath } from '../../src/config/problems.js';
import { inLabNetwork, natAddresses } from '../../src/config/nat.js';

const BASE = 'duration: 2s\nclient:\n  rate: 10/s\n';
const errors = (text: string) => checkScenarioText(text, 'nat.yaml').problems.filter((p) => p.severity === 'error');

test('lab.kind nat: lab.nat defaults, and the default destination is the backend 198.18.1.2', () => {
  const { scenario } = loadScenarioText(`lab:\n  kind: nat\n${BASE}`, 'nat.yaml');
  assert.deepEqual(scenario.lab.nat, { portRange: { low: 40000, high: 40099, size: 100 }, addresses: 1, randomFully: false });
  assert.deepEqual(scenario.client.destinations, [{ host: '198.18.1.2', port: 9000 }]);
});

test('lab.nat is read with its port range, addresses and randomFully', () => {
  const text = `lab:\n  kind: nat\n  nat:\n    portRange: 40000-40019\n    addresses: 2\n    randomFully: true\ntarget:\n  ports: [9000, 9001]\n${BASE}`;
  const { scenario } = loadScenarioText(text, 'nat.yaml');
  assert.deepEqual(scenario.lab.nat, { portRange: { low: 40000, high: 40019, size: 20 }, addresses: 2, randomFully: true });
  assert.deepEqual(scenario.client.destinations.map((d) => `${d.host}:${d.port}`), ['198.18.1.2:9000', '198.18.1.2:9001']);
});

test('198.18.0.0/15 destinations are refused outside the nat lab, at the line that names them', () => {
  const text = `lab:\n  kind: userns\n${BASE}  destinations: ["198.18.1.2:9000"]\n`;
  const found = errors(text);
  assert.deepEqual(found.map((p) => [formatPath(p.path), p.line]), [['client.destinations[0]', 6]]);
  assert.equal(errors(`lab:\n  kind: userns\n${BASE}  sourceAddresses: [198.18.0.3]\n`).length, 1);
});

test('lab.nat outside the nat lab is an error at lab.nat', () => {
  const found = errors(`lab:\n  kind: userns\n  nat:\n    addresses: 2\n${BASE}`);
  assert.deepEqual(found.map((p) => formatPath(p.path)), ['lab.nat']);
});

test('the nat lab refuses loopback, NAT and client addresses as destinations, and backend addresses as sources', () => {
  const dest = (d: string) => errors(`lab:\n  kind: nat\n${BASE}  destinations: ["${d}"]\n`).map((p) => formatPath(p.path));
  assert.deepEqual(dest('127.0.0.1:9000'), ['client.destinations[0]']);
  assert.deepEqual(dest('198.18.1.101:9000'), ['client.destinations[0]']);
  assert.deepEqual(dest('198.18.0.2:9000'), ['client.destinations[0]']);
  assert.deepEqual(dest('198.18.1.3:9000'), []);
  const source = (s: string) => errors(`lab:\n  kind: nat\n${BASE}  sourceAddresses: [${s}]\n`).map((p) => formatPath(p.path));
  assert.deepEqual(source('198.18.1.5'), ['client.sourceAddresses[0]']);
  assert.deepEqual(source('127.0.0.2'), ['client.sourceAddresses[0]']);
  assert.deepEqual(source('198.18.0.10, 198.18.0.11'), []);
});

test('addresses outside loopback and 198.18.0.0/15 stay refused by the schema; names are never resolved', () => {
  assert.equal(errors(`lab:\n  kind: nat\n${BASE}  destinations: ["10.0.0.1:9000"]\n`).length, 1);
  assert.equal(errors(`lab:\n  kind: nat\n${BASE}  destinations: ["backend:9000"]\n`).length, 1);
  assert.equal(errors(`lab:\n  kind: nat\n${BASE}  destinations: ["198.20.0.1:9000"]\n`).length, 1);
});

test('a bad NAT port range or address count is located', () => {
  assert.deepEqual(errors(`lab:\n  kind: nat\n  nat:\n    portRange: 100-200\n${BASE}`).map((p) => formatPath(p.path)), ['lab.nat.portRange']);
  assert.deepEqual(errors(`lab:\n  kind: nat\n  nat:\n    portRange: 4-\n${BASE}`).map((p) => formatPath(p.path)), ['lab.nat.portRange']);
  assert.deepEqual(errors(`lab:\n  kind: nat\n  nat:\n    addresses: 17\n${BASE}`).map((p) => formatPath(p.path)), ['lab.nat.addresses']);
});

test('inLabNetwork: 198.18.0.0/15 only, IPv4 literals only', () => {
  assert.equal(inLabNetwork('198.18.0.1'), true);
  assert.equal(inLabNetwork('198.19.255.255'), true);
  assert.equal(inLabNetwork('198.20.0.1'), false);
  assert.equal(inLabNetwork('198.18.0.256'), false);
  assert.equal(inLabNetwork('127.0.0.1'), false);
  assert.deepEqual(natAddresses(3), ['198.18.1.101', '198.18.1.102', '198.18.1.103']);
});

test('the shipped nat scenarios are valid', () => {
  for (const name of ['nat-exhaustion', 'nat-exhaustion-two-ports', 'nat-held-open', 'nat-churn']) {
    const path = fileURLToPath(new URL(`../../../scenarios/${name}.yaml`, import.meta.url));
    const { scenario } = loadScenarioText(readFileSync(path, 'utf8'), path);
    assert.equal(scenario.lab.kind, 'nat', name);
    assert.ok(scenario.expect.natDrops !== undefined, `${name} claims something about the gateway`);
  }
});

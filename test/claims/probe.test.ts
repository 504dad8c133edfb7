import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portOrderFigures } from '../../src/claims/probe/probes.js';
import { parseProbeReply, parseProbeRequest } from '../../src/claims/probe/protocol.js';
import { PROBE_ENTRY, runProbe, type ProbeRunner } from '../../src/claims/probe/run-probe.js';
import { usernsCommand } from '../../src/lab/userns.js';

const RANGE = { low: 40000, high: 40009, size: 10 };

test("port order figures: the kernel's parity scan (measured order in kernel-facts.md)", () => {
  const figures = portOrderFigures([40002, 40006, 40000, 40004, 40008, 40003, 40001, 40005, 40007, 40009], RANGE);
  assert.deepEqual(figures, {
    connected: 10,
    ports: '40002 40006 40000 40004 40008 40003 40001 40005 40007 40009',
    firstPort: 40002,
    lowestFirst: 0,
    sequential: 0,
    ascendingSteps: 0,
    paritySwitches: 1,
    half: 5,
    lowParityFirst: 5,
  });
});

test('port order figures: what "lowest free port, sequentially" would look like', () => {
  const figures = portOrderFigures([40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009], RANGE);
  assert.deepEqual([figures.lowestFirst, figures.sequential, figures.ascendingSteps, figures.paritySwitches, figures.lowParityFirst], [1, 1, 9, 9, 3]);
  assert.deepEqual(portOrderFigures([], RANGE), { connected: 0, ports: '', firstPort: null, lowestFirst: 0, sequential: 0, ascendingSteps: 0, paritySwitches: 0, half: 0, lowParityFirst: 0 });
  const long = portOrderFigures(Array.from({ length: 22 }, (_, i) => 40000 + i), { low: 40000, high: 40021, size: 22 });
  assert.equal(long.ports, `${Array.from({ length: 20 }, (_, i) => 40000 + i).join(' ')} ...`);
});

test('probe lines are checked, not cast: requests and replies', () => {
  assert.deepEqual(parseProbeRequest('{"kind":"bind-in-range","sysctls":{"net.ipv4.ip_local_port_range":"41000 41009"},"bindPort":41004}'), {
    kind: 'bind-in-range',
    sysctls: { 'net.ipv4.ip_local_port_range': '41000 41009' },
    connections: undefined,
    bindPort: 41004,
    rangeSize: undefined,
    rounds: undefined,
  });
  assert.throws(() => parseProbeRequest('{"kind":"other","sysctls":{}}'), /lacks kind or sysctls/);
  assert.deepEqual(parseProbeReply('{"ok":true,"figures":{"held":10,"bindError":"EADDRINUSE","x":null,"bad":{}}}'), { ok: true, figures: { held: 10, bindError: 'EADDRINUSE', x: null } });
  assert.deepEqual(parseProbeReply('{"ok":false,"code":"SYSCTL_REFUSED","message":"no"}'), { ok: false, code: 'SYSCTL_REFUSED', message: 'no' });
  assert.equal(parseProbeReply('not json'), null);
  assert.equal(parseProbeReply('{"ok":true}'), null);
});

test('runProbe runs the probe entry in a userns lab, sends the request and turns the reply into a cell', async () => {
  const calls: [string[], string][] = [];
  const runner = (reply: { stdout: string; stderr: string; code: number | null }): ProbeRunner => async (command, input) => {
    calls.push([command, input]);
    return reply;
  };
  const spec = { name: 'plain', kind: 'bind-in-range' as const, sysctls: { 'net.ipv4.ip_local_port_range': '41000 41009' }, bindPort: 41004 };
  const ok = await runProbe(spec, runner({ stdout: 'noise\n{"ok":true,"figures":{"held":10}}\n', stderr: '', code: 0 }));
  assert.deepEqual(ok, { name: 'plain', kind: 'probe', figures: { held: 10 } });
  assert.deepEqual(calls[0], [usernsCommand(PROBE_ENTRY), '{"kind":"bind-in-range","sysctls":{"net.ipv4.ip_local_port_range":"41000 41009"},"bindPort":41004}\n']);
  const refused = await runProbe(spec, runner({ stdout: '{"ok":false,"code":"SYSCTL_REFUSED","message":"the lab refused it"}\n', stderr: '', code: 0 }));
  assert.deepEqual(refused, { name: 'plain', kind: 'probe', figures: { failure: 'SYSCTL_REFUSED' }, error: 'the lab refused it' });
  const broken = await runProbe(spec, runner({ stdout: '', stderr: 'unshare: Operation not permitted\n', code: 1 }));
  assert.deepEqual(broken, { name: 'plain', kind: 'probe', figures: { failure: 'LAB_UNAVAILABLE' }, error: "the probe's lab failed (exit 1): unshare: Operation not permitted" });
});

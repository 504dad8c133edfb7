/** The nat lab's plan and checks, as data (fast: no namespace is made). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inLabNetwork } from '../../src/config/nat.js';
import { isolationProblems, natSetupSteps, parseLinkNames, snatRule, type NsView } from '../../src/lab/nat/plan.js';
import { natTools } from '../../src/lab/nat/tools.js';
import { PortlabError } from '../../src/errors/index.js';

const nat = { portRange: { low: 40000, high: 40099, size: 100 }, addresses: 1, randomFully: false };

test('the SNAT rule: TCP leaving towards the backend, to the NAT addresses and port range', () => {
  assert.deepEqual(snatRule(nat), ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'pl-nat-g1', '-p', 'tcp', '-j', 'SNAT', '--to-source', '198.18.1.101:40000-40099']);
  assert.deepEqual(snatRule({ ...nat, addresses: 2, randomFully: true }).slice(-2), ['198.18.1.101-198.18.1.102:40000-40099', '--random-fully']);
});

test('setup: links only between the lab namespaces, addresses only from 198.18.0.0/15, forwarding and NAT in the gateway', () => {
  const steps = natSetupSteps({ nat: { ...nat, addresses: 2 }, clientAddresses: ['198.18.0.2', '198.18.0.10'], backendAddresses: ['198.18.1.2'], gatewayPid: 101, backendPid: 102, ip: '/sbin/ip', iptables: '/sbin/iptables' });
  const veths = steps.filter((s) => s.argv.includes('veth'));
  assert.deepEqual(veths.map((s) => [s.ns, s.argv.at(-1)]), [['clients', '101'], ['gateway', '102']]);
  for (const s of veths) assert.equal(s.argv[s.argv.length - 2], 'netns', 'each peer goes straight into a lab namespace');
  const addresses = steps.filter((s) => s.argv[1] === 'addr').map((s) => s.argv[3]!.split('/')[0]!);
  assert.deepEqual(addresses, ['198.18.0.2', '198.18.0.10', '198.18.0.1', '198.18.1.1', '198.18.1.101', '198.18.1.102', '198.18.1.2']);
  assert.ok(addresses.every(inLabNetwork));
  const sysctls = steps.filter((s) => s.argv[0] === 'sh');
  assert.deepEqual(sysctls.map((s) => [s.ns, s.argv.slice(3)]), [['gateway', ['/proc/sys/net/ipv4/ip_forward', '1']]]);
  assert.deepEqual(steps.filter((s) => s.argv[0] === '/sbin/iptables').map((s) => s.ns), ['gateway']);
  const route = steps.find((s) => s.argv[1] === 'route');
  assert.deepEqual(route, { ns: 'clients', argv: ['/sbin/ip', 'route', 'add', '198.18.1.0/24', 'via', '198.18.0.1'] });
});

test('link names from `ip -o link show`', () => {
  const text = [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    '2: pl-nat-g0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 5a:1c:2b:3d:4e:5f brd ff:ff:ff:ff:ff:ff link-netnsid 0',
    '3: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ipip 0.0.0.0 brd 0.0.0.0',
    '',
  ].join('\n');
  assert.deepEqual(parseLinkNames(text), ['lo', 'pl-nat-g0', 'tunl0']);
});

const good = (): NsView[] => [
  { role: 'host', netns: 'net:[1]', links: ['lo', 'eth0', 'docker0'] },
  { role: 'clients', netns: 'net:[2]', links: ['lo', 'pl-nat-c0'] },
  { role: 'gateway', netns: 'net:[3]', links: ['lo', 'pl-nat-g0', 'pl-nat-g1', 'tunl0'] },
  { role: 'backend', netns: 'net:[4]', links: ['lo', 'pl-nat-b0'] },
];

test('isolation: the planned layout passes (kernel fallback devices such as tunl0 included)', () => {
  assert.deepEqual(isolationProblems(good()), []);
});

test('isolation: a lab namespace that is the host\'s, or a lab interface on the host, refuses the lab', () => {
  const sameAsHost = good();
  sameAsHost[1] = { ...sameAsHost[1]!, netns: 'net:[1]' };
  assert.equal(isolationProblems(sameAsHost).length, 1);
  const onHost = good();
  onHost[0] = { ...onHost[0]!, links: ['lo', 'eth0', 'pl-nat-c0'] };
  assert.match(isolationProblems(onHost).join('\n'), /pl-nat-c0 is attached to the host/);
  const shared = good();
  shared[3] = { ...shared[3]!, netns: 'net:[3]' };
  assert.match(isolationProblems(shared).join('\n'), /the same/);
  const misplaced = good();
  misplaced[1] = { ...misplaced[1]!, links: ['lo', 'pl-nat-c0', 'pl-nat-b0'] };
  misplaced[3] = { ...misplaced[3]!, links: ['lo'] };
  assert.deepEqual(isolationProblems(misplaced).length, 2);
  assert.ok(isolationProblems(good().filter((v) => v.role !== 'host')).length > 0, 'an unchecked host is a problem');
});

test('a missing tool is LAB_UNAVAILABLE (exit 3) naming the package', () => {
  const err = (() => {
    try {
      natTools((name) => (name === 'iptables' ? null : `/usr/bin/${name}`));
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(err instanceof PortlabError);
  assert.equal(err.code, 'LAB_UNAVAILABLE');
  assert.equal(err.exitCode, 3);
  assert.match(err.hint ?? '', /iptables/);
  assert.deepEqual(Object.keys(natTools((name) => `/x/${name}`)).sort(), ['ip', 'iptables', 'nsenter', 'setpriv', 'unshare']);
});

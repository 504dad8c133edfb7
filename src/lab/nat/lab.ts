/**
 * The nat lab (`lab.kind: nat`): clients, a source-NAT gateway and the backend, each in its own network
 * namespace inside one unprivileged user namespace (keeper.ts). The driver runs the load in the clients'
 * namespace and samples the gateway's conntrack through /proc/<gateway pid>/net; the bundled target runs
 * in the backend. Before the driver starts, the lab checks that every interface it made sits in a lab
 * namespace and none in the host's, and refuses to start otherwise.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NAT_NET } from '../../config/nat.js';
import type { Scenario } from '../../config/types.js';
import type { DriverConfig, NatGatewayInfo } from '../../driver/protocol.js';
import { PortlabError } from '../../errors/index.js';
import { targetOptionsFor } from '../../target/start.js';
import { DRIVER_ENTRY, spawnDriver } from '../driver-process.js';
import type { DriverProcess, Lab, LabOptions } from '../types.js';
import { netnsOf, startKeeper, type Keeper } from './keeper.js';
import { isolationProblems, natSetupSteps, parseLinkNames, type NsRole, type NsView, type SetupStep } from './plan.js';
import { natTools, type NatTools } from './tools.js';

const BACKEND_ENTRY = fileURLToPath(new URL('./backend-main.js', import.meta.url));
const COMMAND_TIMEOUT_MS = 10_000;
const BACKEND_START_MS = 15_000;
/** The namespaces outlive the planned run by this much at most, even if nothing ends them. */
const EXTRA_LIFETIME_SEC = 180;
/** Conntrack's default TIME_WAIT timeout (nf_conntrack_tcp_timeout_time_wait), used if it cannot be read. */
const DEFAULT_CONNTRACK_TIME_WAIT_SEC = 120;

/**
 * The lab's three namespaces, by the pid that holds each. Every command enters one through nsenter, and only
 * after checking that the pid still holds the namespace the lab made: a pid freed and reused would belong to
 * someone else, possibly in the host's namespace. (The holders cannot die unnoticed: they stay zombies, pid
 * reserved, until the keeper reaps them at the end; the keeper itself is this process's child.)
 */
class Namespaces {
  readonly netns: Record<NsRole, string>;

  constructor(
    private readonly tools: NatTools,
    readonly pids: Record<NsRole, number>,
  ) {
    const host = netnsOf('self');
    const netns: Partial<Record<NsRole, string>> = {};
    for (const role of ['clients', 'gateway', 'backend'] as const) {
      const own = netnsOf(pids[role]);
      if (own === null || own === host || Object.values(netns).includes(own)) {
        throw new PortlabError('LAB_FAILED', `the nat lab refuses to start: its ${role} namespace is not a namespace of its own (${own ?? 'gone'})`, {
          hint: 'report this as a bug',
        });
      }
      netns[role] = own;
    }
    this.netns = { clients: netns.clients!, gateway: netns.gateway!, backend: netns.backend! };
  }

  /** nsenter's arguments up to the command, for `role`. Throws LAB_FAILED if that namespace's holder is gone. */
  enter(role: NsRole): string[] {
    const pid = this.pids[role];
    if (netnsOf(pid) !== this.netns[role]) {
      throw new PortlabError('LAB_FAILED', `the nat lab's ${role} namespace went away (pid ${pid})`, { hint: 'run with PORTLAB_DEBUG=1 for details' });
    }
    return ['--preserve-credentials', '--user', '--net', '--target', String(pid), '--'];
  }

  run(role: NsRole, argv: string[]): { ok: boolean; output: string } {
    const result = spawnSync(this.tools.nsenter, [...this.enter(role), ...argv], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
    if (result.error) return { ok: false, output: result.error.message };
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
  }

  /** Every interface of the host and of the three lab namespaces, for isolationProblems. */
  views(): NsView[] {
    const hostLinks = spawnSync(this.tools.ip, ['-o', 'link', 'show'], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
    const out: NsView[] = [{ role: 'host', netns: netnsOf('self') ?? '', links: parseLinkNames(hostLinks.stdout ?? '') }];
    for (const role of ['clients', 'gateway', 'backend'] as const) {
      const listed = this.run(role, [this.tools.ip, '-o', 'link', 'show']);
      out.push({ role, netns: netnsOf(this.pids[role]) ?? '', links: listed.ok ? parseLinkNames(listed.output) : [] });
    }
    return out;
  }
}

function stepError(step: SetupStep, output: string, tools: NatTools): PortlabError {
  if (step.argv[0] === tools.iptables) {
    return new PortlabError('LAB_UNAVAILABLE', `the gateway could not set up source NAT: ${output || 'iptables failed'}`, {
      hint:
        'the nat lab needs iptables with the nat table (Debian: apt-get install iptables) and a kernel with nf_nat and ' +
        'nf_conntrack (nf_tables: nft_chain_nat); a user namespace cannot load modules, so load them as root (modprobe nft_chain_nat)',
    });
  }
  return new PortlabError('LAB_FAILED', `nat lab setup failed in the ${step.ns} namespace (${step.argv.join(' ')}): ${output}`, {
    hint: 'the nat lab needs iproute2 with veth support; run with PORTLAB_DEBUG=1 for details',
  });
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

interface Backend {
  child: ChildProcessWithoutNullStreams;
  stderrTail(): string;
}

/** Starts the target in the backend namespace and waits for its "listening". */
async function startBackend(tools: NatTools, namespaces: Namespaces, scenario: Scenario): Promise<Backend> {
  const child = spawn(tools.nsenter, [...namespaces.enter('backend'), tools.setpriv, '--pdeathsig', 'KILL', '--', process.execPath, BACKEND_ENTRY], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  child.stdin.on('error', () => {});
  const options = { ...targetOptionsFor(scenario), listen: scenario.client.destinations.map((d) => ({ host: d.host, port: d.port })) };
  child.stdin.write(`${JSON.stringify(options)}\n`);
  const listening = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), BACKEND_START_MS);
    child.once('exit', () => resolve(false));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim() === 'listening') {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  if (!listening) {
    child.kill('SIGKILL');
    throw new PortlabError('LAB_FAILED', `the nat lab's backend did not start listening: ${stderr.trim() || 'no output'}`, {
      hint: 'run with PORTLAB_DEBUG=1 for details',
    });
  }
  return { child, stderrTail: () => stderr.trim() };
}

function exited(child: ChildProcessWithoutNullStreams | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export function createNatLab(options: LabOptions): Lab {
  let keeper: Keeper | undefined;
  let namespaces: Namespaces | undefined;
  let backend: Backend | undefined;
  let driver: DriverProcess | undefined;
  let destroying: Promise<void> | undefined;

  const build = async (config: DriverConfig): Promise<DriverConfig> => {
    const { scenario } = config;
    const nat = scenario.lab.nat;
    if (!nat) throw new PortlabError('INTERNAL', 'the nat lab was started without lab.nat settings');
    const tools = natTools();
    const lifetimeSec = (scenario.durationMs + scenario.client.connectTimeoutMs) / 1000 + EXTRA_LIFETIME_SEC;
    keeper = await startKeeper(tools, lifetimeSec);
    const lab = (namespaces = new Namespaces(tools, { clients: keeper.pid, gateway: keeper.gatewayPid, backend: keeper.backendPid }));
    const clientAddresses = uniq([NAT_NET.client, ...scenario.client.sourceAddresses.filter((a) => a.startsWith('198.18.0.'))]);
    const steps = natSetupSteps({
      nat,
      clientAddresses,
      backendAddresses: uniq(scenario.client.destinations.map((d) => d.host)),
      gatewayPid: keeper.gatewayPid,
      backendPid: keeper.backendPid,
      ip: tools.ip,
      iptables: tools.iptables,
    });
    for (const step of steps) {
      const result = lab.run(step.ns, step.argv);
      if (!result.ok) throw stepError(step, result.output, tools);
    }
    const problems = isolationProblems(lab.views());
    if (problems.length > 0) {
      throw new PortlabError('LAB_FAILED', `the nat lab refuses to start: ${problems.join('; ')}`, {
        hint: 'the lab links only namespaces it created and never the host\'s; report this as a bug',
      });
    }
    const timeWait = lab.run('gateway', ['cat', '/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait']);
    const natGateway: NatGatewayInfo = {
      procNetDir: `/proc/${keeper.gatewayPid}/net`,
      conntrackTimeWaitSec: timeWait.ok && /^\d+$/.test(timeWait.output) ? Number(timeWait.output) : DEFAULT_CONNTRACK_TIME_WAIT_SEC,
    };
    backend = await startBackend(tools, lab, scenario);
    return { ...config, externalTarget: true, natGateway };
  };

  return {
    kind: 'nat',
    id: options.id,
    sysctlMode: 'write',
    startDriver: async (config) => {
      const inLab = await build(config);
      const tools = natTools();
      const inner = spawnDriver(tools.nsenter, [...namespaces!.enter('clients'), tools.setpriv, '--pdeathsig', 'KILL', '--', process.execPath, DRIVER_ENTRY], inLab);
      driver = inner;
      const backendTail = backend!.stderrTail;
      return { ...inner, stderrTail: () => [inner.stderrTail(), backendTail() && `backend: ${backendTail()}`].filter(Boolean).join('\n') };
    },
    destroy: () =>
      (destroying ??= (async () => {
        driver?.kill();
        await driver?.exited;
        backend?.child.kill('SIGKILL');
        await exited(backend?.child);
        await keeper?.stop();
      })()),
  };
}

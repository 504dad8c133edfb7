/**
 * Which combinations of engine, protocol and client settings an engine can actually run. Part of
 * resolving a scenario, so `portlab validate` reports them, located, before any lab is made.
 */
import type { Problem, Scenario } from './types.js';
import { bindsSource } from './binding.js';

const HTTP_ENGINES = new Set(['node-agent', 'autocannon']);

function error(path: Problem['path'], message: string): Problem {
  return { severity: 'error', path, message };
}

export function engineProblems(scenario: Scenario): Problem[] {
  const { client, target } = scenario;
  const problems: Problem[] = [];
  const http = HTTP_ENGINES.has(client.engine);
  if (http && target.protocol !== 'http') {
    problems.push(error(['target', 'protocol'], `client.engine ${client.engine} sends HTTP requests: set target.protocol to http`));
  }
  if (!http && target.protocol === 'http') {
    problems.push(
      error(['client', 'engine'], "the raw engine speaks portlab's line protocol, not HTTP: use client.engine node-agent or autocannon with target.protocol http"),
    );
  }
  if (http && client.close === 'reset') {
    problems.push(error(['client', 'close'], `the ${client.engine} engine cannot end connections with RST: use the raw engine for close: reset`));
  }
  if (client.engine === 'autocannon') {
    const rates = new Set(client.stages.map((s) => s.ratePerSec));
    if (rates.size > 1) {
      problems.push(error(['client', 'stages'], 'autocannon runs one constant rate: give client.rate instead of a ramp of stages'));
    }
    if (bindsSource(client)) {
      problems.push(error(['client', 'sourceAddresses'], 'autocannon cannot bind source addresses: use client.engine node-agent or raw'));
    }
  } else if (client.pipelining > 1) {
    problems.push({ severity: 'warning', path: ['client', 'pipelining'], message: 'client.pipelining applies to the autocannon engine only' });
  }
  return problems;
}

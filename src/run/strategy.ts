/**
 * The facts about how a scenario's client manages its connections that the diagnosis and the reports need
 * beyond the summary's own fields: keep-alive against the server's idle timeout, a recycling pool, how bound
 * sources get their ports. Derived from the scenario through the model's rules (model/keep-alive.ts,
 * model/recycling.ts), so the words and the prediction agree.
 */
import { bindsSource } from '../config/binding.js';
import type { Scenario } from '../config/types.js';
import { planFor } from '../model/plan.js';
import { recycleRatePerSec, recycles } from '../model/recycling.js';
import type { StrategyFacts } from '../metrics/types.js';
import { keepAliveOf } from './prediction.js';

export function strategyFacts(scenario: Scenario): StrategyFacts {
  const { client, target } = scenario;
  const keepAlive = keepAliveOf(scenario);
  const pool = { poolSize: client.pool.size, lifetimeMs: client.pool.maxLifetimeMs, requestsPerConnection: client.pool.maxRequestsPerConnection };
  const recycling = client.engine === 'raw' && client.pattern === 'pool' && recycles(pool);
  return {
    arrival: client.arrival,
    keepAlive: keepAlive && {
      ...keepAlive,
      client: client.engine,
      serverTimeoutMs: target.keepAliveTimeoutMs,
      hint: target.keepAliveHint && !target.connectionClose,
    },
    recycle: recycling ? { ...pool, ratePerSec: recycleRatePerSec(pool, planFor(client.stages).peakRatePerSec) } : null,
    bindStrategy: bindsSource(client) ? client.bindStrategy : null,
    retries: keepAlive ? client.retries : 0,
  };
}

/** Notes on the lab that the strategy adds (labNotes in diagnosis.ts covers bind(ip, 0)). */
export function strategyNotes(scenario: Scenario): string[] {
  if (!bindsSource(scenario.client) || scenario.client.bindStrategy !== 'no-port') return [];
  const notes = [
    'sources are bound with IP_BIND_ADDRESS_NO_PORT: bind(ip, 0) takes only the address and connect() picks the port per 4-tuple, so destinations multiply the ports and exhaustion shows as EADDRNOTAVAIL.',
  ];
  const range = scenario.client.socketPortRange;
  if (range) {
    notes.push(
      `each socket draws its port from ${range.low}-${range.high} (IP_LOCAL_PORT_RANGE, ${range.size} ports), within the lab's range: ` +
        'the model and the figures count those ports per 4-tuple.',
    );
  }
  return notes;
}

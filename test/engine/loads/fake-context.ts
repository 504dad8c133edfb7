/**
 * Test helper: a LoadContext over a fake network and a manual clock, so a load runs without the kernel,
 * and a runtime that records what the load counted.
 */
import type { LoadContext } from '../../../src/engine/loads/load.js';
import type { WorkerConfig } from '../../../src/engine/messages.js';
import { createConnector } from '../../../src/net/connect.js';
import { httpWorkerConfig, recordingRuntime, type RecordingRuntime } from '../../helpers/http.js';
import { FakeNetwork, settle, type PeerOptions } from '../../net/fake-socket.js';
import { FakeClock } from '../../sampler/fake-clock.js';

export interface FakeLoadSetup extends RecordingRuntime {
  context: LoadContext;
  network: FakeNetwork;
  clock: FakeClock;
  /** Arrivals that context.arrivals started, by global index. */
  arrived: number[];
}

/**
 * One worker of a tcp load against 127.0.0.1:9000 (and whatever `overrides` say). `context.arrivals` starts
 * `arrivals` arrivals (k = 0, 1, ...) at once and is finished a few event-loop turns later (after the
 * connects the fake network answers at once).
 */
export function fakeLoadSetup(overrides: Partial<WorkerConfig>, peer: PeerOptions = {}, arrivals = 0): FakeLoadSetup {
  const config = httpWorkerConfig(9000, { protocol: 'tcp', load: 'churn', ...overrides });
  const recording = recordingRuntime(config);
  const clock = new FakeClock();
  const network = new FakeNetwork({ responseBytes: config.responseBytes, ...peer });
  const arrived: number[] = [];
  const context: LoadContext = {
    runtime: recording.runtime,
    connect: createConnector({ createSocket: network.createSocket, now: clock.now, timers: clock }),
    now: clock.now,
    timers: clock,
    arrivals(start) {
      for (let k = 0; k < arrivals; k++) {
        arrived.push(k);
        start(k);
      }
      return { stop() {}, finished: settle() };
    },
  };
  return { ...recording, context, network, clock, arrived };
}

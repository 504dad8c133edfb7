/** Round-robin over (source, destination): index k maps to every combination in turn. */
import type { Destination } from '../../config/types.js';
import { formatHostPort } from '../../util/host-port.js';
import type { WorkerRuntime } from './runtime.js';

export interface Endpoint {
  source: string;
  /** "host:port" as shown in reports ("[::1]:9000" for IPv6). */
  destinationLabel: string;
  destination: Destination;
}

export function destinationLabel(d: Destination): string {
  return formatHostPort(d.host, d.port);
}

/** Precomputes every combination; k % combinations picks one, sources varying fastest. */
export function endpointCycle(sources: string[], destinations: Destination[]): Endpoint[] {
  const cycle: Endpoint[] = [];
  for (const destination of destinations) {
    for (const source of sources) cycle.push({ source, destination, destinationLabel: destinationLabel(destination) });
  }
  return cycle;
}

/** The endpoint of start k (its global index) once maxInFlight admits it; null when it is skipped. */
export function admittedEndpoint(runtime: WorkerRuntime, cycle: readonly Endpoint[], k: number): Endpoint | null {
  return runtime.admit() ? cycle[k % cycle.length]! : null;
}

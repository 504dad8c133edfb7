/** What each probe kind measures: its figures (checks may name them) and the few a table shows. */
import type { ProbeKind } from '../types.js';

const LAB_FIGURES = {
  portRangeLow: "ip_local_port_range low end, read back (range-fill: the namespace's own, before the rounds)",
  portRangeHigh: 'ip_local_port_range high end, read back',
  portRangeSize: 'ports in the range',
  failure: 'the error code of a probe that could not run, none when it ran',
  exhaustedWith: 'the error code of the connect that found no port (none: every connect got one)',
};

export const PROBE_FIGURES: Readonly<Record<ProbeKind, Readonly<Record<string, string>>>> = {
  'ports-chosen': {
    ...LAB_FIGURES,
    connected: 'connects that got a port, one after another, each closed by the client (its port stays in TIME_WAIT)',
    ports: 'the ports chosen, in order (the first 20)',
    firstPort: 'the first port chosen',
    lowestFirst: '1 when the first port is the low end of the range',
    sequential: '1 when every port is the previous one plus 1',
    ascendingSteps: 'how many times the next port was the previous one plus 1',
    paritySwitches: 'how many times the next port had the other parity',
    half: 'half the connects, rounded down',
    lowParityFirst: "how many of the first half had the parity of the range's low end",
  },
  'bind-in-range': {
    ...LAB_FIGURES,
    held: 'connections held open when connect() ran out of ports',
    heldBindPort: "1 when one of them held the service's port",
    bindError: "the error of a service's listen() on that port while they were open (none: it listened)",
    reservedPorts: 'ip_local_reserved_ports, read back',
  },
  'range-fill': {
    ...LAB_FIGURES,
    rounds: 'fresh ranges filled, one after another',
    fullRounds: 'rounds in which connect() used every port of the range',
    lostRounds: 'rounds in which connect() failed with exactly one port of the range still free',
    shortRounds: 'rounds in which it failed with more than one port free',
    connected: 'connects that got a port, over every round',
    lostPct: 'lostRounds in percent of rounds',
  },
};

/** The figures a cell table shows for each probe kind when the claim names none. */
export const PROBE_TABLE_FIGURES: Readonly<Record<ProbeKind, readonly string[]>> = {
  'ports-chosen': ['connected', 'ports'],
  'bind-in-range': ['held', 'heldBindPort', 'bindError'],
  'range-fill': ['rounds', 'fullRounds', 'lostRounds'],
};

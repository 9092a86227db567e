/** A harness around ContainerProbes on a VirtualClock, recording everything it reports. */

import type { Container, Pod } from '../../src/api/types.js';
import type { ContainerProbesOptions, ProbeKill, ProbeResult, ProbeStatus } from '../../src/probes/container-probes.js';
import { ContainerProbes } from '../../src/probes/container-probes.js';
import type { ProbeOutcome } from '../../src/probes/probe-outcome.js';
import type { ProbeSpec, ProbeType } from '../../src/probes/probe-spec.js';
import type { ProbeEvent } from '../../src/probes/run-probe.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { execRuntime, makePod, makeRef, stubHttp } from './helpers.js';

/** What an attempt answers: `true` success, `false` failure, an outcome as is. */
export type Answer = boolean | ProbeOutcome | ((signal: AbortSignal) => Promise<ProbeOutcome>);

export interface Harness {
  readonly clock: VirtualClock;
  readonly probes: ContainerProbes;
  readonly pod: Pod;
  readonly attempts: Array<{ type: ProbeType; at: number; signal: AbortSignal }>;
  readonly events: Array<ProbeEvent & { at: number }>;
  readonly kills: Array<ProbeKill & { at: number }>;
  readonly statuses: Array<ProbeStatus & { at: number }>;
  readonly results: Array<{ type: ProbeType; result: ProbeResult; at: number }>;
  /** Start a new container instance now. */
  start(id?: string): void;
  /** Attempts of one probe type, as times in seconds. */
  times(type: ProbeType): number[];
}

/** A container whose probes use the full `core/v1.Probe` shape (the API model may not declare it yet). */
export type ProbeContainer = Omit<Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> & {
  livenessProbe?: ProbeSpec;
  readinessProbe?: ProbeSpec;
  startupProbe?: ProbeSpec;
};

export function harness(
  probeContainer: ProbeContainer,
  answer: (type: ProbeType, at: number) => Answer,
  options: {
    podSpec?: Partial<Pod['spec']>;
    startAtCreation?: boolean;
    clock?: VirtualClock;
    extra?: Partial<ContainerProbesOptions>;
  } = {},
): Harness {
  const container = probeContainer as Container;
  const clock = options.clock ?? new VirtualClock();
  const pod = makePod(container, options.podSpec);
  const h = {
    clock,
    pod,
    attempts: [] as Harness['attempts'],
    events: [] as Harness['events'],
    kills: [] as Harness['kills'],
    statuses: [] as Harness['statuses'],
    results: [] as Harness['results'],
  };
  const probes = new ContainerProbes({
    pod,
    container,
    clock,
    runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
    httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
    onEvent: (event) => h.events.push({ ...event, at: clock.now() }),
    onKill: (kill) => h.kills.push({ ...kill, at: clock.now() }),
    onStatusChange: (status) => h.statuses.push({ ...status, at: clock.now() }),
    onResult: (type, result) => h.results.push({ type, result, at: clock.now() }),
    attempt: (probe, ctx) => {
      h.attempts.push({ type: probe.type, at: clock.now(), signal: ctx.signal });
      const a = answer(probe.type, clock.now());
      if (typeof a === 'function') return a(ctx.signal);
      if (typeof a === 'boolean') {
        return Promise.resolve(
          a ? { result: 'success', output: '' } : { result: 'failure', output: `${probe.type} down` },
        );
      }
      return Promise.resolve(a);
    },
    ...(options.startAtCreation === true ? { running: { ref: makeRef(container.name, 'c1') } } : {}),
    ...options.extra,
  });
  let n = options.startAtCreation === true ? 1 : 0;
  const start = (id = `c${++n}`): void => probes.containerStarted({ ref: makeRef(container.name, id) });
  return {
    ...h,
    probes,
    start,
    times: (type) => h.attempts.filter((a) => a.type === type).map((a) => a.at / 1000),
  };
}

/**
 * The results cache of one container's probes (`pkg/kubelet/prober/results`) and the
 * `started`/`ready` the prober manager derives from it in `UpdatePodStatus` (spec pod §5.3).
 *
 * @module
 */

import type { ProbeType } from './probe-spec.js';

/** A cached probe result (`pkg/kubelet/prober/results`). */
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

/** `started` and `ready` as the status manager writes them (spec pod §5.3). */
export interface ProbeStatus {
  readonly started: boolean;
  readonly ready: boolean;
}

/** The cached value a new container instance starts with (spec pod §6.1, `worker.initialValue`). */
export const INITIAL_PROBE_RESULTS: Readonly<Record<ProbeType, ProbeResult>> = Object.freeze({
  liveness: 'Success',
  readiness: 'Failure',
  startup: 'Unknown',
});

/**
 * `started` = running and (startup `Success`, or no startup worker); `ready` = started and
 * (readiness `Success`, or no readiness worker) — `isContainerStarted` and the readiness part of
 * `UpdatePodStatus` (spec pod §5.3, [PRM]).
 *
 * @example probeStatusOf(true, new Set(['readiness']), new Map([['readiness', 'Success']])) // { started: true, ready: true }
 */
export function probeStatusOf(
  isRunning: boolean,
  workers: ReadonlySet<ProbeType> | ReadonlyMap<ProbeType, unknown>,
  results: ReadonlyMap<ProbeType, ProbeResult>,
): ProbeStatus {
  const has = (type: ProbeType, value: ProbeResult): boolean => !workers.has(type) || results.get(type) === value;
  const started = isRunning && has('startup', 'Success');
  return { started, ready: started && has('readiness', 'Success') };
}

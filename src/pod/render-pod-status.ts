/**
 * Status generation as a pure function (spec pod §9 item 11): the worker's container records,
 * the pod's state and the previous status → a fresh, frozen `PodLifecycleStatus` (spec pod §5).
 *
 * @module
 */

import type { PodLifecycleStatus, PodPhase } from '../api/pod-status.js';
import { toApiTime } from '../api/pod-status.js';
import { type ContainerRecord, renderContainerStatus } from './container-record.js';
import { generatePodConditions } from './pod-conditions.js';
import { getPodPhase } from './pod-phase.js';
import type { RestartGates } from './restart-decision.js';

/** Inputs of {@link renderPodStatus}. */
export interface RenderPodStatusInput {
  readonly initContainers: readonly ContainerRecord[];
  readonly containers: readonly ContainerRecord[];
  readonly podRestartPolicy: string | undefined;
  readonly deleted: boolean;
  /** Some regular container has started. */
  readonly initialized: boolean;
  readonly sandboxReady: boolean;
  readonly podIP: string | undefined;
  readonly startTimeMs: number | undefined;
  readonly previous: PodLifecycleStatus | undefined;
  readonly nowMs: number;
  readonly gates?: RestartGates;
}

/** Freeze `value` and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The pod status (spec pod §5): container statuses (default Waiting reason `PodInitializing` when
 * the pod has init containers, else `ContainerCreating`), phase by `getPhase` with terminal phases
 * sticky, conditions with transition times carried over from `previous`.
 */
export function renderPodStatus(input: RenderPodStatusInput): PodLifecycleStatus {
  const defaultReason = input.initContainers.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = input.initContainers.map((r) => renderContainerStatus(r, defaultReason));
  const statuses = input.containers.map((r) => renderContainerStatus(r, defaultReason));
  const all = [...input.initContainers, ...input.containers];
  const byIndex = [...initStatuses, ...statuses];
  const { previous } = input;
  let phase: PodPhase = getPodPhase({
    containers: all.map((r, i) => ({ name: r.name, kind: r.kind, spec: r.spec, status: byIndex[i] })),
    podRestartPolicy: input.podRestartPolicy,
    podIsTerminal: input.deleted,
    podHasInitialized: input.initialized,
    ...(input.gates !== undefined ? { gates: input.gates } : {}),
  });
  // The kubelet never moves a pod out of a terminal phase (spec pod §5.1 post-processing).
  if (previous && (previous.phase === 'Succeeded' || previous.phase === 'Failed')) phase = previous.phase;
  const conditions = generatePodConditions({
    containers: all.map((r, i) => ({ name: r.name, kind: r.kind, status: byIndex[i] })),
    phase,
    sandboxReady: input.sandboxReady,
    previous: previous?.conditions ?? [],
    nowMs: input.nowMs,
  });
  const ip = input.podIP;
  return deepFreeze({
    phase,
    conditions,
    ...(ip !== undefined ? { podIP: ip, podIPs: [{ ip }] } : {}),
    ...(input.startTimeMs !== undefined ? { startTime: toApiTime(input.startTimeMs) } : {}),
    initContainerStatuses: initStatuses,
    containerStatuses: statuses,
  });
}

/**
 * Status generation as a pure function (spec pod §9 item 11): the worker's container records,
 * the pod's state and the previous status → a fresh, frozen `PodLifecycleStatus` (spec pod §5).
 *
 * @module
 */

import type { PodContainerStatus, PodLifecycleStatus, PodPhase } from '../api/pod-status.js';
import { toApiTime } from '../api/pod-status.js';
import type { ContainerRecord } from './container-record.js';
import { generatePodConditions } from './pod-conditions.js';
import { getPodPhase, type PhaseContainer } from './pod-phase.js';
import { renderContainerStatus } from './render-container-status.js';
import type { RestartGates } from './restart-decision.js';
import { terminatePodStatus } from './terminate-pod-status.js';

/** Inputs of {@link renderPodStatus}. */
export interface RenderPodStatusInput {
  readonly initContainers: readonly ContainerRecord[];
  readonly containers: readonly ContainerRecord[];
  readonly podRestartPolicy: string | undefined;
  readonly deleted: boolean;
  /**
   * The pod's life is over (deleted with nothing left running, or completed): the status is the
   * one the kubelet's `TerminatePod` leaves (src/pod/terminate-pod-status.ts). @default false
   */
  readonly terminated?: boolean | undefined;
  /** Some regular container has started. */
  readonly initialized: boolean;
  readonly sandboxReady: boolean;
  readonly podIP: string | undefined;
  readonly startAt: number | undefined;
  readonly previous: PodLifecycleStatus | undefined;
  readonly now: number;
  readonly gates?: RestartGates | undefined;
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
  // One view per container (init containers first) serves the phase and the conditions.
  const views: PhaseContainer[] = [];
  const initStatuses = renderAll(input.initContainers, defaultReason, views);
  const statuses = byName(renderAll(input.containers, defaultReason, views));
  const { previous, gates } = input;
  const podRestartPolicy = input.podRestartPolicy;
  const podIsTerminal = input.deleted;
  const podHasInitialized = input.initialized;
  let phase: PodPhase = getPodPhase(
    gates === undefined
      ? { containers: views, podRestartPolicy, podIsTerminal, podHasInitialized }
      : { containers: views, podRestartPolicy, podIsTerminal, podHasInitialized, gates },
  );
  // The kubelet never moves a pod out of a terminal phase (spec pod §5.1 post-processing).
  if (previous && (previous.phase === 'Succeeded' || previous.phase === 'Failed')) phase = previous.phase;
  // `TerminatePod` rewrites the statuses and the phase, not the conditions generated before it.
  const final = input.terminated
    ? terminatePodStatus({
        initKinds: input.initContainers.map((r) => r.kind),
        initContainerStatuses: initStatuses,
        containerStatuses: statuses,
        phase,
      })
    : { initContainerStatuses: initStatuses, containerStatuses: statuses, phase };
  const ip = input.podIP;
  const startTime = input.startAt !== undefined ? toApiTime(input.startAt) : undefined;
  // Nothing the conditions are made of changed: they are the previous ones (same values).
  const unchanged =
    previous !== undefined &&
    previous.phase === final.phase &&
    sameItems(previous.initContainerStatuses, final.initContainerStatuses) &&
    sameItems(previous.containerStatuses, final.containerStatuses) &&
    previous.conditions[0]?.type === 'PodReadyToStartContainers' &&
    previous.conditions[0].status === (input.sandboxReady ? 'True' : 'False');
  if (unchanged && previous.podIP === ip && previous.startTime === startTime && previous.reason === undefined)
    return previous;
  const conditions = unchanged
    ? previous.conditions
    : generatePodConditions({
        containers: views,
        phase,
        sandboxReady: input.sandboxReady,
        previous: previous?.conditions ?? [],
        now: input.now,
      });
  // Literals, not spreads: a frozen spread copy gets a map of its own in V8 (≈ 200 B each, retained).
  // The container statuses are frozen already; the rest is frozen here (no deep walk).
  const init = Object.freeze(final.initContainerStatuses);
  const regular = Object.freeze(final.containerStatuses);
  Object.freeze(conditions);
  phase = final.phase; // published: the phase TerminatePod left (the conditions keep the generated one)
  let status: PodLifecycleStatus;
  if (ip === undefined) {
    status =
      startTime === undefined
        ? { phase, conditions, initContainerStatuses: init, containerStatuses: regular }
        : { phase, conditions, startTime, initContainerStatuses: init, containerStatuses: regular };
  } else {
    const podIPs = Object.freeze([Object.freeze({ ip })]);
    status =
      startTime === undefined
        ? { phase, conditions, podIP: ip, podIPs, initContainerStatuses: init, containerStatuses: regular }
        : { phase, conditions, podIP: ip, podIPs, startTime, initContainerStatuses: init, containerStatuses: regular };
  }
  return Object.freeze(status);
}

/** Render `records` (frozen statuses, reused when unchanged) and add their views to `views`. */
function renderAll(
  records: readonly ContainerRecord[],
  defaultReason: string,
  views: PhaseContainer[],
): PodContainerStatus[] {
  // `map`: an array of the exact length (a pushed-to one keeps spare capacity, retained per snapshot).
  const statuses = records.map((r) => renderContainerStatus(r, defaultReason));
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as ContainerRecord;
    views.push({ name: r.name, kind: r.kind, spec: r.spec, status: statuses[i] });
  }
  return statuses;
}

/** Same length and the same objects at every index. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Regular containers' statuses sorted by name, as the kubelet publishes them
 * (`convertToAPIContainerStatuses` and the status manager's `normalizeStatus` sort them with
 * `SortedContainerStatuses`); init containers keep the spec order. In place: the array is fresh.
 */
function byName(statuses: PodContainerStatus[]): PodContainerStatus[] {
  for (let i = 1; i < statuses.length; i++) {
    if ((statuses[i - 1] as PodContainerStatus).name > (statuses[i] as PodContainerStatus).name) {
      return statuses.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
  }
  return statuses;
}

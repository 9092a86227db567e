/**
 * The kubelet status manager's `TerminatePod` (spec pod §5.1 "Deleted pods", `status_manager.go`):
 * at the end of a pod's life, a container whose status never reached Terminated is reported
 * Terminated with reason `ContainerStatusUnknown` and exit code 137 — the regular containers once
 * the pod has initialized, the init containers except a trailing run that never started (but at
 * least the first) — and a phase still Pending or Running becomes Failed.
 *
 * @module
 */

import type { ContainerState, PodContainerStatus, PodPhase } from '../api/pod-status.js';
import type { ContainerKind } from './restart-decision.js';

/** `kubecontainer.ContainerReasonStatusUnknown` with the message `TerminatePod` writes. */
const UNKNOWN_STATE: ContainerState = Object.freeze({
  terminated: Object.freeze({
    exitCode: 137,
    reason: 'ContainerStatusUnknown',
    message: 'The container could not be located when the pod was terminated',
  }),
});

/**
 * The rewritten status of each container status rewritten so far: a pod rendered again after its
 * end gets the same objects, so the snapshot it publishes does not change.
 */
const rewritten = new WeakMap<PodContainerStatus, PodContainerStatus>();

/** `status` with the `ContainerStatusUnknown` state, unless it is Terminated already. */
function terminated(status: PodContainerStatus): PodContainerStatus {
  if (status.state.terminated !== undefined) return status;
  let unknown = rewritten.get(status);
  if (unknown === undefined) {
    unknown = Object.freeze({ ...status, state: UNKNOWN_STATE });
    rewritten.set(status, unknown);
  }
  return unknown;
}

/** A status that has left Waiting, or shows an earlier termination: evidence of a start. */
function hasStarted(status: PodContainerStatus): boolean {
  return status.state.waiting === undefined || status.lastState.terminated !== undefined;
}

/**
 * `hasPodInitialized`: no init containers; or a regular container that has started; or a last
 * init container that is a started, running sidecar or a regular init container that exited 0.
 */
function hasPodInitialized(
  initKinds: readonly ContainerKind[],
  initStatuses: readonly PodContainerStatus[],
  statuses: readonly PodContainerStatus[],
): boolean {
  if (initKinds.length === 0) return true;
  if (statuses.some(hasStarted)) return true;
  const last = initStatuses[initStatuses.length - 1];
  if (last === undefined) return false;
  if (initKinds[initKinds.length - 1] === 'sidecar') return last.state.running !== undefined && last.started;
  return last.lastState.terminated?.exitCode === 0 || last.state.terminated?.exitCode === 0;
}

/** `initializedContainers`: how many init statuses lead up to the last one with a start (at least one). */
function initializedCount(initStatuses: readonly PodContainerStatus[]): number {
  for (let i = initStatuses.length - 1; i >= 0; i--) {
    if (hasStarted(initStatuses[i] as PodContainerStatus)) return i + 1;
  }
  return Math.min(1, initStatuses.length);
}

/** What {@link terminatePodStatus} reads: the rendered statuses of a pod whose life is over. */
export interface TerminatePodInput {
  /** The kind (`init` or `sidecar`) of each init container, in spec order. */
  readonly initKinds: readonly ContainerKind[];
  readonly initContainerStatuses: readonly PodContainerStatus[];
  readonly containerStatuses: readonly PodContainerStatus[];
  readonly phase: PodPhase;
}

/** The statuses and phase `TerminatePod` leaves (see the module); unchanged items are the same objects. */
export function terminatePodStatus(input: TerminatePodInput): TerminatePodInput {
  const { initKinds, initContainerStatuses, containerStatuses, phase } = input;
  const regular = hasPodInitialized(initKinds, initContainerStatuses, containerStatuses)
    ? containerStatuses.map(terminated)
    : containerStatuses;
  const count = initializedCount(initContainerStatuses);
  const init = initContainerStatuses.map((s, i) => (i < count ? terminated(s) : s));
  return {
    initKinds,
    initContainerStatuses: init,
    containerStatuses: regular,
    phase: phase === 'Pending' || phase === 'Running' ? 'Failed' : phase,
  };
}

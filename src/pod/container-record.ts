/**
 * The worker's record of one container and how it renders as a `ContainerStatus` (spec pod §4.4,
 * §5.3). A record is in one named state:
 *
 * - `notStarted`: never created (Waiting `ContainerCreating`, or `PodInitializing` when the pod has
 *   init containers);
 * - `starting`: a start (runtime start + postStart) is in flight; the status still shows the state
 *   it started from (`startingFrom`), as the kubelet's does until the sync is over;
 * - `running`: started and postStart done;
 * - `exited`: the last instance terminated; the next sync decides whether it restarts;
 * - `backingOff`: it will restart once its CrashLoopBackOff expires (Waiting `CrashLoopBackOff`);
 * - `done`: terminated for good (no restart under the policy, or the pod is completing/deleted).
 *
 * @module
 */

import type { PodContainerStatus } from '../api/pod-status.js';
import type { Container } from '../api/types.js';
import type { KubeEventObject } from '../hooks/events.js';
import type { ContainerExit, StartOutcome } from './container-driver.js';
import type { RenderedStatus } from './render-container-status.js';
import type { ContainerKind } from './restart-decision.js';

/** Named states of a container under the worker. */
export type ContainerRecordState = 'notStarted' | 'starting' | 'running' | 'exited' | 'backingOff' | 'done';

/** One container's history as the worker keeps it (mutable, internal). */
export interface ContainerRecord {
  readonly name: string;
  readonly kind: ContainerKind;
  readonly spec: Container;
  state: ContainerRecordState;
  /** While `starting`: the state the start began from, which the status keeps showing. */
  startingFrom?: ContainerRecordState | undefined;
  /** `restartCount` of the newest instance (previous + 1 at creation, spec pod §4.4). */
  restartCount: number;
  /** Instances created so far. */
  instances: number;
  containerID?: string | undefined;
  startedAt?: number | undefined;
  /** The newest instance's termination (clock ms inside). */
  lastExit?: RecordedExit | undefined;
  /** The termination of the instance before the newest (for `lastState` of a terminated container). */
  priorExit?: RecordedExit | undefined;
  /**
   * Set by a probe kill after which the kubelet restarts the container in the killing sync
   * (`afterProbeKill: 'killingSync'`): the exit that sync's status showed last, `exit` undefined
   * when there was none. The next start's back-off check reads it instead of `lastExit`, once.
   */
  backOffFrom?: { readonly exit: RecordedExit | undefined } | undefined;
  /**
   * The status shown while such a kill's exit waits for the killing sync's start: the one the
   * running instance last had. The kubelet generated the pod's status at that sync's beginning
   * and not again before it ended, so no status shows the killed instance Terminated.
   */
  held?: PodContainerStatus | undefined;
  /** Waiting reason/message shown instead of the default (PostStartHookError, CrashLoopBackOff, …). */
  waiting?: { reason: string; message?: string } | undefined;
  /** Startup probe result: `undefined` without a startup probe. */
  startup?: boolean | undefined;
  /** Readiness probe result: `undefined` without a readiness probe. */
  readiness?: boolean | undefined;
  /** The last status rendered from this record (`render-container-status.ts`), reused while unchanged. */
  rendered?: RenderedStatus | undefined;
}

/** A termination with clock-ms times. */
export interface RecordedExit {
  readonly exitCode: number;
  readonly reason: string;
  readonly message?: string;
  readonly startedAt?: number;
  readonly finishedAt: number;
  readonly containerID?: string;
}

/** No restart in a killing sync follows (the container settled, or the pod was deleted). */
export function dropKillingSyncRestart(record: ContainerRecord): void {
  record.backOffFrom = undefined;
  record.held = undefined;
}

/** A fresh record for a container of the given kind. */
export function newContainerRecord(spec: Container, kind: ContainerKind): ContainerRecord {
  // Every field from the start, and `undefined` rather than `delete` later: one hidden class for
  // every record (a deleted property turns an object into a slow dictionary).
  const probed = kind !== 'init';
  return {
    name: spec.name,
    kind,
    spec,
    state: 'notStarted',
    startingFrom: undefined,
    restartCount: 0,
    instances: 0,
    containerID: undefined,
    startedAt: undefined,
    lastExit: undefined,
    priorExit: undefined,
    backOffFrom: undefined,
    held: undefined,
    waiting: undefined,
    startup: spec.startupProbe !== undefined && probed ? false : undefined,
    readiness: spec.readinessProbe !== undefined && probed ? false : undefined,
    rendered: undefined,
  };
}

/** `started` of a record (spec pod §5.3): running and startup probe passed (or none). */
export function isRecordStarted(record: ContainerRecord): boolean {
  return record.state === 'running' && record.startup !== false;
}

/** The exit assumed for a killed container when the driver cannot tell (SIGKILL, spec pod §4.4). */
export const DEFAULT_KILL_EXIT: ContainerExit = Object.freeze({ exitCode: 137, reason: 'Error' });

/**
 * Record the exit of the current instance: `lastExit` shifts to `priorExit`, reason `Completed`
 * (0) / `Error` unless the runtime gave one (spec pod §4.4). `final`: the worker no longer
 * restarts anything (completing, deleted), so the record is `done` rather than `exited`. A probe
 * kill restarted in the killing sync keeps showing its status until that start (`held`).
 */
export function applyExit(record: ContainerRecord, exit: ContainerExit, now: number, final: boolean): void {
  if (record.backOffFrom !== undefined && !final) record.held = record.rendered?.status;
  const exitCode = typeof exit?.exitCode === 'number' ? exit.exitCode : DEFAULT_KILL_EXIT.exitCode;
  if (record.lastExit) record.priorExit = record.lastExit;
  // Built by assignment (same keys in the same order as the API object), not by spreads.
  const recorded: { -readonly [K in keyof RecordedExit]: RecordedExit[K] } = {
    exitCode,
    reason: exit?.reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
  } as RecordedExit;
  if (exit?.message !== undefined) recorded.message = exit.message;
  if (record.startedAt !== undefined) recorded.startedAt = record.startedAt;
  recorded.finishedAt = exit?.finishedAt ?? now;
  if (record.containerID !== undefined) recorded.containerID = record.containerID;
  record.lastExit = recorded;
  record.state = final ? 'done' : 'exited';
  record.waiting = undefined;
}

/**
 * Record a start that created a container (any outcome but `startFailed`): a new instance with
 * `restartCount` (spec pod §4.4), probes reset; `running`, or exited at once (postStart failure →
 * Waiting `PostStartHookError`). Returns whether the container is running.
 */
export function applyStart(
  record: ContainerRecord,
  outcome: Exclude<StartOutcome, { outcome: 'startFailed' }>,
  restartCount: number,
  calledAt: number,
  now: number,
): boolean {
  record.instances++;
  record.restartCount = restartCount;
  if (outcome.containerID !== undefined) record.containerID = outcome.containerID;
  else record.containerID = undefined;
  record.startedAt = outcome.outcome === 'running' ? (outcome.startedAt ?? now) : calledAt;
  if (record.spec.startupProbe !== undefined && record.kind !== 'init') record.startup = false;
  if (record.spec.readinessProbe !== undefined && record.kind !== 'init') record.readiness = false;
  record.state = 'running';
  record.waiting = undefined;
  if (outcome.outcome === 'running') return true;
  applyExit(record, outcome.exit ?? DEFAULT_KILL_EXIT, now, false);
  if (outcome.outcome === 'postStartFailed') {
    record.waiting = { reason: 'PostStartHookError', ...(outcome.message ? { message: outcome.message } : {}) };
  }
  return false;
}

/** The event object of a container: its pod, with the kubelet's `fieldPath` (spec pod §7.3). */
export function containerEventObject(
  record: Pick<ContainerRecord, 'name' | 'kind'>,
  pod: { readonly name: string; readonly namespace: string },
): KubeEventObject {
  const list = record.kind === 'regular' ? 'containers' : 'initContainers';
  return {
    kind: 'Container',
    name: record.name,
    namespace: pod.namespace,
    fieldPath: `spec.${list}{${record.name}}`,
    podName: pod.name,
  };
}

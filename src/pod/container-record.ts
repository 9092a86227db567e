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

import type { ContainerStateTerminated, PodContainerStatus } from '../api/pod-status.js';
import { toApiTime } from '../api/pod-status.js';
import type { Container } from '../api/types.js';
import type { KubeEventObject } from '../hooks/events.js';
import type { ContainerExit, StartOutcome } from './container-driver.js';
import { isContainerReady } from './pod-conditions.js';
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
  startingFrom?: ContainerRecordState;
  /** `restartCount` of the newest instance (previous + 1 at creation, spec pod §4.4). */
  restartCount: number;
  /** Instances created so far. */
  instances: number;
  containerID?: string;
  startedAtMs?: number;
  /** The newest instance's termination (clock ms inside). */
  lastExit?: RecordedExit;
  /** The termination of the instance before the newest (for `lastState` of a terminated container). */
  priorExit?: RecordedExit;
  /** Waiting reason/message shown instead of the default (PostStartHookError, CrashLoopBackOff, …). */
  waiting?: { reason: string; message?: string };
  /** Startup probe result: `undefined` without a startup probe. */
  startup?: boolean;
  /** Readiness probe result: `undefined` without a readiness probe. */
  readiness?: boolean;
}

/** A termination with clock-ms times. */
export interface RecordedExit {
  readonly exitCode: number;
  readonly reason: string;
  readonly message?: string;
  readonly startedAtMs?: number;
  readonly finishedAtMs: number;
  readonly containerID?: string;
}

/** A fresh record for a container of the given kind. */
export function newContainerRecord(spec: Container, kind: ContainerKind): ContainerRecord {
  const record: ContainerRecord = { name: spec.name, kind, spec, state: 'notStarted', restartCount: 0, instances: 0 };
  if (spec.startupProbe !== undefined && kind !== 'init') record.startup = false;
  if (spec.readinessProbe !== undefined && kind !== 'init') record.readiness = false;
  return record;
}

function terminated(exit: RecordedExit): ContainerStateTerminated {
  return {
    exitCode: exit.exitCode,
    reason: exit.reason,
    ...(exit.message !== undefined ? { message: exit.message } : {}),
    ...(exit.startedAtMs !== undefined ? { startedAt: toApiTime(exit.startedAtMs) } : {}),
    finishedAt: toApiTime(exit.finishedAtMs),
    ...(exit.containerID !== undefined ? { containerID: exit.containerID } : {}),
  };
}

/** `started` of a record (spec pod §5.3): running and startup probe passed (or none). */
export function isRecordStarted(record: ContainerRecord): boolean {
  return record.state === 'running' && record.startup !== false;
}

/**
 * The API `ContainerStatus` of a record. `defaultWaitingReason` is `PodInitializing` for pods with
 * init containers, else `ContainerCreating` (spec pod §4.4).
 */
export function renderContainerStatus(record: ContainerRecord, defaultWaitingReason: string): PodContainerStatus {
  const { lastExit, priorExit } = record;
  const state = record.state === 'starting' ? (record.startingFrom ?? 'notStarted') : record.state;
  const started = isRecordStarted(record);
  let status: PodContainerStatus['state'];
  let lastState: PodContainerStatus['lastState'] = {};
  if (state === 'running') {
    status = { running: { startedAt: toApiTime(record.startedAtMs ?? 0) } };
    if (lastExit) lastState = { terminated: terminated(lastExit) };
  } else if ((state === 'exited' || state === 'done') && lastExit && !record.waiting) {
    status = { terminated: terminated(lastExit) };
    if (priorExit) lastState = { terminated: terminated(priorExit) };
  } else {
    const waiting = record.waiting ?? { reason: defaultWaitingReason };
    status = { waiting: { ...waiting } };
    if (lastExit) lastState = { terminated: terminated(lastExit) };
  }
  const ready = isContainerReady({
    kind: record.kind,
    status: { state: status, started },
    readiness: record.readiness,
  });
  return {
    name: record.name,
    state: status,
    lastState,
    ready,
    started,
    restartCount: record.restartCount,
    image: record.spec.image ?? '',
    ...(record.containerID !== undefined ? { containerID: record.containerID } : {}),
  };
}

/** The exit assumed for a killed container when the driver cannot tell (SIGKILL, spec pod §4.4). */
export const DEFAULT_KILL_EXIT: ContainerExit = Object.freeze({ exitCode: 137, reason: 'Error' });

/**
 * Record the exit of the current instance: `lastExit` shifts to `priorExit`, reason `Completed`
 * (0) / `Error` unless the runtime gave one (spec pod §4.4). `final`: the worker no longer
 * restarts anything (completing, deleted), so the record is `done` rather than `exited`.
 */
export function applyExit(record: ContainerRecord, exit: ContainerExit, nowMs: number, final: boolean): void {
  const exitCode = typeof exit?.exitCode === 'number' ? exit.exitCode : DEFAULT_KILL_EXIT.exitCode;
  if (record.lastExit) record.priorExit = record.lastExit;
  record.lastExit = {
    exitCode,
    reason: exit?.reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
    ...(exit?.message !== undefined ? { message: exit.message } : {}),
    ...(record.startedAtMs !== undefined ? { startedAtMs: record.startedAtMs } : {}),
    finishedAtMs: exit?.finishedAt ?? nowMs,
    ...(record.containerID !== undefined ? { containerID: record.containerID } : {}),
  };
  record.state = final ? 'done' : 'exited';
  delete record.waiting;
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
  calledAtMs: number,
  nowMs: number,
): boolean {
  record.instances++;
  record.restartCount = restartCount;
  if (outcome.containerID !== undefined) record.containerID = outcome.containerID;
  else delete record.containerID;
  record.startedAtMs = outcome.outcome === 'running' ? (outcome.startedAt ?? nowMs) : calledAtMs;
  if (record.spec.startupProbe !== undefined && record.kind !== 'init') record.startup = false;
  if (record.spec.readinessProbe !== undefined && record.kind !== 'init') record.readiness = false;
  record.state = 'running';
  delete record.waiting;
  if (outcome.outcome === 'running') return true;
  applyExit(record, outcome.exit ?? DEFAULT_KILL_EXIT, nowMs, false);
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

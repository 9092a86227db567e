/**
 * The worker's record of one container and how it renders as a `ContainerStatus` (spec pod §4.4,
 * §5.3). A record is in one named state:
 *
 * - `notStarted`: never created (Waiting `ContainerCreating`, or `PodInitializing` when the pod has
 *   init containers);
 * - `starting`: a start (runtime start + postStart) is in flight;
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
  const { state, lastExit, priorExit } = record;
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

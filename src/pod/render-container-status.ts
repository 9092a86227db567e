/**
 * A container record as its API `ContainerStatus` (spec pod §4.4, §5.3), rendered once per change:
 * the record keeps its last rendering with the fields it was made from, and a pod status built
 * while a record is unchanged reuses that frozen object, so a restart renders the container that
 * changed and not its neighbours (docs/performance-history.md, round 5).
 *
 * @internal
 * @module
 */

import type { ContainerState, ContainerStateTerminated, PodContainerStatus } from '../api/pod-status.js';
import { toApiTime } from '../api/pod-status.js';
import {
  type ContainerRecord,
  type ContainerRecordState,
  isRecordStarted,
  type RecordedExit,
} from './container-record.js';
import { isContainerReady } from './pod-conditions.js';

/** A rendered `ContainerStatus` (frozen) with the record fields it was rendered from. */
export interface RenderedStatus {
  readonly status: PodContainerStatus;
  readonly defaultWaitingReason: string;
  readonly state: ContainerRecordState;
  readonly startingFrom: ContainerRecordState | undefined;
  readonly restartCount: number;
  readonly containerID: string | undefined;
  readonly startedAt: number | undefined;
  readonly lastExit: RecordedExit | undefined;
  readonly priorExit: RecordedExit | undefined;
  readonly waiting: ContainerRecord['waiting'];
  readonly startup: boolean | undefined;
  readonly readiness: boolean | undefined;
  /** `lastExit` and `priorExit` as rendered (frozen), when the status showed them. */
  readonly lastTerminated: ContainerStateTerminated | undefined;
  readonly priorTerminated: ContainerStateTerminated | undefined;
}

/** Whether `memo` was rendered from the record as it is now (every field the status reads). */
function isCurrent(memo: RenderedStatus, record: ContainerRecord, defaultWaitingReason: string): boolean {
  return (
    memo.state === record.state &&
    memo.startingFrom === record.startingFrom &&
    memo.restartCount === record.restartCount &&
    memo.containerID === record.containerID &&
    memo.startedAt === record.startedAt &&
    memo.lastExit === record.lastExit &&
    memo.priorExit === record.priorExit &&
    memo.waiting === record.waiting &&
    memo.startup === record.startup &&
    memo.readiness === record.readiness &&
    memo.defaultWaitingReason === defaultWaitingReason
  );
}

/** `ContainerStateTerminated` of an exit (frozen), keys in the API's order. */
function terminated(exit: RecordedExit): ContainerStateTerminated {
  const t: { -readonly [K in keyof ContainerStateTerminated]: ContainerStateTerminated[K] } = {
    exitCode: exit.exitCode,
    reason: exit.reason,
  };
  if (exit.message !== undefined) t.message = exit.message;
  if (exit.startedAt !== undefined) t.startedAt = toApiTime(exit.startedAt);
  t.finishedAt = toApiTime(exit.finishedAt);
  if (exit.containerID !== undefined) t.containerID = exit.containerID;
  return Object.freeze(t);
}

/** The rendering of `exit`: the previous one if the last status showed the same exit. */
function terminatedOf(exit: RecordedExit, memo: RenderedStatus | undefined): ContainerStateTerminated {
  if (memo !== undefined) {
    if (memo.lastExit === exit && memo.lastTerminated !== undefined) return memo.lastTerminated;
    if (memo.priorExit === exit && memo.priorTerminated !== undefined) return memo.priorTerminated;
  }
  return terminated(exit);
}

/**
 * The API `ContainerStatus` of a record, frozen. `defaultWaitingReason` is `PodInitializing` for
 * pods with init containers, else `ContainerCreating` (spec pod §4.4). A record unchanged since
 * its last rendering gives the same object again: the status is a pure function of the fields
 * `isCurrent` compares (`name`, `kind` and `spec` never change), so reusing it is exact.
 */
export function renderContainerStatus(record: ContainerRecord, defaultWaitingReason: string): PodContainerStatus {
  if (record.held !== undefined) return record.held; // a probe kill's exit, restart pending
  const memo = record.rendered;
  if (memo !== undefined && isCurrent(memo, record, defaultWaitingReason)) return memo.status;
  const { lastExit, priorExit } = record;
  const state = record.state === 'starting' ? (record.startingFrom ?? 'notStarted') : record.state;
  const started = isRecordStarted(record);
  // Every state below shows the newest exit (as state or lastState) when there is one.
  const lastTerminated = lastExit === undefined ? undefined : terminatedOf(lastExit, memo);
  let priorTerminated: ContainerStateTerminated | undefined;
  let status: ContainerState;
  let lastState: ContainerState = {};
  if (state === 'running') {
    status = { running: Object.freeze({ startedAt: toApiTime(record.startedAt ?? 0) }) };
    if (lastTerminated) lastState = { terminated: lastTerminated };
  } else if ((state === 'exited' || state === 'done') && lastTerminated && !record.waiting) {
    status = { terminated: lastTerminated };
    priorTerminated = priorExit === undefined ? undefined : terminatedOf(priorExit, memo);
    if (priorTerminated) lastState = { terminated: priorTerminated };
  } else {
    const waiting = record.waiting;
    // Literals, not a spread: a frozen spread copy gets a map of its own in V8 (≈ 200 B each, retained).
    const copy =
      waiting === undefined
        ? { reason: defaultWaitingReason }
        : waiting.message === undefined
          ? { reason: waiting.reason }
          : { reason: waiting.reason, message: waiting.message };
    status = { waiting: Object.freeze(copy) };
    if (lastTerminated) lastState = { terminated: lastTerminated };
  }
  Object.freeze(status);
  Object.freeze(lastState);
  const ready = isContainerReady({
    kind: record.kind,
    status: { state: status, started },
    readiness: record.readiness,
  });
  const { name, restartCount, containerID } = record;
  const image = record.spec.image ?? '';
  const rendered: PodContainerStatus = Object.freeze(
    containerID === undefined
      ? { name, state: status, lastState, ready, started, restartCount, image }
      : { name, state: status, lastState, ready, started, restartCount, image, containerID },
  );
  record.rendered = {
    status: rendered,
    defaultWaitingReason,
    state: record.state,
    startingFrom: record.startingFrom,
    restartCount: record.restartCount,
    containerID: record.containerID,
    startedAt: record.startedAt,
    lastExit,
    priorExit,
    waiting: record.waiting,
    startup: record.startup,
    readiness: record.readiness,
    lastTerminated,
    priorTerminated,
  };
  return rendered;
}

/**
 * The pod worker (DESIGN §10, spec pod §3–§5, §7) and the pure functions it is built from.
 *
 * @module
 */

export { isSidecar } from '../api/container-order.js';
export { goDurationString } from '../api/go-format.js';
export type { AggregatedEvent, AggregateEventsOptions } from './aggregate-events.js';
export { aggregateEvents, COMBINED_EVENT_PREFIX } from './aggregate-events.js';
export type {
  ContainerDriver,
  ContainerExit,
  KillOptions,
  SandboxInfo,
  StartOutcome,
  StopOutcome,
} from './container-driver.js';
export type { ContainerRecord, ContainerRecordState, RecordedExit } from './container-record.js';
export { DEFAULT_KILL_EXIT } from './container-record.js';
export type { AfterProbeKill, CrashLoopBackOffConfig, CrashLoopBackOffPolicy } from './crash-loop-back-off.js';
export {
  backOffEventMessage,
  CRASH_LOOP_BACK_OFF_DEFAULTS,
  CrashLoopBackOff,
  crashLoopBackOffMessage,
  podDescription,
  resolveCrashLoopBackOff,
} from './crash-loop-back-off.js';
export type { EventAgeFields } from './format-event-age.js';
export { formatEventAge, humanDuration } from './format-event-age.js';
export type { KillingProbe } from './kill-messages.js';
export { probeKillMessage } from './kill-messages.js';
export type { PodAction, PodActionInput } from './pod-actions.js';
export { nextPodAction } from './pod-actions.js';
export type { ConditionContainer, ConditionsInput } from './pod-conditions.js';
export { findCondition, generatePodConditions, isContainerReady, isContainerStarted } from './pod-conditions.js';
export type { PodErrorCode } from './pod-errors.js';
export { PodWaitError, UnknownPodError } from './pod-errors.js';
export type { PhaseContainer, PhaseInput } from './pod-phase.js';
export { getPodPhase } from './pod-phase.js';
export type { PodWaitCondition, PodWaitOptions, PodWaitView } from './pod-waiters.js';
export { PodWaiters } from './pod-waiters.js';
export type { PodWorkerOptions, PodWorkerState } from './pod-worker.js';
export { PodWorker } from './pod-worker.js';
export type { RenderPodStatusInput } from './render-pod-status.js';
export { deepFreeze, renderPodStatus } from './render-pod-status.js';
export type { ContainerKind, RestartGates, RestartInput, RestartView } from './restart-decision.js';
export { isContainerRestartable, restartsAfterProbeKill, shouldContainerRestart } from './restart-decision.js';
export type { CrashLoopRequeue, SyncRequeueConfig, SyncRequeuePolicy, SyncShortfall } from './sync-requeue.js';
export { requeueDelayMs, resolveSyncRequeue, SYNC_REQUEUE_DEFAULTS } from './sync-requeue.js';

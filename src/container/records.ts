import { isSidecar } from '../api/container-order.js';
import type { Container, Pod } from '../api/types.js';
import type { DeletionState } from '../grace/graceful-delete.js';
import type { ContainerExit, ContainerRef } from '../ports/runtime.js';
import { type Deferred, deferred } from './deadline.js';
import type { ContainerStatus, PodTerminationResult, StartResult, StopResult } from './results.js';

/** Where a container is in its life, as the manager tracks it. */
export type ContainerPhase = 'idle' | 'starting' | 'running' | 'exited';

/** A kill in progress, shared by every caller that asks for it. */
export interface Termination {
  readonly promise: Promise<StopResult>;
  settled: boolean;
  /** The latest deadline (clock ms) of the kill's grace; only the `interrupt` policy lowers it. */
  deadlineAt: number;
  /** True once the `interrupt` policy lowered the deadline. */
  shortened: boolean;
  /**
   * Resolved (and replaced) each time the deadline is lowered. Only under the `interrupt` policy
   * (the only one that lowers deadlines); `undefined` otherwise.
   */
  deadlineChanged: Deferred<void> | undefined;
}

/**
 * The abort controller of one container instance's adapter calls — its runtime start, its hooks'
 * exec and HTTP calls, its runtime stop — and how many hook runs on it are still pending. The
 * manager aborts it only when it abandons a call still pending (a hook at the instance's exit, a
 * start past the runtime request timeout, a stop given up on); a controller never aborted is
 * reused by the next instance. One per instance at most, instead of one per call: creating an
 * `AbortController` was the largest single cost of a lifecycle cycle (docs/performance-history.md).
 */
export interface CallScope {
  readonly controller: AbortController;
  /** Hook runs started on this controller and not yet settled. */
  pendingHooks: number;
}

/** A fresh {@link CallScope}. */
export function newCallScope(): CallScope {
  return { controller: new AbortController(), pendingHooks: 0 };
}

/** Per-container state (one record per declared container of a known pod). */
export interface ContainerRecord {
  readonly name: string;
  readonly kind: 'regular' | 'init' | 'sidecar';
  /** Index in `spec.containers` or `spec.initContainers`. */
  readonly index: number;
  phase: ContainerPhase;
  /** How many times the container was started. */
  starts: number;
  ref?: ContainerRef | undefined;
  status: ContainerStatus;
  startPromise?: Promise<StartResult> | undefined;
  /**
   * Waiters for the start sequence to leave `starting` (postStart done, before any kill); made
   * only when a kill arrives during a start (see {@link whenStartupDone}).
   */
  startupWaiter?: Deferred<void> | undefined;
  termination?: Termination | undefined;
  /** Exit reported by `notifyExited` (or a completed stop) for the current instance. */
  exit?: { readonly at: number; readonly exitCode?: number | undefined } | undefined;
  /** Waiters for the current instance's exit; made only when someone waits ({@link whenExited}). */
  exitWaiter?: Deferred<void> | undefined;
  /** The current instance's adapter calls (see {@link CallScope}). */
  calls: CallScope;
  /**
   * The spec the current instance was started with: its kill uses it when the caller has since
   * removed the container from the pod it hands in (issue 14 item 9; see `instanceSpec`).
   */
  spec: Container | undefined;
  /**
   * The current instance's `waitContainer` watch (see `watchExit`). A field, not a module
   * `WeakMap`: V8's scavenger treats a young key's weak-map entry as a root, which promoted every
   * watched container's state (round 6 of docs/performance-history.md).
   */
  exitWatch: ExitWatch | undefined;
}

/** One instance's `waitContainer` call, shared by everyone who needs its answer (see `watchExit`). */
export interface ExitWatch {
  readonly ref: ContainerRef;
  /** The runtime's report, or `undefined` when the call failed or was aborted (`notifyExited` remains). */
  readonly exit: Promise<ContainerExit | undefined>;
}

/** Per-pod state. */
export interface PodRecord {
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  /** The latest defaulted pod the caller handed in. */
  pod: Pod;
  readonly containers: Map<string, ContainerRecord>;
  /** Deletion state as the API server would store it (spec §4.1). */
  deletion?: DeletionState | undefined;
  /** Clock time of the first delete. */
  deleteStartedAt?: number | undefined;
  /** The pod worker's effective grace (spec §4.2-A); 0 before any delete. */
  effectiveGraceSeconds: number;
  termination?: Promise<PodTerminationResult> | undefined;
  /** True once the latest pod termination has finished. */
  terminationSettled: boolean;
  /** Set when a shorter delete arrived during a termination pass (spec §4.2-F.3). */
  shortenedDuringPass: boolean;
  /** Aborts the pod's pending `waitContainer` calls once the pod is gone (see `stopExitWatches`). */
  exitCalls: AbortController | undefined;
}

/** Identify a pod: its UID, else namespace/name. */
export function podKey(pod: Pod): string {
  const meta = pod.metadata ?? {};
  if (typeof meta.uid === 'string' && meta.uid !== '') return `uid:${meta.uid}`;
  return `name:${meta.namespace ?? 'default'}/${meta.name ?? ''}`;
}

/** Build the records of every declared container (regular, init, sidecar). */
export function containerRecords(pod: Pod): Map<string, ContainerRecord> {
  const records = new Map<string, ContainerRecord>();
  const add = (container: Container, index: number, kind: ContainerRecord['kind']): void => {
    records.set(container.name, newContainerRecord(container.name, kind, index));
  };
  (pod.spec?.initContainers ?? []).forEach((c, i) => {
    add(c, i, isSidecar(c) ? 'sidecar' : 'init');
  });
  (pod.spec?.containers ?? []).forEach((c, i) => {
    add(c, i, 'regular');
  });
  return records;
}

/**
 * The call scope of records that never started, shared: a start installs its own (see
 * `startSequence`), so one shared scope saves a controller per declared container.
 */
export const NOT_STARTED: CallScope = Object.freeze({
  controller: new AbortController(),
  pendingHooks: 0,
}) as CallScope;

/**
 * Scopes of running instances, none of whose calls is pending, kept for the next start or kill to
 * reuse: a running container holds no controller (its `AbortSignal`, and the hook runner's
 * listener on it, are most of what it would otherwise retain), and a start/stop loop still
 * creates none. Shared by every manager (a scope is a plain controller); bounded.
 */
const spareScopes: CallScope[] = [];
const MAX_SPARE_SCOPES = 1024;

/** A scope for a new instance or a kill: a spare one, else a fresh one. */
export function takeCallScope(): CallScope {
  return spareScopes.pop() ?? newCallScope();
}

/**
 * A container became Running (postStart settled; no kill can be in flight yet), exited before it
 * did (postStart settled after the exit), or its kill's stop call settled: give its scope back to
 * the spares unless a call may still listen to it. Its kill or next start takes one again. Only at
 * these moments: a scope may carry a pending stop.
 */
export function releaseRunningScope(record: ContainerRecord): void {
  const scope = record.calls;
  if (scope === NOT_STARTED || scope.pendingHooks > 0 || scope.controller.signal.aborted) return;
  record.calls = NOT_STARTED;
  if (spareScopes.length < MAX_SPARE_SCOPES) spareScopes.push(scope);
}

function newContainerRecord(name: string, kind: ContainerRecord['kind'], index: number): ContainerRecord {
  return {
    name,
    kind,
    index,
    phase: 'idle',
    starts: 0,
    // Every field present from the start: one object shape for all records, no transitions.
    ref: undefined,
    status: { state: 'Waiting', restartCount: 0 },
    startPromise: undefined,
    startupWaiter: undefined,
    termination: undefined,
    exit: undefined,
    exitWaiter: undefined,
    calls: NOT_STARTED,
    spec: undefined,
    exitWatch: undefined,
  };
}

/** Resolves once the container is not running: at once if it is idle or exited, else at its exit. */
export function whenExited(record: ContainerRecord): Promise<void> {
  if (record.phase === 'idle' || record.phase === 'exited') return Promise.resolve();
  record.exitWaiter ??= deferred<void>();
  return record.exitWaiter.promise;
}

/** Release the waiters of {@link whenExited}. */
export function releaseExitWaiters(record: ContainerRecord): void {
  const waiter = record.exitWaiter;
  record.exitWaiter = undefined;
  waiter?.resolve();
}

/** Resolves once the start sequence has left `starting` (at once if it is not starting). */
export function whenStartupDone(record: ContainerRecord): Promise<void> {
  if (record.phase !== 'starting') return Promise.resolve();
  record.startupWaiter ??= deferred<void>();
  return record.startupWaiter.promise;
}

/**
 * The start sequence has left `starting`: release the waiters of {@link whenStartupDone}, and
 * drop the start's promise (only a call during `starting` shares it; a running container need
 * not keep its start result alive).
 */
export function startupFinished(record: ContainerRecord): void {
  record.startPromise = undefined;
  const waiter = record.startupWaiter;
  record.startupWaiter = undefined;
  waiter?.resolve();
}

/**
 * The spec of a record's container in `pod`: found at the record's index at once, unless the
 * pod's lists changed since the record was made (then searched by name).
 */
export function containerSpec(
  pod: Pod,
  record: Pick<ContainerRecord, 'kind' | 'index' | 'name'>,
): Container | undefined {
  const list = record.kind === 'regular' ? pod.spec?.containers : pod.spec?.initContainers;
  const atIndex = list?.[record.index];
  return atIndex !== undefined && atIndex.name === record.name ? atIndex : findContainer(pod, record.name);
}

/**
 * The spec a kill of `record` uses: the pod's as the manager last validated it (a valid in-place
 * edit of a handler is used), else — the caller removed the container from the pod — the one its
 * instance started with, else a bare `{ name }`. Never `undefined` (issue 14 item 9).
 */
export function instanceSpec(pod: Pod, record: Pick<ContainerRecord, 'kind' | 'index' | 'name' | 'spec'>): Container {
  return containerSpec(pod, record) ?? record.spec ?? { name: record.name };
}

/** Find a container spec by name among containers and init containers. */
export function findContainer(pod: Pod, name: string): Container | undefined {
  return pod.spec?.containers?.find((c) => c.name === name) ?? pod.spec?.initContainers?.find((c) => c.name === name);
}

/** `spec.containers{name}` / `spec.initContainers{name}`, the kubelet's container field path. */
export function containerFieldPath(record: Pick<ContainerRecord, 'kind' | 'name'>): string {
  return record.kind === 'regular' ? `spec.containers{${record.name}}` : `spec.initContainers{${record.name}}`;
}

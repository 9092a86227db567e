import type { DeletionState } from '../grace/graceful-delete.js';
import type { ContainerRef } from '../ports/runtime.js';
import type { Container, Pod } from '../spec/types.js';
import type { Deferred } from './deadline.js';
import type { ContainerStatus, PodTerminationResult, StartResult, StopResult } from './results.js';

/** Where a container is in its life, as the manager tracks it. */
export type ContainerPhase = 'idle' | 'starting' | 'running' | 'exited';

/** A kill in progress, shared by every caller that asks for it. */
export interface Termination {
  readonly promise: Promise<StopResult>;
  settled: boolean;
  /** The latest deadline (clock ms) of the kill's grace; only the `interrupt` policy lowers it. */
  deadlineMs: number;
  /** True once the `interrupt` policy lowered the deadline. */
  shortened: boolean;
  /** Resolved (and replaced) each time the deadline is lowered. */
  deadlineChanged: Deferred<void>;
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
  /** Resolves when the start sequence leaves `starting` (postStart done, before any kill). */
  startupDone?: Promise<void> | undefined;
  termination?: Termination | undefined;
  /** Exit reported by `notifyExited` (or a completed stop) for the current instance. */
  exit?: { readonly at: number; readonly exitCode?: number | undefined } | undefined;
  /** Resolves when the current instance has exited. */
  exited: Deferred<void>;
  /** Aborts the hooks still running for the current instance once it has exited. */
  hooks: AbortController;
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
  (pod.spec?.initContainers ?? []).forEach((c, i) => add(c, i, c.restartPolicy === 'Always' ? 'sidecar' : 'init'));
  (pod.spec?.containers ?? []).forEach((c, i) => add(c, i, 'regular'));
  return records;
}

/**
 * The hooks controller of records that never started: a start always installs its own, and only a
 * started instance is ever aborted, so one shared controller saves one per declared container.
 */
const NOT_STARTED_HOOKS = new AbortController();

function newContainerRecord(name: string, kind: ContainerRecord['kind'], index: number): ContainerRecord {
  return {
    name,
    kind,
    index,
    phase: 'idle',
    starts: 0,
    status: { state: 'Waiting', restartCount: 0 },
    exited: { promise: Promise.resolve(), resolve: () => undefined },
    hooks: NOT_STARTED_HOOKS,
  };
}

/** Find a container spec by name among containers and init containers. */
export function findContainer(pod: Pod, name: string): Container | undefined {
  return pod.spec?.containers?.find((c) => c.name === name) ?? pod.spec?.initContainers?.find((c) => c.name === name);
}

/** `spec.containers{name}` / `spec.initContainers{name}`, the kubelet's container field path. */
export function containerFieldPath(record: Pick<ContainerRecord, 'kind' | 'name'>): string {
  return record.kind === 'regular' ? `spec.containers{${record.name}}` : `spec.initContainers{${record.name}}`;
}

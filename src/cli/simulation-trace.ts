/**
 * What a `simulate` run produces (`--json` prints it as is): the pod, its containers, the
 * scripted inputs, every event, step, runtime call and status change, the final pod status and
 * notes. Deterministic for a given input.
 *
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { KubeEvent, LifecycleStep, PodTerminationResult } from '../index.js';
import type { AggregatedEvent } from '../pod/index.js';
import type { RuntimeTimelineEntry } from '../testing/index.js';
import type { SimulatedContainer, SimulatedRequest } from './simulate.js';

/** One container's status at one instant, as the timeline shows it. */
export interface ContainerSnapshot {
  readonly name: string;
  /** `Waiting`, `Running` or `Terminated`. */
  readonly state: 'Waiting' | 'Running' | 'Terminated';
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly restartCount: number;
  readonly ready: boolean;
}

/** The pod status at an instant where it changed (a `podStatus` event). */
export interface StatusChange {
  /** The virtual instant of the change. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
  /** How many events were emitted before this change (orders the timeline). */
  readonly eventsBefore: number;
  readonly phase: PodLifecycleStatus['phase'];
  readonly containers: readonly ContainerSnapshot[];
}

/** One delete the simulation sent. */
export interface SimulatedDelete {
  /** The virtual instant of the delete. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
  readonly gracePeriodSeconds?: number;
}

/** One scripted exit of a main process that happened. */
export interface SimulatedExit {
  /** The virtual instant of the exit. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
  readonly container: string;
  readonly exitCode: number;
}

/** Everything a pod-worker simulation produced; `--json` prints it as is. Deterministic. */
export interface PodSimulationTrace {
  readonly mode: 'podWorker';
  readonly pod: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly restartPolicy: string;
    readonly terminationGracePeriodSeconds: number;
  };
  readonly containers: readonly SimulatedContainer[];
  /** The virtual-time horizon (`--for`, or the default). */
  readonly horizonMs: number;
  /** True when no `--for` was given (the run ends once idle, at most the default horizon). */
  readonly horizonIsDefault: boolean;
  /** The deletes sent, in order. */
  readonly deletes: readonly SimulatedDelete[];
  /** The scripted exits (`--exit`, `--crash`) that happened, in order. */
  readonly exits: readonly SimulatedExit[];
  readonly events: readonly KubeEvent[];
  /** The events as `kubectl describe` lists them (spec pod §7.2). */
  readonly aggregatedEvents: readonly AggregatedEvent[];
  readonly steps: readonly LifecycleStep[];
  readonly runtime: readonly RuntimeTimelineEntry[];
  readonly http: readonly SimulatedRequest[];
  /** Every pod status change, in order. */
  readonly statusChanges: readonly StatusChange[];
  /** The pod status at the end (`podStatus`), or undefined when `startPod` failed. */
  readonly podStatus?: PodLifecycleStatus;
  readonly termination?: PodTerminationResult;
  readonly notes: readonly string[];
  /** The virtual instant the simulation ended. */
  readonly endAt: number;
  /** @deprecated Use `endAt` (same value); removed in 0.2.0. */
  readonly endMs: number;
}

/** The timeline's view of one container status. */
export function snapshotOf(status: PodLifecycleStatus['containerStatuses'][number]): ContainerSnapshot {
  const { waiting, running, terminated } = status.state;
  const base = { name: status.name, restartCount: status.restartCount, ready: status.ready };
  if (terminated !== undefined)
    return {
      ...base,
      state: 'Terminated',
      exitCode: terminated.exitCode,
      ...(terminated.reason === undefined ? {} : { reason: terminated.reason }),
      ...(terminated.message === undefined ? {} : { message: terminated.message }),
    };
  if (running !== undefined) return { ...base, state: 'Running' };
  return {
    ...base,
    state: 'Waiting',
    ...(waiting?.reason === undefined ? {} : { reason: waiting.reason }),
    ...(waiting?.message === undefined ? {} : { message: waiting.message }),
  };
}

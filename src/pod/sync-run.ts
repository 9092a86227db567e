/**
 * One pod sync in flight ({@link PodSync.syncOnce}): its pass (what it skipped and why it fell
 * short), the action input, how it settles, and the promise steps that carry it from one start to
 * the next — made once per sync, not once per action (docs/performance-history.md, round 6 second sprint).
 *
 * @internal
 * @module
 */

import { captured, capturedPromise } from '../ports/intrusive-list.js';
import type { ContainerRecord } from './container-record.js';
import { nextPodAction, type PodActionInput } from './pod-actions.js';
import type { PodSync } from './pod-sync.js';
import type { RestartGates } from './restart-decision.js';
import { type StartResult, type SyncPass, startContainer } from './start-container.js';
import type { SyncShortfall } from './sync-requeue.js';

/** What a {@link SyncRun}'s steps call back into (the pod's `PodSync`). */
export interface SyncRunHost {
  readonly inits: ContainerRecord[];
  readonly regulars: ContainerRecord[];
  readonly initialized: boolean;
  /** The sync's actions from here (the `for (;;)` of `syncOnce`, resumed after a start). */
  syncSteps(run: SyncRun): void;
  /** A start's tail: one turn after the pod-level start settled. */
  started(c: ContainerRecord, result: StartResult): void;
  /** One turn after the sync settled: the sync loop's next round. */
  synced(): void;
  /** The sync rejected: the loop ends (the rejection then stays unhandled, as before). */
  syncFailed(): void;
}

/** One sync in flight: the pass and the action input in one object, with its settle functions and steps. */
export class SyncRun implements SyncPass, PodActionInput {
  readonly skip = new Set<string>();
  readonly shortfalls: SyncShortfall[] = [];
  readonly initContainers: readonly ContainerRecord[];
  readonly containers: readonly ContainerRecord[];
  initialized: boolean;
  /** Settles when the sync is over (in the turn the `async` `syncOnce` returned in). */
  readonly done: Promise<void> = capturedPromise<void>();
  readonly resolve = captured.resolve as () => void;
  readonly reject = captured.reject;
  /** The container of the start in flight. */
  container: ContainerRecord | undefined = undefined;

  constructor(
    readonly host: SyncRunHost,
    readonly podRestartPolicy: string | undefined,
    readonly gates: RestartGates | undefined,
  ) {
    this.initContainers = host.inits;
    this.containers = host.regulars;
    this.initialized = host.initialized;
  }

  /** The start's tail (the `async` `PodSync.startContainer` after its `await`). */
  readonly started = (result: StartResult): void => {
    this.host.started(this.container as ContainerRecord, result);
  };

  /** The sync's next actions (where `syncOnce`'s `await this.startContainer(…)` resumed). */
  readonly next = (): void => {
    this.host.syncSteps(this);
  };

  readonly synced = (): void => {
    this.host.synced();
  };

  readonly failed = (error: unknown): never => {
    this.host.syncFailed();
    throw error;
  };
}

/**
 * The sync's actions from `run`'s current point (the `for (;;)` of the `async` `syncOnce`): the
 * synchronous ones in this turn; a start's tail one turn after the start settled and the next
 * action one turn later, where the `async` functions' `await`s resumed; the sync settles in the
 * turn it found nothing left to do (test/pod/pod-worker-turns.test.ts pins the turns).
 */
export function runSyncSteps(sync: PodSync, run: SyncRun): void {
  try {
    for (;;) {
      if (!sync.live()) {
        run.resolve();
        return;
      }
      run.initialized = sync.initialized;
      const action = nextPodAction(run);
      if (action.kind === 'wait') break;
      if (action.kind === 'settle') {
        sync.settle(action.container);
        sync.publish();
      } else if (action.kind === 'complete') {
        sync.complete().then(run.resolve, run.reject);
        return;
      } else {
        run.container = action.container;
        startContainer(sync, action.container, action.restart, run).then(run.started).then(run.next, run.reject);
        return;
      }
    }
    if (run.shortfalls.length > 0 && sync.live()) sync.requeue(run.shortfalls);
    run.resolve();
  } catch (error) {
    run.reject(error);
  }
}

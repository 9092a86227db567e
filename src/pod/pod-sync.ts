/**
 * The pod worker's sync engine (spec pod §3–§4): the kubelet's `SyncPod` for one pod, one action
 * at a time from {@link nextPodAction}, requeued syncs (`sync-requeue.ts`), exit watching and
 * deletion. One start with its back-off check is `start-container.ts`; the completion of a
 * Never/OnFailure pod is `kill-pod.ts`. {@link PodWorker} owns it and publishes its statuses.
 *
 * @internal
 * @module
 */

import { isSidecar } from '../api/container-order.js';
import type { Pod } from '../api/types.js';
import { errorText, UnknownContainerError } from '../errors.js';
import type { KubeEvent } from '../hooks/events.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerDriver, ContainerExit } from './container-driver.js';
import {
  applyExit,
  type ContainerRecord,
  containerEventObject,
  dropKillingSyncRestart,
  newContainerRecord,
} from './container-record.js';
import type { CrashLoopBackOff } from './crash-loop-back-off.js';
import { ExitWatch } from './exit-watch.js';
import { killPod } from './kill-pod.js';
import { settlesAfterExit } from './pod-actions.js';
import type { RestartGates } from './restart-decision.js';
import type { StartHost, StartResult } from './start-container.js';
import { requeueDelayMs, SYNC_REQUEUE_DEFAULTS, type SyncRequeueConfig, type SyncShortfall } from './sync-requeue.js';
import { runSyncSteps, SyncRun, type SyncRunHost } from './sync-run.js';
import { SyncTimers } from './sync-timers.js';

/** Named states of a {@link PodWorker}. */
export type PodWorkerState = 'created' | 'sandbox' | 'syncing' | 'idle' | 'completing' | 'completed' | 'stopped';

/** The kubelet's retry period after a failed sandbox creation (`backOffPeriod`, spec pod §4.1). */
const SYNC_RETRY_MS = SYNC_REQUEUE_DEFAULTS.errorRetrySeconds * 1000;

/** What the sync engine needs from its owner. */
export interface PodSyncHost {
  readonly clock: Clock;
  readonly driver: ContainerDriver;
  readonly backOff: CrashLoopBackOff;
  readonly podRestartPolicy: string | undefined;
  readonly gates: RestartGates | undefined;
  /** Delay between a container's exit and the worker learning of it (PLEG relist). */
  readonly exitObservationDelayMs: number;
  /** When a sync that did not finish its work runs again (spec pod §4.3). */
  readonly requeue: SyncRequeueConfig;
  /** `[0, 1)` source for the requeue jitter `Jitter(d, 0.5)` (spec pod §4.3); none = no jitter. */
  readonly random: (() => number) | undefined;
  readonly onEvent: ((event: KubeEvent) => void) | undefined;
  /** Render and publish the status if it changed. */
  publish(): void;
  /** Re-evaluate waits (the worker may have become final). */
  refresh(): void;
}

/** The sync engine of one pod; its fields are read by {@link PodWorker} to render the status. */
export class PodSync implements StartHost, SyncRunHost {
  readonly #host: PodSyncHost;
  readonly ident: { name: string; namespace: string; uid: string };
  readonly clock: Clock;
  readonly driver: ContainerDriver;
  readonly backOff: CrashLoopBackOff;
  readonly inits: ContainerRecord[];
  readonly regulars: ContainerRecord[];
  /** The sandbox retry and the requeued sync (one each, like the kubelet's work queue). */
  readonly timers = new SyncTimers(this);
  /** The exit watches' signal (aborted once the pod is final), made on first read. */
  readonly watch = new ExitWatch();
  state: PodWorkerState = 'created';
  deleted = false;
  /** Some regular container has started (spec pod §5.1 `podHasInitialized`). */
  initialized = false;
  syncing = false;
  dirty = false;
  sandbox: { id?: string; podIP?: string; ready: boolean } = { ready: false };

  constructor(pod: Pod, host: PodSyncHost) {
    this.#host = host;
    this.clock = host.clock;
    this.driver = host.driver;
    this.backOff = host.backOff;
    const meta = pod.metadata ?? {};
    this.ident = { name: meta.name ?? '', namespace: meta.namespace ?? 'default', uid: meta.uid ?? '' };
    this.inits = (pod.spec?.initContainers ?? []).map((c) => newContainerRecord(c, isSidecar(c) ? 'sidecar' : 'init'));
    this.regulars = (pod.spec?.containers ?? []).map((c) => newContainerRecord(c, 'regular'));
  }

  /** Delete: no restart after this; back-off waits end at once (DESIGN §10). */
  stop(): void {
    if (this.state === 'stopped' || this.state === 'completed') return;
    this.deleted = true;
    this.state = 'stopped';
    this.timers.clear();
    for (const r of this.all()) {
      dropKillingSyncRestart(r);
      if (r.state === 'exited' || r.state === 'backingOff') this.settle(r);
    }
    this.publish();
    this.releaseWatchers();
  }

  all(): ContainerRecord[] {
    return [...this.inits, ...this.regulars];
  }

  record(name: string): ContainerRecord {
    const record = this.all().find((r) => r.name === name);
    if (!record)
      throw new UnknownContainerError(
        this.ident.name,
        name,
        this.all().map((r) => r.name),
      );
    return record;
  }

  live(): boolean {
    return this.state !== 'stopped' && this.state !== 'completed' && this.state !== 'completing';
  }

  isFinal(): boolean {
    if (this.state === 'completed') return true;
    return this.deleted && !this.all().some((r) => r.state === 'running' || r.state === 'starting');
  }

  async begin(): Promise<void> {
    if (!this.live()) return; // deleted before it started
    if (this.driver.runSandbox) {
      this.state = 'sandbox';
      try {
        const info = await this.driver.runSandbox();
        this.sandbox = { id: info.id, ...(info.podIP !== undefined ? { podIP: info.podIP } : {}), ready: true };
      } catch (error) {
        // Deleted meanwhile: "not a real error", no event and no retry (the kubelet's SyncPod step 4).
        if (this.deleted) return;
        this.emit('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorText(error)}`);
        if (this.live()) this.timers.armSandbox(SYNC_RETRY_MS);
        return;
      }
    } else this.sandbox = { ready: true };
    if (!this.live()) {
      if (this.deleted) await this.stopSandbox(); // deleted while the sandbox was being created
      return;
    }
    this.state = 'idle';
    this.publish();
    this.kick();
  }

  /** Sync now, or once more after the sync in flight. */
  kick(): void {
    if (!this.live() || this.state === 'sandbox' || this.state === 'created') return;
    this.dirty = true;
    if (!this.syncing) this.syncLoop();
  }

  // The sync loop and syncOnce are promise chains (sync-run.ts), not `async` functions: each step
  // runs in the turn the `await` it replaced resumed in (test/pod/pod-worker-turns.test.ts).

  /** Syncs while there is something to do (`dirty`); one at a time. */
  syncLoop(): void {
    this.syncing = true;
    this.#nextSync();
  }

  /** The loop's condition: at once, then one turn after each sync settled. */
  #nextSync(): void {
    if (this.dirty && this.live()) {
      this.dirty = false;
      this.state = 'syncing';
      const run = this.#syncRun();
      run.done.then(run.synced, run.failed);
    } else this.syncing = false;
  }

  /** @internal The loop's next round, one turn after a sync settled. */
  synced(): void {
    if (this.state === 'syncing') this.state = 'idle';
    this.#nextSync();
  }

  /** @internal A sync that threw: the loop ends and the rejection stays unhandled, as the `async` loop's did. */
  syncFailed(): void {
    this.syncing = false;
  }

  /**
   * One sync (the kubelet's `SyncPod`): actions until there is nothing left to do now; a sync that
   * found a container in back-off or failed a start is requeued (spec pod §4.3, `sync-requeue.ts`).
   */
  syncOnce(): Promise<void> {
    return this.#syncRun().done;
  }

  #syncRun(): SyncRun {
    // One input for the whole sync; only `initialized` moves between actions.
    const run = new SyncRun(this, this.#host.podRestartPolicy, this.#host.gates);
    this.syncSteps(run);
    return run;
  }

  /** @internal The sync's actions from here (`sync-run.ts`). */
  syncSteps(run: SyncRun): void {
    runSyncSteps(this, run);
  }

  /** @internal A sync that fell short runs again (spec pod §4.3, `sync-requeue.ts`). */
  requeue(shortfalls: readonly SyncShortfall[]): void {
    this.timers.armRequeue(requeueDelayMs(shortfalls, this.clock.now(), this.#host.requeue, this.#host.random));
  }

  settle(record: ContainerRecord): void {
    record.state = 'done';
    record.waiting = undefined;
    dropKillingSyncRestart(record);
  }

  /** @internal doBackOff then startContainer's tail (spec pod §4.2): an instance that runs is watched. */
  started(c: ContainerRecord, result: StartResult): void {
    if (result === 'backingOff' || result === 'startFailed') return;
    if (c.kind === 'regular') this.initialized = true;
    // An instance that exited during its start and will not restart is Terminated at once: the
    // kubelet shows a cached start error as Waiting only for a container it will restart.
    if (result === 'exited' && settlesAfterExit(c, this.#host)) this.settle(c);
    this.publish();
    if (result === 'running') this.watchExit(c);
  }

  watchExit(c: ContainerRecord): void {
    const instance = c.instances;
    let pending: Promise<ContainerExit> | undefined;
    try {
      pending = this.driver.waitExit?.(c.name, this.watch);
    } catch {
      pending = undefined;
    }
    pending?.then(
      (exit) => this.observeExit(c, instance, exit),
      () => {}, // aborted or not observable: notifyExited remains
    );
  }

  /** An exit as the runtime reports it, seen after `exitObservationDelayMs` (spec pod §9 item 3). */
  observeExit(c: ContainerRecord, instance: number, exit: ContainerExit): void {
    const delayMs = this.#host.exitObservationDelayMs;
    if (delayMs <= 0) {
      this.recordExit(c, instance, exit);
      return;
    }
    const stamped = { ...exit, finishedAt: exit.finishedAt ?? this.clock.now() };
    this.clock.setTimeout(() => this.recordExit(c, instance, stamped), delayMs);
  }

  recordExit(c: ContainerRecord, instance: number, exit: ContainerExit, sync = true): void {
    if (c.instances !== instance || c.state !== 'running') return; // stale or already recorded
    applyExit(c, exit, this.clock.now(), !this.live());
    if (!sync) return;
    this.publish();
    if (this.deleted && this.isFinal()) this.releaseWatchers();
    this.kick();
  }

  /** KillPod (spec pod §3.2 rule 4, `kill-pod.ts`). */
  complete(): Promise<void> {
    return killPod(this);
  }

  /** Render and publish the status if it changed. */
  publish(): void {
    this.#host.publish();
  }

  releaseWatchers(): void {
    this.timers.clear();
    if (this.isFinal()) {
      this.watch.abort();
      // a deleted pod's sandbox goes once its last container stopped (DESIGN §10 stopPodSandbox)
      if (this.deleted && this.sandbox.ready) void this.stopSandbox().then(() => this.publish());
    }
    this.#host.refresh();
  }

  /** `stopPodSandbox` once; the sandbox is no longer ready (PodReadyToStartContainers False). */
  async stopSandbox(): Promise<void> {
    const { id } = this.sandbox;
    this.sandbox = { ...this.sandbox, ready: false };
    if (this.driver.stopSandbox && id !== undefined) {
      try {
        await this.driver.stopSandbox(id);
      } catch {}
    }
  }

  emit(type: KubeEvent['type'], reason: string, message: string, c?: ContainerRecord): void {
    const { name, namespace } = this.ident;
    const object: KubeEvent['object'] = c ? containerEventObject(c, this.ident) : { kind: 'Pod', name, namespace };
    try {
      this.#host.onEvent?.({ type, reason, message, object, timestamp: this.clock.now() });
    } catch {}
  }
}

/**
 * The pod worker: the kubelet's per-pod loop for ONE pod on the injected clock (DESIGN §10,
 * spec pod §3–§5). It decides when containers start and restart (ordering, restart policy,
 * CrashLoopBackOff) and publishes a fresh immutable status after every change; a
 * {@link ContainerDriver} does the container work.
 *
 * Named states (STYLE §13): `created` → `sandbox` → `syncing` ⇄ `idle` → `completing` →
 * `completed`; `stop()` moves any state to `stopped`. The transition function is
 * {@link nextPodAction}; container states are in `container-record.ts`.
 *
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { Pod } from '../api/types.js';
import { errorText, InvalidArgumentError, UnknownContainerError } from '../errors.js';
import type { KubeEvent } from '../manager/events.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerDriver, ContainerExit, StartOutcome } from './container-driver.js';
import {
  applyExit,
  applyStart,
  type ContainerRecord,
  containerEventObject,
  DEFAULT_KILL_EXIT,
  newContainerRecord,
} from './container-record.js';
import {
  backOffEventMessage,
  CrashLoopBackOff,
  type CrashLoopBackOffPolicy,
  crashLoopBackOffMessage,
  resolveCrashLoopBackOff,
} from './crash-loop-back-off.js';
import { nextPodAction } from './pod-actions.js';
import { type PodWaitCondition, PodWaiters, type PodWaitOptions, type PodWaitView } from './pod-waiters.js';
import { renderPodStatus } from './render-pod-status.js';
import { isSidecar, type RestartGates } from './restart-decision.js';

/** Named states of a {@link PodWorker}. */
export type PodWorkerState = 'created' | 'sandbox' | 'syncing' | 'idle' | 'completing' | 'completed' | 'stopped';

/** Options of {@link PodWorker}. */
export interface PodWorkerOptions {
  /** The pod, already defaulted and validated; the worker keeps it and never mutates it. */
  readonly pod: Pod;
  readonly driver: ContainerDriver;
  readonly clock: Clock;
  /** Called with every new status snapshot, in order. A throwing listener is ignored. */
  readonly onStatus?: (status: PodLifecycleStatus) => void;
  /** Called with the events the worker itself emits (`BackOff`, `FailedCreatePodSandBox`). */
  readonly onEvent?: (event: KubeEvent) => void;
  /** Back-off figures (DESIGN §10 policy `crashLoopBackOff`). @default the kubelet's 1.35 values */
  readonly crashLoopBackOff?: CrashLoopBackOffPolicy;
  /** Feature gates. @default 1.35 defaults (`containerRestartRules: true`) */
  readonly gates?: RestartGates;
}

/** The kubelet's retry period after a failed sync (`backOffPeriod`, spec pod §4.1). */
const SYNC_RETRY_MS = 10_000;

/**
 * Runs one pod: init containers one at a time, sidecars in order, regular containers one after
 * another; restarts per policy after CrashLoopBackOff; completion for Never/OnFailure pods.
 *
 * @example
 * ```ts
 * const worker = new PodWorker({ pod, driver, clock, onStatus: (s) => console.log(s.phase) });
 * await worker.start();                 // resolves once the pod leaves Pending
 * await worker.waitFor('Ready', { timeoutMs: 60_000 });
 * worker.stop();                        // on delete: no restart after this
 * ```
 */
export class PodWorker {
  readonly #pod: Pod;
  readonly #ident: { name: string; namespace: string; uid: string };
  readonly #driver: ContainerDriver;
  readonly #clock: Clock;
  readonly #options: PodWorkerOptions;
  readonly #backOff: CrashLoopBackOff;
  readonly #inits: ContainerRecord[];
  readonly #regulars: ContainerRecord[];
  readonly #waiters: PodWaiters;
  readonly #timers = new Map<string, unknown>();
  readonly #watch = new AbortController();
  #state: PodWorkerState = 'created';
  #deleted = false;
  #initialized = false;
  #syncing = false;
  #dirty = false;
  #sandbox: { id?: string; podIP?: string; ready: boolean } = { ready: false };
  #startTimeMs: number | undefined;
  #status: PodLifecycleStatus;
  #statusJson = '';
  #started: Promise<PodLifecycleStatus> | undefined;

  constructor(options: PodWorkerOptions) {
    this.#options = options;
    this.#pod = options.pod;
    this.#driver = options.driver;
    this.#clock = options.clock;
    const meta = options.pod.metadata ?? {};
    this.#ident = { name: meta.name ?? '', namespace: meta.namespace ?? 'default', uid: meta.uid ?? '' };
    this.#backOff = new CrashLoopBackOff(resolveCrashLoopBackOff(options.crashLoopBackOff));
    const spec = options.pod.spec;
    this.#inits = (spec?.initContainers ?? []).map((c) => newContainerRecord(c, isSidecar(c) ? 'sidecar' : 'init'));
    this.#regulars = (spec?.containers ?? []).map((c) => newContainerRecord(c, 'regular'));
    this.#waiters = new PodWaiters(options.clock, this.#ident.name);
    this.#status = this.#render();
  }

  /** The worker's named state. */
  get state(): PodWorkerState {
    return this.#state;
  }

  /** The latest status snapshot (frozen). */
  status(): PodLifecycleStatus {
    return this.#status;
  }

  /**
   * Start the worker (idempotent: a second call returns the same promise). Resolves with the
   * first status whose phase is not Pending, or the last one if the worker ends first.
   */
  start(): Promise<PodLifecycleStatus> {
    if (this.#started) return this.#started;
    this.#startTimeMs = this.#clock.now();
    this.#publish();
    this.#started = this.#waiters.wait((s) => s.phase !== 'Pending' || this.#isFinal(), this.#view());
    void this.#begin();
    return this.#started;
  }

  /** Wait for a condition (DESIGN §10 `waitForPod`). */
  waitFor(condition: PodWaitCondition, options: PodWaitOptions = {}): Promise<PodLifecycleStatus> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
      return Promise.reject(new InvalidArgumentError('timeoutMs', timeoutMs, 'a number of milliseconds >= 0'));
    }
    return this.#waiters.wait(condition, this.#view(), options);
  }

  /** The runtime saw `containerName` exit by itself (for drivers without `waitExit`). */
  notifyExited(containerName: string, exit: ContainerExit): void {
    const record = this.#record(containerName);
    this.#recordExit(record, record.instances, exit);
  }

  /** A probe result changed (the prober calls this): startup gates `started`, readiness `ready`. */
  setProbeResult(containerName: string, probe: 'startup' | 'readiness', success: boolean): void {
    const record = this.#record(containerName);
    if (probe === 'startup' && record.startup !== undefined) record.startup = success;
    if (probe === 'readiness' && record.readiness !== undefined) record.readiness = success;
    this.#publish();
    this.#kick();
  }

  /** The pod is deleted: end the worker now (no restart after this, a back-off wait ends at once). */
  stop(): void {
    if (this.#state === 'stopped' || this.#state === 'completed') return;
    this.#deleted = true;
    this.#state = 'stopped';
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    for (const r of this.#all()) {
      if (r.state === 'exited' || r.state === 'backingOff') this.#settle(r);
    }
    this.#publish();
    this.#releaseWatchers();
  }

  #all(): ContainerRecord[] {
    return [...this.#inits, ...this.#regulars];
  }

  #record(name: string): ContainerRecord {
    const record = this.#all().find((r) => r.name === name);
    if (!record)
      throw new UnknownContainerError(
        this.#ident.name,
        name,
        this.#all().map((r) => r.name),
      );
    return record;
  }

  #live(): boolean {
    return this.#state !== 'stopped' && this.#state !== 'completed' && this.#state !== 'completing';
  }

  #isFinal(): boolean {
    if (this.#state === 'completed') return true;
    return this.#deleted && !this.#all().some((r) => r.state === 'running' || r.state === 'starting');
  }

  #view(): PodWaitView {
    return { status: this.#status, deleted: this.#deleted, final: this.#isFinal() };
  }

  async #begin(): Promise<void> {
    if (this.#driver.runSandbox) {
      this.#state = 'sandbox';
      try {
        const info = await this.#driver.runSandbox();
        this.#sandbox = { id: info.id, ...(info.podIP !== undefined ? { podIP: info.podIP } : {}), ready: true };
      } catch (error) {
        this.#emit('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorText(error)}`);
        if (this.#live()) this.#arm('#sandbox', SYNC_RETRY_MS, () => void this.#begin());
        return;
      }
    } else this.#sandbox = { ready: true };
    if (!this.#live()) return;
    this.#state = 'idle';
    this.#publish();
    this.#kick();
  }

  #kick(): void {
    if (!this.#live() || this.#state === 'sandbox' || this.#state === 'created') return;
    this.#dirty = true;
    if (!this.#syncing) void this.#syncLoop();
  }

  async #syncLoop(): Promise<void> {
    this.#syncing = true;
    try {
      while (this.#dirty && this.#live()) {
        this.#dirty = false;
        this.#state = 'syncing';
        await this.#syncOnce();
        if (this.#state === 'syncing') this.#state = 'idle';
      }
    } finally {
      this.#syncing = false;
    }
  }

  async #syncOnce(): Promise<void> {
    const skip = new Set<string>();
    for (;;) {
      if (!this.#live()) return;
      const action = nextPodAction({
        initContainers: this.#inits,
        containers: this.#regulars,
        podRestartPolicy: this.#pod.spec?.restartPolicy,
        initialized: this.#initialized,
        skip,
        ...(this.#options.gates !== undefined ? { gates: this.#options.gates } : {}),
      });
      if (action.kind === 'wait') return;
      if (action.kind === 'settle') {
        this.#settle(action.container);
        this.#publish();
      } else if (action.kind === 'complete') {
        await this.#complete();
        return;
      } else await this.#startContainer(action.container, action.restart, skip);
    }
  }

  #settle(record: ContainerRecord): void {
    record.state = 'done';
    delete record.waiting;
  }

  /** doBackOff then startContainer (spec pod §4.2). */
  async #startContainer(c: ContainerRecord, restart: boolean, skip: Set<string>): Promise<void> {
    const now = this.#clock.now();
    if (restart && c.lastExit) {
      const finishedAt = c.lastExit.finishedAtMs;
      if (this.#backOff.isInBackOffSince(c.name, finishedAt, now)) {
        skip.add(c.name);
        const backOffMs = this.#backOff.backOffMs(c.name);
        if (c.state !== 'backingOff') {
          c.state = 'backingOff';
          c.waiting = { reason: 'CrashLoopBackOff', message: crashLoopBackOffMessage(backOffMs, c.name, this.#ident) };
          this.#emit('Warning', 'BackOff', backOffEventMessage(c.name, this.#ident), c);
          this.#publish();
        }
        this.#arm(c.name, finishedAt + backOffMs - now, () => this.#kick());
        return;
      }
      this.#backOff.next(c.name, finishedAt, now);
    }
    const previousState = c.state;
    const restartCount = c.instances === 0 ? 0 : c.restartCount + 1;
    c.state = 'starting';
    delete c.waiting;
    this.#publish();
    let outcome: StartOutcome;
    try {
      outcome = await this.#driver.start(c.name, { restartCount });
    } catch (error) {
      outcome = { outcome: 'startFailed', message: errorText(error) };
    }
    if (outcome.outcome === 'startFailed') {
      c.state = previousState === 'backingOff' ? 'exited' : previousState;
      c.waiting = {
        reason: outcome.reason ?? 'RunContainerError',
        ...(outcome.message ? { message: outcome.message } : {}),
      };
      skip.add(c.name);
      this.#arm(c.name, SYNC_RETRY_MS, () => this.#kick());
      this.#publish();
      return;
    }
    const isRunning = applyStart(c, outcome, restartCount, now, this.#clock.now());
    if (c.kind === 'regular') this.#initialized = true;
    this.#publish();
    if (isRunning) this.#watchExit(c);
  }

  #watchExit(c: ContainerRecord): void {
    const instance = c.instances;
    let pending: Promise<ContainerExit> | undefined;
    try {
      pending = this.#driver.waitExit?.(c.name, { signal: this.#watch.signal });
    } catch {
      pending = undefined;
    }
    pending?.then(
      (exit) => this.#recordExit(c, instance, exit),
      () => {}, // aborted or not observable: notifyExited remains
    );
  }

  #recordExit(c: ContainerRecord, instance: number, exit: ContainerExit, sync = true): void {
    if (c.instances !== instance || c.state !== 'running') return; // stale or already recorded
    applyExit(c, exit, this.#clock.now(), !this.#live());
    if (!sync) return;
    this.#publish();
    if (this.#deleted && this.#isFinal()) this.#releaseWatchers();
    this.#kick();
  }

  /** KillPod (spec pod §3.2 rule 4, §3.4 rule 6): sidecars in reverse order, then the sandbox. */
  async #complete(): Promise<void> {
    this.#state = 'completing';
    const running = (r: ContainerRecord) => r.state === 'running';
    for (const r of [...this.#regulars.filter(running), ...this.#inits.filter(running).reverse()]) {
      const instance = r.instances;
      let exit: ContainerExit = DEFAULT_KILL_EXIT;
      try {
        exit = (await this.#driver.kill(r.name, { reason: 'Unknown' })).exit ?? DEFAULT_KILL_EXIT;
      } catch {}
      this.#recordExit(r, instance, exit, false);
      this.#publish();
    }
    for (const r of this.#all()) if (r.state === 'exited' || r.state === 'backingOff') this.#settle(r);
    if (this.#driver.stopSandbox && this.#sandbox.id !== undefined) {
      try {
        await this.#driver.stopSandbox(this.#sandbox.id);
      } catch {}
    }
    this.#sandbox = { ...this.#sandbox, ready: false };
    if (this.#state === 'completing') this.#state = 'completed';
    this.#releaseWatchers();
    this.#publish();
  }

  #releaseWatchers(): void {
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    if (this.#isFinal()) this.#watch.abort();
    this.#waiters.update(this.#view());
  }

  #arm(key: string, delayMs: number, fire: () => void): void {
    const before = this.#timers.get(key);
    if (before !== undefined) this.#clock.clearTimeout(before);
    const handle = this.#clock.setTimeout(
      () => {
        this.#timers.delete(key);
        fire();
      },
      Math.max(0, delayMs),
    );
    this.#timers.set(key, handle);
  }

  #emit(type: KubeEvent['type'], reason: string, message: string, c?: ContainerRecord): void {
    const { name, namespace } = this.#ident;
    const object: KubeEvent['object'] = c ? containerEventObject(c, this.#ident) : { kind: 'Pod', name, namespace };
    try {
      this.#options.onEvent?.({ type, reason, message, object, timestamp: this.#clock.now() });
    } catch {}
  }

  #render(): PodLifecycleStatus {
    return renderPodStatus({
      initContainers: this.#inits,
      containers: this.#regulars,
      podRestartPolicy: this.#pod.spec?.restartPolicy,
      deleted: this.#deleted,
      initialized: this.#initialized,
      sandboxReady: this.#sandbox.ready,
      podIP: this.#sandbox.podIP,
      startTimeMs: this.#startTimeMs,
      previous: this.#status as PodLifecycleStatus | undefined,
      nowMs: this.#clock.now(),
      ...(this.#options.gates !== undefined ? { gates: this.#options.gates } : {}),
    });
  }

  #publish(): void {
    const next = this.#render();
    const json = JSON.stringify(next);
    if (json === this.#statusJson) return;
    this.#statusJson = json;
    this.#status = next;
    try {
      this.#options.onStatus?.(this.#status);
    } catch {}
    this.#waiters.update(this.#view());
  }
}

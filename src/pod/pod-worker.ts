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
import { InvalidArgumentError } from '../errors.js';
import type { KubeEvent } from '../hooks/events.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerDriver, ContainerExit } from './container-driver.js';
import { DEFAULT_KILL_EXIT } from './container-record.js';
import { CrashLoopBackOff, type CrashLoopBackOffPolicy, resolveCrashLoopBackOff } from './crash-loop-back-off.js';
import { type KillingProbe, probeKillMessage } from './kill-messages.js';
import { PodSync, type PodWorkerState } from './pod-sync.js';
import { type PodWaitCondition, PodWaiters, type PodWaitOptions, type PodWaitView } from './pod-waiters.js';
import { renderPodStatus } from './render-pod-status.js';
import { type RestartGates, restartsAfterProbeKill } from './restart-decision.js';
import { resolveSyncRequeue } from './sync-requeue.js';

export type { PodWorkerState } from './pod-sync.js';

/** Options of {@link PodWorker}. */
export interface PodWorkerOptions {
  /** The pod, already defaulted and validated; the worker keeps it and never mutates it. */
  readonly pod: Pod;
  readonly driver: ContainerDriver;
  readonly clock: Clock;
  /** Called with every new status snapshot, in order. A throwing listener is ignored. */
  readonly onStatus?: (status: PodLifecycleStatus) => void;
  /** Called with the events the worker itself emits (`BackOff` on every sync that finds a back-off, `FailedCreatePodSandBox`). */
  readonly onEvent?: (event: KubeEvent) => void;
  /**
   * Back-off figures and the requeue of a pod in back-off (DESIGN §10 policy `crashLoopBackOff`).
   * @default the kubelet's 1.35 values: 10 s doubling to 300 s, reset after 600 s; a pod in
   * back-off is synced again at the expiry or after 60 s, whichever comes first
   */
  readonly crashLoopBackOff?: CrashLoopBackOffPolicy;
  /** Feature gates. @default 1.35 defaults (`containerRestartRules: true`) */
  readonly gates?: RestartGates;
  /**
   * Delay before an exit is acted on, like the kubelet's PLEG relist (up to 1 s; spec pod §9
   * item 3). `finishedAt` keeps the real exit time. @default 0
   */
  readonly exitObservationDelayMs?: number;
  /**
   * A `[0, 1)` random source (seed it for replayable runs): restarts then happen within
   * `[expiry, expiry + 50 % of the wait)` as the kubelet's `Jitter(d, 0.5)` requeue (spec pod §4.3).
   * @default none: a restart happens exactly when its back-off expires
   */
  readonly random?: () => number;
}

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
  readonly #clock: Clock;
  readonly #options: PodWorkerOptions;
  readonly #sync: PodSync;
  readonly #waiters: PodWaiters;
  #startAt: number | undefined;
  #status: PodLifecycleStatus;
  /** A status was published (the first render, in the constructor, is not). */
  #isPublished = false;
  #started: Promise<PodLifecycleStatus> | undefined;

  constructor(options: PodWorkerOptions) {
    this.#options = options;
    this.#pod = options.pod;
    this.#clock = options.clock;
    this.#sync = new PodSync(options.pod, {
      clock: options.clock,
      driver: options.driver,
      backOff: new CrashLoopBackOff(resolveCrashLoopBackOff(options.crashLoopBackOff)),
      requeue: resolveSyncRequeue(options.crashLoopBackOff),
      podRestartPolicy: options.pod.spec?.restartPolicy,
      gates: options.gates,
      onEvent: options.onEvent,
      exitObservationDelayMs: options.exitObservationDelayMs ?? 0,
      random: options.random,
      publish: () => this.#publish(),
      refresh: () => this.#waiters.update(this.#view()),
    });
    this.#waiters = new PodWaiters(options.clock, this.#sync.ident.name);
    this.#status = this.#render();
  }

  /** The worker's named state. */
  get state(): PodWorkerState {
    return this.#sync.state;
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
    this.#startAt = this.#clock.now();
    this.#publish();
    this.#started = this.#waiters.wait((s) => s.phase !== 'Pending' || this.#sync.isFinal(), this.#view());
    void this.#sync.begin();
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
    const record = this.#sync.record(containerName);
    this.#sync.observeExit(record, record.instances, exit);
  }

  /** A probe result changed (the prober calls this): startup gates `started`, readiness `ready`. */
  setProbeResult(containerName: string, probe: 'startup' | 'readiness', success: boolean): void {
    const record = this.#sync.record(containerName);
    if (probe === 'startup' && record.startup !== undefined) record.startup = success;
    if (probe === 'readiness' && record.readiness !== undefined) record.readiness = success;
    this.#publish();
    this.#sync.kick();
  }

  /**
   * Kill a running container because its liveness or startup probe failed (the prober calls this):
   * the driver kills it with reason `LivenessProbe`/`StartupProbe` and the kubelet's `Killing`
   * message (spec pod §3.2). One the kubelet restarts after such a kill is started in the killing
   * sync, its back-off checked against the exit before the killed one (`afterProbeKill`); any
   * other restart follows its exit per policy like any exit.
   * Resolves once it has exited; a container that is not running is left alone.
   */
  async killForProbe(containerName: string, probe: KillingProbe): Promise<void> {
    const record = this.#sync.record(containerName);
    if (record.state !== 'running' || !this.#sync.live()) return;
    const restartable = restartsAfterProbeKill({
      kind: record.kind,
      container: record.spec,
      podRestartPolicy: this.#pod.spec?.restartPolicy,
      ...(this.#options.gates !== undefined ? { gates: this.#options.gates } : {}),
    });
    if (restartable && this.#options.crashLoopBackOff?.afterProbeKill !== 'killedExit')
      record.backOffFrom = { exit: record.lastExit };
    const message = probeKillMessage({ kind: record.kind, name: record.name, probe, restartable });
    const instance = record.instances;
    let exit: ContainerExit = DEFAULT_KILL_EXIT;
    try {
      const reason = probe === 'liveness' ? 'LivenessProbe' : 'StartupProbe';
      exit = (await this.#options.driver.kill(containerName, { reason, message })).exit ?? DEFAULT_KILL_EXIT;
    } catch {}
    this.#sync.recordExit(record, instance, exit);
  }

  /** The pod is deleted: end the worker now (no restart after this, a back-off wait ends at once). */
  stop(): void {
    this.#sync.stop();
  }

  #view(): PodWaitView {
    return { status: this.#status, deleted: this.#sync.deleted, final: this.#sync.isFinal() };
  }

  #render(): PodLifecycleStatus {
    const sync = this.#sync;
    return renderPodStatus({
      initContainers: sync.inits,
      containers: sync.regulars,
      podRestartPolicy: this.#pod.spec?.restartPolicy,
      deleted: sync.deleted,
      terminated: sync.isFinal(),
      initialized: sync.initialized,
      sandboxReady: sync.sandbox.ready,
      podIP: sync.sandbox.podIP,
      startAt: this.#startAt,
      previous: this.#status as PodLifecycleStatus | undefined,
      now: this.#clock.now(),
      gates: this.#options.gates, // `undefined` as absent: one input shape per render, no spread
    });
  }

  #publish(): void {
    const next = this.#render();
    if (this.#isPublished && sameStatus(next, this.#status)) return;
    this.#isPublished = true;
    this.#status = next;
    try {
      this.#options.onStatus?.(this.#status);
    } catch {}
    this.#waiters.update(this.#view());
  }
}

/**
 * {@link sameJson} for two rendered statuses: `renderPodStatus` writes the top-level keys in a
 * fixed order (the optional ones present exactly when set), so comparing them by name is the
 * same as comparing the JSON, without listing the keys; the parts are compared as JSON.
 */
function sameStatus(a: PodLifecycleStatus, b: PodLifecycleStatus): boolean {
  return (
    a === b ||
    (a.phase === b.phase &&
      a.podIP === b.podIP &&
      a.startTime === b.startTime &&
      a.reason === b.reason &&
      a.message === b.message &&
      sameJson(a.podIPs, b.podIPs) &&
      sameJson(a.conditions, b.conditions) &&
      sameJson(a.initContainerStatuses, b.initContainerStatuses) &&
      sameJson(a.containerStatuses, b.containerStatuses))
  );
}

/**
 * Whether two statuses would serialise to the same JSON (same keys in the same order, same
 * values; `undefined` members skipped as `JSON.stringify` does), without building the strings:
 * a changed status differs early, and an unchanged one shares most objects with the last.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // JSON writes every non-finite number as null.
    return typeof a === 'number' && typeof b === 'number' && !Number.isFinite(a) && !Number.isFinite(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const ka = definedKeys(a as Record<string, unknown>);
  const kb = definedKeys(b as Record<string, unknown>);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i] as string;
    if (key !== kb[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
      return false;
  }
  return true;
}

function definedKeys(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o);
  return keys.every((k) => o[k] !== undefined) ? keys : keys.filter((k) => o[k] !== undefined);
}

import type { PodStatus } from '../api/pod-status.js';
import type { Pod } from '../api/types.js';
import type { LifecycleManagerEvents, ManagerContext } from '../container/context.js';
import { requestKill } from '../container/kill-sequence.js';
import { terminatePod } from '../container/pod-termination.js';
import type { PodRecord } from '../container/records.js';
import type { ContainerStatus, PodTerminationResult, StartResult, StopResult } from '../container/results.js';
import { startSequence } from '../container/start-sequence.js';
import { shortenTermination } from '../container/termination.js';
import { InvalidArgumentError, LifecycleError, PodTerminatingError } from '../errors.js';
import { gracefulDelete } from '../grace/graceful-delete.js';
import { effectiveGracePeriod, KILL_REASONS } from '../grace/kill-grace.js';
import type { PodWaitCondition, PodWaitOptions } from '../pod/pod-waiters.js';
import { EventHub } from './event-hub.js';
import {
  type DeleteOptions,
  type LifecycleManagerOptions,
  resolveOptions,
  resolvePodOptions,
  type StopOptions,
} from './options.js';
import { keyOf, PodRegistry } from './pod-registry.js';
import { PodRuns } from './pod-runs.js';
import { reportExit } from './report-exit.js';

/**
 * Runs containers' lifecycle hooks and grace periods as the kubelet does (DESIGN §6), on
 * injected ports. Every wait uses the injected clock; adapter faults become outcomes and events,
 * never rejections; programmer errors (invalid pod, unknown container) reject with typed errors.
 *
 * @example
 * ```ts
 * const manager = new LifecycleManager({ runtime, httpClient, clock });
 * manager.on('event', (e) => console.log(e.reason, e.message));
 * await manager.startContainer(pod, 'web');
 * await manager.deletePod(pod, { gracePeriodSeconds: 30 });
 * ```
 */
export class LifecycleManager {
  readonly #ctx: ManagerContext;
  readonly #hub = new EventHub();
  readonly #runs: PodRuns;
  readonly #registry: PodRegistry;

  constructor(options: LifecycleManagerOptions) {
    this.#ctx = resolveOptions(options, this.#hub);
    const podOptions = resolvePodOptions(options);
    this.#runs = new PodRuns(this.#ctx, this.#hub, podOptions);
    this.#registry = new PodRegistry(
      { allowZeroSleep: this.#ctx.policy.allowZeroSleep, featureGates: podOptions.featureGates },
      this.#runs,
    );
  }

  /**
   * Run the whole pod as the kubelet's pod worker does (DESIGN §10, spec pod §3): sandbox, init
   * containers one at a time, sidecars in order, then the regular containers; restarts per
   * `restartPolicy` with CrashLoopBackOff; completion for Never/OnFailure pods. Resolves with the
   * first status whose phase is not Pending; the worker goes on until the pod completes or is
   * deleted. Starting a pod already run is idempotent (the same worker, the same promise).
   *
   * Rejects with `LifecycleSpecError` for an invalid pod and `ERR_INVALID_STATE` for a pod being
   * deleted or one whose containers were started with {@link startContainer}.
   *
   * @example
   * ```ts
   * const status = await manager.startPod(pod);
   * console.log(status.phase); // 'Running'
   * ```
   */
  startPod(pod: Pod): Promise<PodStatus> {
    try {
      return this.#runs.start(pod, this.#registry.podRecord(pod));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The pod's status as `kubectl get pod -o json` shows it (DESIGN §10): a frozen snapshot, a new
   * object after every change. Throws `UnknownPodError` for a pod not started with {@link startPod}.
   */
  podStatus(pod: Pod): PodStatus {
    return this.#runs.require(pod, keyOf(pod)).worker.status();
  }

  /**
   * Resolve with the first status that satisfies `condition` (at once if the current one does).
   * Rejects with `PodWaitError` `ERR_WAIT_TIMEOUT` after `timeoutMs` on the injected clock,
   * `ERR_POD_TERMINAL` once the pod is Succeeded/Failed/deleted and the condition cannot hold,
   * the signal's reason on abort, and `UnknownPodError` for a pod not started with {@link startPod}.
   */
  waitForPod(pod: Pod, condition: PodWaitCondition, options?: PodWaitOptions): Promise<PodStatus> {
    try {
      return this.#runs.wait(this.#runs.require(pod, keyOf(pod)), condition, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Listen to `event` (Kubernetes events), `step` (internal steps) or `listenerError`. */
  on<K extends keyof LifecycleManagerEvents>(name: K, listener: (...args: LifecycleManagerEvents[K]) => void): this {
    this.#hub.on(name, listener);
    return this;
  }

  /** Like {@link on}, removed after the first call. */
  once<K extends keyof LifecycleManagerEvents>(name: K, listener: (...args: LifecycleManagerEvents[K]) => void): this {
    this.#hub.on(name, listener, true);
    return this;
  }

  /**
   * Remove a listener added with {@link on} or {@link once}: one registration per call, the
   * earliest still in place when the same function was added more than once.
   */
  off<K extends keyof LifecycleManagerEvents>(name: K, listener: (...args: LifecycleManagerEvents[K]) => void): this {
    this.#hub.off(name, listener);
    return this;
  }

  /**
   * Start a container and run its postStart (spec §3). Resolves once it is Running, or once a
   * failed postStart's kill has finished. Starting it again later is a restart: postStart runs again.
   */
  startContainer(pod: Pod, containerName: string): Promise<StartResult> {
    // Not `async`: a rejection for a bad call, without an extra promise around the sequence's.
    try {
      return this.#held(this.#start(pod, containerName));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #start(pod: Pod, containerName: string): Promise<StartResult> {
    const { record: podRecord, container, containerRecord } = this.#registry.resolve(pod, containerName);
    this.#refuseWorkerPod(podRecord, 'startContainer');
    if (containerRecord.phase === 'starting' && containerRecord.startPromise !== undefined)
      return containerRecord.startPromise;
    // Deletion first: a running container of a terminating pod is not "already running" to start.
    if (podRecord.deletion !== undefined) throw new PodTerminatingError(podRecord.name, containerName);
    if (containerRecord.phase === 'running') {
      throw new LifecycleError(
        'ERR_INVALID_STATE',
        `container "${containerName}" of pod "${podRecord.name}" is already running; stop it (or report its exit with notifyExited) before starting it again`,
      );
    }
    const promise = startSequence(this.#ctx, podRecord, containerRecord, container);
    containerRecord.startPromise = promise;
    return promise;
  }

  /**
   * Kill one container (spec §4.2-C): `Killing`, preStop raced against the grace, remaining grace
   * (minimum 2 s) handed to `runtime.stopContainer`. Concurrent calls share one termination.
   */
  stopContainer(pod: Pod, containerName: string, options: StopOptions = {}): Promise<StopResult> {
    // Not `async`: a rejection for a bad call, without an extra promise around the kill's.
    try {
      return this.#held(this.#stop(pod, containerName, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #stop(pod: Pod, containerName: string, options: StopOptions): Promise<StopResult> {
    const { record: podRecord, containerRecord } = this.#registry.resolve(pod, containerName);
    this.#refuseWorkerPod(podRecord, 'stopContainer');
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('options', options, 'an object of StopOptions (or nothing)');
    const override = options.gracePeriodOverride;
    if (override !== undefined && !(Number.isSafeInteger(override) && override >= 0)) {
      throw new InvalidArgumentError('gracePeriodOverride', override, 'an integer number of seconds >= 0');
    }
    const reason = options.reason ?? 'Unknown';
    if (!KILL_REASONS.includes(reason)) {
      throw new InvalidArgumentError('reason', reason, `one of ${KILL_REASONS.join(', ')}`);
    }
    if (options.message !== undefined && typeof options.message !== 'string') {
      throw new InvalidArgumentError('message', options.message, 'a string');
    }
    return requestKill(this.#ctx, podRecord, containerRecord, {
      reason,
      message: options.message === '' ? undefined : options.message,
      overrideSeconds: override,
    });
  }

  /**
   * Gracefully delete a pod (spec §4.1, §4.2-A/B): the API server's deletion grace, the pod
   * worker's effective grace (floor 1) as override for every running container, killed in
   * parallel; sidecars last, in reverse order. A repeat delete can only shorten the grace.
   */
  deletePod(pod: Pod, options: DeleteOptions = {}): Promise<PodTerminationResult> {
    return this.#held(this.#delete(pod, options));
  }

  /**
   * Keep the process alive until `work` settles, on a clock that supports it (`keepAlive`):
   * `systemClock`'s timers alone do not, so a grace period would otherwise end with the process.
   */
  #held<T>(work: Promise<T>): Promise<T> {
    const release = this.#ctx.clock.keepAlive?.();
    if (release !== undefined) void work.then(release, release);
    return work;
  }

  async #delete(pod: Pod, options: DeleteOptions): Promise<PodTerminationResult> {
    // A pod a worker runs is deleted as the manager holds it: a caller's edits since (a container
    // removed, the list emptied) neither fail the delete nor leave a container running. A pod run
    // container by container is validated as handed in (DESIGN §6); a valid edit is adopted and
    // each running container is still killed with the spec it started with.
    const record = this.#registry.workerRecord(pod) ?? this.#registry.podRecord(pod);
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('options', options, 'an object of DeleteOptions (or nothing)');
    const requested = options.gracePeriodSeconds;
    if (requested !== undefined && !Number.isSafeInteger(requested)) {
      throw new InvalidArgumentError(
        'gracePeriodSeconds',
        requested,
        'an integer number of seconds (negative is treated as 1)',
      );
    }
    const { clock } = this.#ctx;
    // The API server reads the stored phase: for a pod a worker runs, the one it published (a
    // finished pod is deleted at once, spec §4.1 step 3); otherwise the pod's own.
    const run = this.#runs.get(record.key);
    const deleted = gracefulDelete(
      {
        terminationGracePeriodSeconds: record.pod.spec?.terminationGracePeriodSeconds,
        phase: run === undefined ? record.pod.status?.phase : run.worker.status().phase,
        existing: record.deletion,
      },
      { gracePeriodSeconds: requested },
      clock.now(),
    );
    const inFlight = record.termination !== undefined && !record.terminationSettled;
    if (!deleted.changed && inFlight) return record.termination as Promise<PodTerminationResult>;
    record.deletion = deleted.state;
    record.deleteStartedAt ??= clock.now();
    const effective = effectiveGracePeriod({
      previousSeconds: record.effectiveGraceSeconds,
      deletionGracePeriodSeconds: deleted.state.deletionGracePeriodSeconds,
      terminationGracePeriodSeconds: record.pod.spec?.terminationGracePeriodSeconds,
    });
    record.effectiveGraceSeconds = effective.gracePeriodSeconds;
    if (inFlight) {
      if (effective.shortened) {
        record.shortenedDuringPass = true;
        if (this.#ctx.policy.shorterGraceDuringTermination === 'interrupt') {
          const deadline = Math.max(clock.now(), record.deleteStartedAt + effective.gracePeriodSeconds * 1000);
          for (const c of record.containers.values()) if (c.termination) shortenTermination(c.termination, deadline);
        }
      }
      return record.termination as Promise<PodTerminationResult>;
    }
    // A finished termination is answered again, unless a container is still running (its stop
    // failed): then this delete retries the kill, preStop included, as the pod worker's retry
    // would (spec §4.2-F.3, §6).
    const isStillRunning = [...record.containers.values()].some((c) => c.phase === 'running' || c.phase === 'starting');
    if (record.termination !== undefined && !isStillRunning) return record.termination;
    record.terminationSettled = false;
    this.#runs.deleting(record.key);
    const termination = terminatePod(this.#ctx, record);
    record.termination = termination;
    void termination.then(() => {
      if (record.termination === termination) record.terminationSettled = true;
      this.#runs.terminated(record.key);
    });
    return termination;
  }

  /** The runtime saw the container's main process exit by itself (a crash or a normal exit). */
  notifyExited(pod: Pod, containerName: string, exit: { exitCode: number }): void {
    const { record: podRecord, containerRecord } = this.#registry.resolve(pod, containerName);
    if (exit === null || typeof exit !== 'object')
      throw new InvalidArgumentError('exit', exit, 'an object { exitCode: <integer> }');
    const exitCode = exit.exitCode;
    if (!Number.isSafeInteger(exitCode)) {
      throw new InvalidArgumentError('exitCode', exitCode, 'an integer exit code');
    }
    reportExit(this.#ctx, podRecord, containerRecord, exitCode);
    this.#runs.get(podRecord.key)?.driver.exited(containerName, { exitCode });
  }

  /** Mixing (DESIGN §10): a pod a worker runs is not driven container by container. */
  #refuseWorkerPod(record: PodRecord, call: string): void {
    if (this.#runs.get(record.key) === undefined) return;
    throw new LifecycleError(
      'ERR_INVALID_STATE',
      `pod "${record.name}" is run by a pod worker (startPod); ${call} would race its restarts. ` +
        'Use deletePod to stop it, or drive a pod container by container without startPod',
    );
  }

  /** The container's state as `kubectl get pod -o yaml` would show it. */
  status(pod: Pod, containerName: string): ContainerStatus {
    return this.#registry.resolve(pod, containerName).containerRecord.status;
  }
}

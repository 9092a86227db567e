import type { Container, Pod } from '../api/types.js';
import { markExited } from '../container/container-exit.js';
import type { LifecycleManagerEvents, ManagerContext } from '../container/context.js';
import { requestKill } from '../container/kill-sequence.js';
import { terminatePod } from '../container/pod-termination.js';
import { type ContainerRecord, containerRecords, containerSpec, type PodRecord, podKey } from '../container/records.js';
import type { ContainerStatus, PodTerminationResult, StartResult, StopResult } from '../container/results.js';
import { startSequence } from '../container/start-sequence.js';
import { shortenTermination } from '../container/termination.js';
import { InvalidArgumentError, LifecycleError, PodTerminatingError, UnknownContainerError } from '../errors.js';
import { gracefulDelete } from '../grace/graceful-delete.js';
import { effectiveGracePeriod, KILL_REASONS } from '../grace/kill-grace.js';
import { EventHub } from './event-hub.js';
import { type DeleteOptions, type LifecycleManagerOptions, resolveOptions, type StopOptions } from './options.js';
import { ValidatedPods } from './validated-pods.js';

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
  readonly #pods = new Map<string, PodRecord>();
  readonly #validated: ValidatedPods;
  /** The record of each defaulted pod (a validation-cache hit answers the same defaulted object). */
  readonly #byDefaulted = new WeakMap<Pod, PodRecord>();

  constructor(options: LifecycleManagerOptions) {
    this.#ctx = resolveOptions(options, this.#hub);
    this.#validated = new ValidatedPods({ allowZeroSleep: this.#ctx.policy.allowZeroSleep });
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
      return this.#start(pod, containerName);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #start(pod: Pod, containerName: string): Promise<StartResult> {
    const { record: podRecord, container, containerRecord } = this.#resolve(pod, containerName);
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
      return this.#stop(pod, containerName, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #stop(pod: Pod, containerName: string, options: StopOptions): Promise<StopResult> {
    const { record: podRecord, containerRecord } = this.#resolve(pod, containerName);
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
  async deletePod(pod: Pod, options: DeleteOptions = {}): Promise<PodTerminationResult> {
    const record = this.#podRecord(pod);
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
    const deleted = gracefulDelete(
      {
        terminationGracePeriodSeconds: record.pod.spec?.terminationGracePeriodSeconds,
        phase: record.pod.status?.phase,
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
    const termination = terminatePod(this.#ctx, record);
    record.termination = termination;
    void termination.then(() => {
      if (record.termination === termination) record.terminationSettled = true;
    });
    return termination;
  }

  /** The runtime saw the container's main process exit by itself (a crash or a normal exit). */
  notifyExited(pod: Pod, containerName: string, exit: { exitCode: number }): void {
    const { record: podRecord, containerRecord } = this.#resolve(pod, containerName);
    if (exit === null || typeof exit !== 'object')
      throw new InvalidArgumentError('exit', exit, 'an object { exitCode: <integer> }');
    const exitCode = exit.exitCode;
    if (!Number.isSafeInteger(exitCode)) {
      throw new InvalidArgumentError('exitCode', exitCode, 'an integer exit code');
    }
    if (containerRecord.phase === 'idle' || containerRecord.phase === 'exited') return;
    if (containerRecord.exit === undefined) containerRecord.exit = { at: this.#ctx.clock.now(), exitCode };
    const killing = containerRecord.termination !== undefined && !containerRecord.termination.settled;
    // During a start the sequence finishes first; during a kill the kill finishes (spec §4.2-C).
    if (containerRecord.phase === 'running' && !killing) markExited(this.#ctx, podRecord, containerRecord);
  }

  /** The container's state as `kubectl get pod -o yaml` would show it. */
  status(pod: Pod, containerName: string): ContainerStatus {
    return this.#resolve(pod, containerName).containerRecord.status;
  }

  /** The record of `pod` (validated: whole, or its own layers and `containerName`'s, see ValidatedPods). */
  #podRecord(pod: Pod, containerName?: string): PodRecord {
    const defaulted = this.#validated.get(pod, containerName);
    const known = this.#byDefaulted.get(defaulted);
    if (known !== undefined && known.pod === defaulted) return known;
    const key = podKey(defaulted);
    let record = this.#pods.get(key);
    if (record === undefined) {
      const meta = defaulted.metadata ?? {};
      record = {
        key,
        name: meta.name ?? '',
        namespace: meta.namespace ?? 'default',
        uid: meta.uid ?? '',
        pod: defaulted,
        containers: containerRecords(defaulted),
        effectiveGraceSeconds: 0,
        terminationSettled: false,
        shortenedDuringPass: false,
      };
      this.#pods.set(key, record);
    } else if (record.pod !== defaulted) {
      record.pod = defaulted;
      for (const [name, fresh] of containerRecords(defaulted))
        if (!record.containers.has(name)) record.containers.set(name, fresh);
    }
    this.#byDefaulted.set(defaulted, record);
    return record;
  }

  #resolve(
    pod: Pod,
    containerName: string,
  ): { record: PodRecord; container: Container; containerRecord: ContainerRecord } {
    if (typeof containerName !== 'string')
      throw new InvalidArgumentError('containerName', containerName, 'the name of a container of the pod (a string)');
    const record = this.#podRecord(pod, containerName);
    const containerRecord = record.containers.get(containerName);
    const container = containerRecord !== undefined ? containerSpec(record.pod, containerRecord) : undefined;
    if (container === undefined || containerRecord === undefined) {
      const known = [...(record.pod.spec?.initContainers ?? []), ...(record.pod.spec?.containers ?? [])].map(
        (c) => c.name,
      );
      throw new UnknownContainerError(record.name, String(containerName), known);
    }
    return { record, container, containerRecord };
  }
}

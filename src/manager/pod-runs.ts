/**
 * The pods the manager runs with a pod worker (`startPod`, DESIGN §10): one {@link PodWorker}
 * per pod, driven by a {@link PodDriver} over the container layer, keyed like the manager's pod
 * records.
 *
 * @internal
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { Pod } from '../api/types.js';
import type { ManagerContext } from '../container/context.js';
import type { PodRecord } from '../container/records.js';
import { InvalidArgumentError, LifecycleError } from '../errors.js';
import { UnknownPodError } from '../pod/pod-errors.js';
import type { PodWaitCondition, PodWaitOptions } from '../pod/pod-waiters.js';
import { PodWorker } from '../pod/pod-worker.js';
import { findMissingProbePort } from '../probes/missing-port.js';
import type { EventHub } from './event-hub.js';
import type { PodOptions } from './options.js';
import { PodDriver } from './pod-driver.js';
import { PodProbes } from './pod-probes.js';

/** One pod run by a worker. */
export interface PodRun {
  readonly record: PodRecord;
  readonly worker: PodWorker;
  readonly driver: PodDriver;
  readonly probes: PodProbes;
  /** Ends the worker's keep-alive hold (see `Clock.keepAlive`). */
  readonly release: () => void;
}

/** The pod workers of one manager. */
export class PodRuns {
  readonly #ctx: ManagerContext;
  readonly #hub: EventHub;
  readonly #options: PodOptions;
  readonly #runs = new Map<string, PodRun>();

  constructor(ctx: ManagerContext, hub: EventHub, options: PodOptions) {
    this.#ctx = ctx;
    this.#hub = hub;
    this.#options = options;
  }

  /** The run of the pod with this record key, if a worker runs it. */
  get(key: string): PodRun | undefined {
    return this.#runs.get(key);
  }

  /** The run of `pod` (found by its UID, else namespace/name); throws `UnknownPodError`. */
  require(pod: Pod, key: string): PodRun {
    const run = this.#runs.get(key);
    if (run !== undefined) return run;
    const meta = (pod as { metadata?: { name?: unknown; namespace?: unknown } }).metadata ?? {};
    throw new UnknownPodError(
      typeof meta.name === 'string' ? meta.name : '',
      typeof meta.namespace === 'string' ? meta.namespace : 'default',
    );
  }

  /** `startPod`: create the worker (once) and start it. `pod` is the caller's object, for events. */
  start(pod: Pod, record: PodRecord): Promise<PodLifecycleStatus> {
    const existing = this.#runs.get(record.key);
    if (existing !== undefined) return existing.worker.start();
    if (record.deletion !== undefined) {
      throw new LifecycleError(
        'ERR_INVALID_STATE',
        `pod "${record.name}" is being deleted (or was deleted); a re-created pod is a new pod: give it a new metadata.uid`,
      );
    }
    const busy = [...record.containers.values()].find((c) => c.phase === 'starting' || c.phase === 'running');
    if (busy !== undefined) {
      throw new LifecycleError(
        'ERR_INVALID_STATE',
        `container "${busy.name}" of pod "${record.name}" was started with startContainer; a pod is run either ` +
          'by startPod (the pod worker) or container by container, not both: delete it first, or use a new pod',
      );
    }
    // DESIGN §11: a probe whose port the manager was not given rejects the pod, never skipped.
    const missing = findMissingProbePort(record.pod, this.#options);
    if (missing !== undefined) throw missing;
    const driver = new PodDriver({
      ctx: this.#ctx,
      record,
      onSandbox: (podIP) => {
        if (podIP === undefined) return;
        const status = record.pod.status ?? {};
        record.pod = { ...record.pod, status: { ...status, podIP, podIPs: [{ ip: podIP }] } };
      },
    });
    const hub = this.#hub;
    // A running worker keeps the process alive (its back-off waits and probe periods are timers).
    const release = this.#ctx.clock.keepAlive?.() ?? noop;
    let worker: PodWorker | undefined;
    const probes = new PodProbes({
      ctx: this.#ctx,
      hub,
      options: this.#options,
      record,
      worker: () => worker as PodWorker,
    });
    worker = new PodWorker({
      pod: record.pod,
      driver,
      clock: this.#ctx.clock,
      onStatus: (status) => {
        hub.emit('podStatus', pod, status);
        probes.onStatus(status);
        const state = (worker as PodWorker).state;
        if (state === 'completed' || state === 'stopped') release();
      },
      onEvent: (event) => hub.emit('event', event),
      ...(this.#options.crashLoopBackOff !== undefined ? { crashLoopBackOff: this.#options.crashLoopBackOff } : {}),
      gates: { containerRestartRules: this.#options.featureGates.ContainerRestartRules },
      exitObservationDelayMs: this.#options.exitObservationDelayMs,
      ...(this.#options.random !== undefined ? { random: this.#options.random } : {}),
    });
    this.#runs.set(record.key, { record, worker, driver, probes, release });
    return worker.start();
  }

  /** `waitForPod`. */
  wait(run: PodRun, condition: PodWaitCondition, options: PodWaitOptions | undefined): Promise<PodLifecycleStatus> {
    const opts = options ?? {};
    if (opts === null || typeof opts !== 'object') {
      return Promise.reject(new InvalidArgumentError('options', opts, 'an object { timeoutMs?, signal? }'));
    }
    const isNamed = condition === 'Ready' || condition === 'Succeeded' || condition === 'Failed';
    if (!isNamed && typeof condition !== 'function') {
      return Promise.reject(
        new InvalidArgumentError(
          'condition',
          condition,
          "'Ready', 'Succeeded', 'Failed' or a function (status) => boolean",
        ),
      );
    }
    return run.worker.waitFor(condition, opts);
  }

  /** A delete begins: the worker stops (no restart after this; a back-off wait ends at once). */
  deleting(key: string): void {
    const run = this.#runs.get(key);
    if (run === undefined) return;
    run.worker.stop();
    run.release();
    run.probes.podTerminating();
  }

  /** A pod termination finished: the exits it caused reach the worker. */
  terminated(key: string): void {
    const run = this.#runs.get(key);
    if (run === undefined) return;
    run.driver.syncExits();
    run.probes.stop();
  }
}

function noop(): void {}

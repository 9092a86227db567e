/**
 * The probes of one pod a worker runs (DESIGN §11, spec pod §6): a {@link ContainerProbes} per
 * regular container and sidecar with a probe, created when the pod is first synced (the worker's
 * first published status), as the kubelet's `probeManager.AddPod` in `SyncPod` creates its
 * workers before the containers run (`prober_manager.go` AddPod, `worker.go` run: the ticker is
 * anchored then and `doProbe` skips until the status shows a container ID). Each (re)start and
 * exit the worker publishes is passed on; a container that exited for good (`ContainerShouldRestart`
 * false, spec pod §6.1 step 6) has its workers stopped at once. Results go to the worker
 * (`setProbeResult`), liveness and startup failures to `killForProbe`, `Unhealthy`/`ProbeWarning`
 * to the manager's events.
 *
 * @internal
 * @module
 */

import type { PodContainerStatus, PodLifecycleStatus } from '../api/pod-status.js';
import type { ManagerContext } from '../container/context.js';
import { containerFieldPath, containerSpec, type PodRecord } from '../container/records.js';
import type { PodWorker } from '../pod/pod-worker.js';
import { shouldContainerRestart } from '../pod/restart-decision.js';
import { ContainerProbes, type ContainerProbesOptions } from '../probes/container-probes.js';
import { podIPOf } from '../probes/probe-outcome.js';
import type { EventHub } from './event-hub.js';
import type { PodOptions } from './options.js';

/** The empty maps of a pod without probes (never written: a pod with probes makes its own). */
const NO_PROBES = new Map<string, ContainerProbes>();
const NO_IDS = new Map<string, string>();

/** The callbacks of a pod's {@link ContainerProbes}. */
type ProbeCallbacks = Required<Pick<ContainerProbesOptions, 'podIP' | 'onEvent' | 'onKill' | 'onStatusChange'>>;

/** What {@link PodProbes} needs from the manager. */
export interface PodProbesHost {
  readonly ctx: ManagerContext;
  readonly hub: EventHub;
  readonly options: PodOptions;
  readonly record: PodRecord;
  /** The worker (created after this object). */
  worker(): PodWorker;
}

/** The probe workers of one pod (see the module comment). */
export class PodProbes {
  readonly #host: PodProbesHost;
  /** Made when the first container has probes (a pod without probes holds no `Map`s here). */
  #probes: Map<string, ContainerProbes> = NO_PROBES;
  /** The containerID each container was last seen running with (only followed for a pod with probes). */
  #running: Map<string, string> = NO_IDS;
  #added = false;
  #stopped = false;
  #callbacks: ProbeCallbacks | undefined;

  constructor(host: PodProbesHost) {
    this.#host = host;
  }

  /** The worker published `status`: follow starts and exits; stop everything once the pod completed. */
  onStatus(status: PodLifecycleStatus): void {
    if (this.#stopped) return;
    if (!this.#added) this.#addPod();
    if (this.#probes.size > 0) {
      this.#follow(status.initContainerStatuses);
      this.#follow(status.containerStatuses);
    }
    if (this.#host.worker().state === 'completed') this.stop();
  }

  /** Pass on the starts and exits `statuses` show (init containers first, then regular ones). */
  #follow(statuses: readonly PodContainerStatus[]): void {
    for (const cs of statuses) {
      const id = cs.state.running !== undefined ? (cs.containerID ?? `#${cs.restartCount}`) : undefined;
      const seen = this.#running.get(cs.name);
      if (id === seen) continue;
      if (seen !== undefined) {
        this.#running.delete(cs.name);
        this.#probes.get(cs.name)?.containerExited({ willRestart: this.#willRestart(cs) });
      }
      if (id !== undefined) {
        this.#running.set(cs.name, id);
        this.#started(cs.name);
      }
    }
  }

  /**
   * Pod termination began: liveness and startup stop, readiness goes on (spec pod §6.1 step 7).
   * As the kubelet's `StopLivenessAndStartup`, which walks `pod.Spec.Containers` only: a
   * sidecar's liveness and startup workers go on until it stops (their failures then give
   * `Unhealthy` events, no kill: the worker of a terminating pod restarts nothing).
   */
  podTerminating(): void {
    for (const [name, probes] of this.#probes) {
      if (this.#host.record.containers.get(name)?.kind === 'regular') probes.podTerminating();
    }
  }

  /** The pod is done: no probe after this. */
  stop(): void {
    this.#stopped = true;
    for (const probes of this.#probes.values()) probes.stop();
  }

  /** Probe workers of the containers that have a live one (for tests and traces). */
  get activeProbes(): Record<string, string[]> {
    const active: Record<string, string[]> = {};
    for (const [name, probes] of this.#probes) if (!probes.isStopped) active[name] = probes.activeProbes;
    return active;
  }

  /** `AddPod`: workers for the regular containers, then the sidecars, that define a probe. */
  #addPod(): void {
    this.#added = true;
    const { record } = this.#host;
    const records = [...record.containers.values()];
    const ordered = [...records.filter((c) => c.kind === 'regular'), ...records.filter((c) => c.kind === 'sidecar')];
    for (const c of ordered) {
      const spec = containerSpec(record.pod, c);
      if (spec === undefined) continue;
      if (spec.livenessProbe == null && spec.readinessProbe == null && spec.startupProbe == null) continue;
      if (this.#probes === NO_PROBES) {
        this.#probes = new Map();
        this.#running = new Map();
      }
      this.#probes.set(c.name, this.#create(spec));
    }
  }

  /**
   * Will the container whose status left Running run again? `doProbe` step 6 (spec pod §6.1):
   * with `ContainerRestartRules` (1.35 default) `ContainerShouldRestart` on the exit code, and a
   * container not (yet) Terminated waits; gate off: pod policy ≠ Never, or a sidecar.
   */
  #willRestart(cs: PodContainerStatus): boolean {
    const { record, options } = this.#host;
    const c = record.containers.get(cs.name);
    const terminated = cs.state.terminated;
    if (c === undefined || terminated === undefined) return true;
    const podRestartPolicy = record.pod.spec?.restartPolicy;
    const gate = options.featureGates.ContainerRestartRules;
    if (!gate) return podRestartPolicy !== 'Never' || c.kind === 'sidecar';
    return shouldContainerRestart({
      kind: c.kind,
      container: containerSpec(record.pod, c) ?? c.spec ?? {},
      podRestartPolicy,
      exitCode: terminated.exitCode,
      gates: { containerRestartRules: gate },
    });
  }

  #started(name: string): void {
    const { ctx, record } = this.#host;
    const probes = this.#probes.get(name);
    const c = record.containers.get(name);
    const ref = c?.ref;
    if (probes === undefined || ref === undefined) return;
    probes.containerStarted({ ref, startedAt: c?.status.startedAt ?? ctx.clock.now() });
  }

  #create(spec: NonNullable<ReturnType<typeof containerSpec>>): ContainerProbes {
    const { ctx, record, options } = this.#host;
    if (this.#callbacks === undefined) this.#callbacks = this.#makeCallbacks();
    const callbacks = this.#callbacks;
    return new ContainerProbes({
      pod: record.pod,
      container: spec,
      clock: ctx.clock,
      runtime: ctx.runtime,
      httpClient: ctx.httpClient,
      ...(options.tcpDialer !== undefined ? { tcpDialer: options.tcpDialer } : {}),
      ...(options.grpcHealthChecker !== undefined ? { grpcHealthChecker: options.grpcHealthChecker } : {}),
      kubeletVersion: ctx.kubeletVersion,
      ...callbacks,
    });
  }

  /**
   * The callbacks every container's probes share (one set per pod, not one per container: four
   * closures per probed container were ≈ 0.5 KB, docs/performance-history.md round 6); each gets the
   * container (its spec, as given to its `ContainerProbes`).
   */
  #makeCallbacks(): ProbeCallbacks {
    const { ctx, record, hub } = this.#host;
    return {
      // The sandbox (and so the pod IP) comes after the workers: read it at each attempt.
      podIP: () => podIPOf(record.pod),
      onEvent: (event, at, container) => {
        const c = container === undefined ? undefined : record.containers.get(container.name);
        if (c === undefined) return;
        hub.emit('event', {
          type: event.type,
          reason: event.reason,
          message: event.message,
          object: {
            kind: 'Container',
            name: at.name,
            namespace: record.namespace,
            fieldPath: containerFieldPath(c),
            podName: record.name,
          },
          timestamp: ctx.clock.now(),
        });
      },
      onKill: (kill, container) => {
        if (container !== undefined) void this.#host.worker().killForProbe(container.name, kill.probeType);
      },
      onStatusChange: ({ started, ready }, container) => {
        if (this.#stopped || container === undefined) return;
        const { name } = container;
        const worker = this.#host.worker();
        if (container.startupProbe != null) worker.setProbeResult(name, 'startup', started);
        if (container.readinessProbe != null) worker.setProbeResult(name, 'readiness', ready);
      },
    };
  }
}

/**
 * The probes of one pod a worker runs (DESIGN §11, spec pod §6): a {@link ContainerProbes} per
 * container with a probe, created at its first start and told of every (re)start and exit as the
 * worker's published status shows them; results go to the worker (`setProbeResult`), liveness
 * and startup failures to `killForProbe`, `Unhealthy`/`ProbeWarning` to the manager's events.
 *
 * @internal
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { ManagerContext } from '../container/context.js';
import { containerFieldPath, type PodRecord } from '../container/records.js';
import type { PodWorker } from '../pod/pod-worker.js';
import { ContainerProbes } from '../probes/container-probes.js';
import type { EventHub } from './event-hub.js';
import type { PodOptions } from './options.js';

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
  readonly #probes = new Map<string, ContainerProbes>();
  /** The containerID each container was last seen running with. */
  readonly #running = new Map<string, string>();
  #stopped = false;

  constructor(host: PodProbesHost) {
    this.#host = host;
  }

  /** The worker published `status`: follow starts and exits; stop everything once the pod completed. */
  onStatus(status: PodLifecycleStatus): void {
    if (this.#stopped) return;
    for (const cs of [...status.initContainerStatuses, ...status.containerStatuses]) {
      const id = cs.state.running !== undefined ? (cs.containerID ?? `#${cs.restartCount}`) : undefined;
      const seen = this.#running.get(cs.name);
      if (id === seen) continue;
      if (seen !== undefined) {
        this.#running.delete(cs.name);
        this.#probes.get(cs.name)?.containerExited();
      }
      if (id !== undefined) {
        this.#running.set(cs.name, id);
        this.#started(cs.name);
      }
    }
    if (this.#host.worker().state === 'completed') this.stop();
  }

  /** Pod termination began: liveness and startup stop, readiness goes on (spec pod §6.1). */
  podTerminating(): void {
    for (const probes of this.#probes.values()) probes.podTerminating();
  }

  /** The pod is done: no probe after this. */
  stop(): void {
    this.#stopped = true;
    for (const probes of this.#probes.values()) probes.stop();
  }

  #started(name: string): void {
    const { ctx, record } = this.#host;
    const c = record.containers.get(name);
    const ref = c?.ref;
    const spec = c?.spec;
    if (c === undefined || ref === undefined || spec === undefined) return;
    if (spec.livenessProbe == null && spec.readinessProbe == null && spec.startupProbe == null) return;
    const startedAt = c.status.startedAt ?? ctx.clock.now();
    const existing = this.#probes.get(name);
    if (existing !== undefined) {
      existing.containerStarted({ ref, startedAt });
      return;
    }
    const { options, hub } = this.#host;
    const hasStartup = spec.startupProbe != null;
    const hasReadiness = spec.readinessProbe != null;
    const probes = new ContainerProbes({
      pod: record.pod,
      container: spec,
      clock: ctx.clock,
      runtime: ctx.runtime,
      httpClient: ctx.httpClient,
      ...(options.tcpDialer !== undefined ? { tcpDialer: options.tcpDialer } : {}),
      ...(options.grpcHealthChecker !== undefined ? { grpcHealthChecker: options.grpcHealthChecker } : {}),
      kubeletVersion: ctx.kubeletVersion,
      running: { ref, startedAt },
      onEvent: (event, at) => {
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
      onKill: (kill) => {
        void this.#host.worker().killForProbe(name, kill.probeType);
      },
      onStatusChange: ({ started, ready }) => {
        if (this.#stopped) return;
        const worker = this.#host.worker();
        if (hasStartup) worker.setProbeResult(name, 'startup', started);
        if (hasReadiness) worker.setProbeResult(name, 'readiness', ready);
      },
    });
    this.#probes.set(name, probes);
  }
}

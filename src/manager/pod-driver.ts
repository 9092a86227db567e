/**
 * The {@link ContainerDriver} the manager gives each pod worker: the container layer's start and
 * kill sequences (src/container) on the manager's own record of the pod, the Runtime's optional
 * `runPodSandbox`/`stopPodSandbox`, and the exits the container layer learns (the Runtime's
 * `waitContainer`, watched from each start, or `notifyExited`).
 *
 * @internal
 * @module
 */

import { runtimeExit, stopExitWatches } from '../container/container-exit.js';
import type { EventSink, ManagerContext } from '../container/context.js';
import { DEADLINE, raceDeadline } from '../container/deadline.js';
import { requestKill } from '../container/kill-sequence.js';
import { type ContainerRecord, containerSpec, type PodRecord } from '../container/records.js';
import { startSequence } from '../container/start-sequence.js';
import { LifecycleError } from '../errors.js';
import { EventMessages, type KubeEvent } from '../hooks/events.js';
import type {
  ContainerDriver,
  ContainerExit,
  KillOptions,
  SandboxInfo,
  StartOutcome,
  StopOutcome,
} from '../pod/container-driver.js';
import { captured, capturedPromise } from '../ports/intrusive-list.js';

/**
 * The context of one worker start: the container's `Started` event is preceded by `Created`
 * (spec pod §4.6: the kubelet emits `Created` after CreateContainer and `Started` after
 * StartContainer; the Runtime port's `startContainer` does both, so both follow it, at the same
 * instant). Text per `kubeletVersion`: `Container created` (1.35), `Created container: <name>`.
 */
function withCreatedEvent(ctx: ManagerContext, containerName: string): ManagerContext {
  const hub: EventSink = {
    hasListeners: (name) => ctx.hub.hasListeners(name),
    emit: (name, ...args) => {
      const event = args[0] as KubeEvent | undefined;
      if (name === 'event' && event?.reason === 'Started' && event.object.name === containerName) {
        const message = EventMessages.created(containerName, ctx.kubeletVersion);
        ctx.hub.emit('event', { ...event, reason: 'Created', message });
      }
      ctx.hub.emit(name, ...args);
    },
  };
  return { ...ctx, hub };
}

/** How long a kill waits for `waitContainer` to report the exit code of a container it stopped. */
const EXIT_REPORT_MS = 1_000;

/** Hooks the manager gives a {@link PodDriver}. */
export interface PodDriverHost {
  readonly ctx: ManagerContext;
  readonly record: PodRecord;
  /** The sandbox is up: `podIP` becomes `status.podIP` and the default httpGet host. */
  onSandbox(podIP: string | undefined): void;
  /** A container instance is running (after postStart) or exited: the probes follow it. */
  onRunning?(name: string, ref: NonNullable<ContainerRecord['ref']>, startedAt: number): void;
  onExited?(name: string): void;
}

/** One container instance's exit, as the worker learns it (its promise, its resolve; no closure per start). */
class Watch {
  readonly exit: Promise<ContainerExit> = capturedPromise<ContainerExit>();
  readonly resolve = captured.resolve as (exit: ContainerExit) => void;
  settled = false;
}

/** The manager's ContainerDriver for one pod (see the module comment). */
export class PodDriver implements ContainerDriver {
  readonly #host: PodDriverHost;
  readonly #watches = new Map<string, Watch>();
  /** Aborts the sandbox calls still pending when the pod is gone (made on first use). */
  #calls: AbortController | undefined;
  #disposedBy: Error | undefined;
  runSandbox?: () => Promise<SandboxInfo>;
  stopSandbox?: (id: string) => Promise<void>;

  constructor(host: PodDriverHost) {
    this.#host = host;
    const { runtime } = host.ctx;
    if (typeof runtime.runPodSandbox === 'function') {
      this.runSandbox = async () => {
        const sandbox = await (runtime.runPodSandbox as NonNullable<typeof runtime.runPodSandbox>)(host.record.pod, {
          signal: this.#callsSignal(),
        });
        const id: unknown = sandbox?.id;
        if (typeof id !== 'string' || id === '') {
          throw new LifecycleError('ERR_INVALID_STATE', 'runtime.runPodSandbox resolved without a sandbox id');
        }
        const podIP = typeof sandbox.podIP === 'string' && sandbox.podIP !== '' ? sandbox.podIP : undefined;
        host.onSandbox(podIP);
        return podIP === undefined ? { id } : { id, podIP };
      };
    }
    if (typeof runtime.stopPodSandbox === 'function') {
      this.stopSandbox = (id) =>
        (runtime.stopPodSandbox as NonNullable<typeof runtime.stopPodSandbox>)(id, {
          signal: new AbortController().signal,
        });
    }
  }

  async start(name: string): Promise<StartOutcome> {
    const { ctx, record: pod } = this.#host;
    const c = pod.containers.get(name);
    const spec = c === undefined ? undefined : containerSpec(pod.pod, c);
    if (c === undefined || spec === undefined) return { outcome: 'startFailed', message: `no container "${name}"` };
    // An earlier instance still being killed (its exit came in first): the kill ends first.
    if (c.termination !== undefined && !c.termination.settled) await c.termination.promise;
    if (c.phase === 'starting' || c.phase === 'running') {
      return { outcome: 'startFailed', message: `container "${name}" is already ${c.phase}` };
    }
    const watch = new Watch();
    this.#watches.set(name, watch);
    const result = await startSequence(withCreatedEvent(ctx, name), pod, c, spec);
    const containerID = result.containerID;
    const id = containerID === undefined ? {} : { containerID };
    switch (result.outcome) {
      case 'startFailed':
        return { outcome: 'startFailed', ...(result.message !== undefined ? { message: result.message } : {}) };
      case 'postStartFailed': {
        const exit = (await this.#reportedExit(c)) ?? this.#exitOf(c);
        this.#settle(name, watch, exit);
        return {
          outcome: 'postStartFailed',
          ...id,
          ...(result.message !== undefined ? { message: result.message } : {}),
          exit,
        };
      }
      case 'exited': {
        const exit = (await this.#reportedExit(c)) ?? this.#exitOf(c);
        this.#settle(name, watch, exit);
        return { outcome: 'exited', ...id, exit };
      }
      case 'running': {
        this.#watchRuntime(c, watch);
        const startedAt = result.runningAt ?? result.startedAt;
        if (c.ref !== undefined) this.#host.onRunning?.(name, c.ref, startedAt);
        // Literals, not a spread of `id` (one object per restart, keys in the same order).
        return containerID === undefined
          ? { outcome: 'running', startedAt }
          : { outcome: 'running', containerID, startedAt };
      }
    }
  }

  async kill(name: string, options: KillOptions): Promise<StopOutcome> {
    const { ctx, record: pod } = this.#host;
    const c = pod.containers.get(name);
    if (c === undefined) return {};
    const watch = this.#watches.get(name);
    const result = await requestKill(ctx, pod, c, {
      reason: options.reason,
      message: options.message,
      overrideSeconds: options.gracePeriodOverride,
    });
    if (result.outcome === 'stopFailed' || result.outcome === 'stopTimedOut') return {};
    let exit: ContainerExit | undefined;
    if (watch !== undefined && !watch.settled && runtimeExit(c) !== undefined) {
      // The runtime's own report carries the real code (143 after SIGTERM, 137 after SIGKILL).
      const reported = await raceDeadline(ctx.clock, watch.exit, EXIT_REPORT_MS);
      if (reported !== DEADLINE) exit = reported;
    }
    exit ??= watch?.settled === true ? undefined : this.#exitOf(c);
    if (watch !== undefined && exit !== undefined) this.#settle(name, watch, exit);
    return exit === undefined ? {} : { exit };
  }

  waitExit(name: string): Promise<ContainerExit> | undefined {
    return this.#watches.get(name)?.exit;
  }

  /**
   * The container layer saw `name` exit (a `notifyExited`, or a kill the delete made): tell the
   * worker, once per instance.
   */
  exited(name: string, exit: ContainerExit): void {
    const watch = this.#watches.get(name);
    if (watch !== undefined && !watch.settled) this.#settle(name, watch, exit);
  }

  /** After a pod termination: every instance the container layer saw exit reaches the worker. */
  syncExits(): void {
    for (const [name, watch] of this.#watches) {
      const c = this.#host.record.containers.get(name);
      if (!watch.settled && c !== undefined && c.phase === 'exited') this.#settle(name, watch, this.#exitOf(c));
    }
  }

  /** The pod is gone: abort the pending `waitContainer` (and sandbox) calls. */
  dispose(): void {
    const reason = new Error('pod deleted');
    this.#disposedBy = reason;
    this.#calls?.abort(reason);
    stopExitWatches(this.#host.record, reason);
  }

  /** The signal of the sandbox calls (aborted with the reason of {@link PodDriver.dispose}). */
  #callsSignal(): AbortSignal {
    if (this.#calls === undefined) {
      this.#calls = new AbortController();
      if (this.#disposedBy !== undefined) this.#calls.abort(this.#disposedBy);
    }
    return this.#calls.signal;
  }

  /** The container layer watches the Runtime's `waitContainer`: its report settles the worker's watch. */
  #watchRuntime(c: ContainerRecord, watch: Watch): void {
    const ref = c.ref;
    void runtimeExit(c)?.then((reported) => {
      if (reported !== undefined && c.ref === ref) this.#settle(c.name, watch, reported);
    });
  }

  /**
   * The runtime's report of an instance known to have ended (after a postStart failure's kill):
   * `waitContainer` answers at once then, with the real code (143 after SIGTERM).
   */
  async #reportedExit(c: ContainerRecord): Promise<ContainerExit | undefined> {
    const pending = runtimeExit(c);
    if (pending === undefined || c.phase !== 'exited') return undefined;
    const reported = await raceDeadline(this.#host.ctx.clock, pending, EXIT_REPORT_MS);
    if (reported === DEADLINE || reported === undefined) return undefined;
    const finishedAt = c.exit?.at;
    return { ...reported, ...(finishedAt !== undefined ? { finishedAt } : {}) };
  }

  #settle(name: string, watch: Watch, exit: ContainerExit): void {
    if (watch.settled) return;
    watch.settled = true;
    watch.resolve(exit);
    this.#host.onExited?.(name);
  }

  /** The exit the container layer recorded for `c` (137 / Error when it does not know the code). */
  #exitOf(c: ContainerRecord): ContainerExit {
    const code = c.exit?.exitCode;
    const finishedAt = c.exit?.at;
    const at = finishedAt === undefined ? {} : { finishedAt };
    if (code === undefined) return { exitCode: 137, reason: 'Error', ...at };
    return { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', ...at };
  }
}

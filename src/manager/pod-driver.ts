/**
 * The {@link ContainerDriver} the manager gives each pod worker: the container layer's start and
 * kill sequences (src/container) on the manager's own record of the pod, the Runtime's optional
 * `runPodSandbox`/`stopPodSandbox`, and the exits the container layer learns (the Runtime's
 * `waitContainer`, watched from each start, or `notifyExited`).
 *
 * @internal
 * @module
 */

import type { Container } from '../api/types.js';
import { runtimeExit, stopExitWatches } from '../container/container-exit.js';
import type { ManagerContext } from '../container/context.js';
import { DEADLINE, raceDeadline } from '../container/deadline.js';
import { requestKill } from '../container/kill-sequence.js';
import { terminationOrder } from '../container/pod-termination.js';
import { type ContainerRecord, containerSpec, type PodRecord } from '../container/records.js';
import type { StartResult } from '../container/results.js';
import { startSequence } from '../container/start-sequence.js';
import { LifecycleError } from '../errors.js';
import type {
  ContainerDriver,
  ContainerExit,
  KillOptions,
  SandboxInfo,
  StartOutcome,
  StopOutcome,
} from '../pod/container-driver.js';
import { captured, capturedPromise } from '../ports/intrusive-list.js';
import { withCreatedEvent } from './created-event.js';

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

/** A {@link PodDriver.start} in flight: what its steps need and how its result settles. */
interface PendingStart {
  readonly name: string;
  readonly c: ContainerRecord;
  readonly spec: Container;
  readonly resolve: (outcome: StartOutcome) => void;
  readonly reject: (error: unknown) => void;
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

  /**
   * Start `name` (startSequence with the `Created` event): a promise chain around one result, not
   * an `async` function, with the same turns (docs/performance-history.md, round 6 second sprint;
   * test/pod/pod-worker-turns.test.ts pins them).
   */
  start(name: string): Promise<StartOutcome> {
    try {
      const { record: pod } = this.#host;
      const c = pod.containers.get(name);
      const spec = c === undefined ? undefined : containerSpec(pod.pod, c);
      if (c === undefined || spec === undefined)
        return Promise.resolve({ outcome: 'startFailed', message: `no container "${name}"` });
      const result = capturedPromise<StartOutcome>();
      const start: PendingStart = {
        name,
        c,
        spec,
        resolve: captured.resolve as PendingStart['resolve'],
        reject: captured.reject,
      };
      // An earlier instance still being killed (its exit came in first): the kill ends first.
      if (c.termination !== undefined && !c.termination.settled) {
        c.termination.promise.then(() => this.#begin(start), start.reject);
      } else this.#begin(start);
      return result;
    } catch (error) {
      return Promise.reject(error); // a throw becomes a rejection, as from the `async` function
    }
  }

  #begin(start: PendingStart): void {
    try {
      const { name, c, spec } = start;
      if (c.phase === 'starting' || c.phase === 'running') {
        start.resolve({ outcome: 'startFailed', message: `container "${name}" is already ${c.phase}` });
        return;
      }
      const watch = new Watch();
      this.#watches.set(name, watch);
      startSequence(withCreatedEvent(this.#host.ctx, name), this.#host.record, c, spec).then(
        (result) => this.#started(start, watch, result),
        start.reject,
      );
    } catch (error) {
      start.reject(error);
    }
  }

  /** One turn after the start sequence settled. */
  #started(start: PendingStart, watch: Watch, result: StartResult): void {
    try {
      const { name, c } = start;
      const containerID = result.containerID;
      switch (result.outcome) {
        case 'startFailed':
          start.resolve({
            outcome: 'startFailed',
            ...(result.message !== undefined ? { message: result.message } : {}),
          });
          return;
        case 'postStartFailed':
        case 'exited':
          // One turn after `#reportedExit` settled, where the `await` resumed.
          this.#reportedExit(c).then((reported) => this.#ended(start, watch, result, reported), start.reject);
          return;
        case 'running': {
          this.#watchRuntime(c, watch);
          const startedAt = result.runningAt ?? result.startedAt;
          if (c.ref !== undefined) this.#host.onRunning?.(name, c.ref, startedAt);
          // Literals, not a spread of `id` (one object per restart, keys in the same order).
          start.resolve(
            containerID === undefined
              ? { outcome: 'running', startedAt }
              : { outcome: 'running', containerID, startedAt },
          );
          return;
        }
      }
      start.resolve(undefined as never); // an unknown outcome: the `async` function returned undefined
    } catch (error) {
      start.reject(error);
    }
  }

  /** An instance that ended during its start: the exit reaches the worker's watch, then the outcome. */
  #ended(start: PendingStart, watch: Watch, result: StartResult, reported: ContainerExit | undefined): void {
    try {
      const exit = reported ?? this.#exitOf(start.c);
      this.#settle(start.name, watch, exit);
      const containerID = result.containerID;
      const id = containerID === undefined ? {} : { containerID };
      start.resolve(
        result.outcome === 'postStartFailed'
          ? {
              outcome: 'postStartFailed',
              ...id,
              ...(result.message !== undefined ? { message: result.message } : {}),
              exit,
            }
          : { outcome: 'exited', ...id, exit },
      );
    } catch (error) {
      start.reject(error);
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
      prerequisites: options.ordered ? terminationOrder([...pod.containers.values()]).get(c) : undefined,
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

/**
 * The narrow port through which a {@link PodWorker} acts on one pod's containers. The worker
 * decides *when* (ordering, restarts, back-off); the driver does *how* (runtime start, postStart,
 * kill with preStop and grace, sandbox). The `LifecycleManager` adapts its container-level calls
 * (`startContainer`, `stopContainer`, the Runtime's optional `waitContainer`/`runPodSandbox`/
 * `stopPodSandbox`) to this interface, so the worker knows nothing of the manager's internals.
 *
 * @module
 */

import type { KillReason } from '../grace/kill-grace.js';

/** How a container ended, as the runtime reports it. */
export interface ContainerExit {
  readonly exitCode: number;
  /** The runtime's reason (`OOMKilled`, …). @default `Completed` for exit 0, else `Error` */
  readonly reason?: string;
  readonly message?: string;
  /** Signal name, when the runtime knows it (`SIGKILL`). */
  readonly signal?: string;
  /** Clock ms of the exit. @default the worker's clock when it learns of the exit */
  readonly finishedAt?: number;
}

/**
 * The result of {@link ContainerDriver.start}, which covers the kubelet's `startContainer`:
 * runtime start, then postStart (spec §3).
 * - `running`: started and postStart succeeded.
 * - `postStartFailed`: postStart failed and the driver has already killed the container
 *   (`FailedPostStartHook`, `Killing`, preStop); `exit` is how it ended.
 * - `exited`: the container exited before it was reported running (e.g. during postStart).
 * - `startFailed`: the runtime could not start it; no container ran.
 */
export type StartOutcome =
  | { readonly outcome: 'running'; readonly containerID?: string; readonly startedAt?: number }
  | {
      readonly outcome: 'postStartFailed';
      readonly containerID?: string;
      /** The hook failure text, shown as the Waiting `PostStartHookError` message. */
      readonly message?: string;
      /** @default `{ exitCode: 137, reason: 'Error' }` (killed) */
      readonly exit?: ContainerExit;
    }
  | { readonly outcome: 'exited'; readonly containerID?: string; readonly exit?: ContainerExit }
  | {
      readonly outcome: 'startFailed';
      /** Waiting reason. @default 'RunContainerError' */
      readonly reason?: string;
      readonly message?: string;
    };

/** The result of {@link ContainerDriver.kill}. */
export interface StopOutcome {
  /** How the container ended, when the driver knows. @default `{ exitCode: 137, reason: 'Error' }` */
  readonly exit?: ContainerExit;
}

/** Options of {@link ContainerDriver.kill}. */
export interface KillOptions {
  readonly reason: KillReason;
  readonly gracePeriodOverride?: number;
  /**
   * The kill is one of a whole pod's (KillPod): a sidecar's stop signal waits for the main
   * containers and the next-declared sidecar, as in a deletion (spec §4.2-C.6). @default false
   */
  readonly ordered?: boolean;
  /** The `Killing` message; default `Stopping container <name>`. */
  readonly message?: string;
}

/** The pod sandbox (`runPodSandbox`): its id and IP (`status.podIP`). */
export interface SandboxInfo {
  readonly id: string;
  readonly podIP?: string;
}

/** What a {@link PodWorker} needs to act on one pod. Promises should not reject; a rejection counts as a start failure. */
export interface ContainerDriver {
  /** Start (or restart) a container, postStart included; resolves when that is over. */
  start(containerName: string, options: { readonly restartCount: number }): Promise<StartOutcome>;
  /** Kill a running container (preStop, grace); resolves once it has exited. */
  kill(containerName: string, options: KillOptions): Promise<StopOutcome>;
  /**
   * Resolve when the container started last exits by itself (the Runtime's `waitContainer`).
   * Return `undefined` when the runtime cannot tell: then call `PodWorker.notifyExited`.
   */
  waitExit?(containerName: string, options: { readonly signal: AbortSignal }): Promise<ContainerExit> | undefined;
  /** Create the pod sandbox before any container (`runPodSandbox`). */
  runSandbox?(): Promise<SandboxInfo>;
  /** Remove the sandbox after the last container stopped (`stopPodSandbox`). */
  stopSandbox?(sandboxId: string): Promise<void>;
}

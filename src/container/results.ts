import type { HookName } from '../api/types.js';
import type { KillReason } from '../grace/kill-grace.js';

/** How a hook ended, as far as the manager's wait is concerned. */
export type HookOutcome = 'succeeded' | 'failed' | 'timedOut' | 'skipped';

/** What happened to one hook run. */
export interface HookReport {
  readonly outcome: HookOutcome;
  /** Milliseconds from the hook's start to the end of the manager's wait (absent when skipped). */
  readonly elapsedMs?: number;
  /** The kubelet's detail message (spec §5) when the hook failed. */
  readonly message?: string;
}

/** The result of {@link LifecycleManager.stopContainer} (and of each container of a pod delete). */
export interface StopResult {
  readonly container: string;
  /**
   * - `stopped`: the runtime stopped the container.
   * - `notRunning`: it was not running (never started, or already exited): no preStop, no stop call.
   * - `stopFailed`: the runtime's stop rejected; the container may still run (a later stop retries, preStop included).
   * - `stopTimedOut`: the runtime's stop did not settle within the stop timeout plus `runtimeRequestTimeoutSeconds`.
   */
  readonly outcome: 'stopped' | 'notRunning' | 'stopFailed' | 'stopTimedOut';
  readonly reason: KillReason;
  /** The grace used: base grace, or the override when one was given (spec §4.2-C.1/4). */
  readonly gracePeriodSeconds: number;
  readonly preStop: HookReport;
  /** Milliseconds a sidecar waited for the containers it must outlive (spec §4.2-C.6). */
  readonly orderingWaitMs: number;
  /** The `timeoutSeconds` handed to `runtime.stopContainer` (absent when it was not called). */
  readonly stopTimeoutSeconds?: number;
  /** Clock time the kill began (the `Killing` event). */
  readonly startedAt: number;
  /** Clock time the container was known to have exited (absent when it did not). */
  readonly exitedAt?: number;
  /** The adapter's error text for `stopFailed` / `stopTimedOut`. */
  readonly error?: string;
}

/** The result of {@link LifecycleManager.startContainer}. */
export interface StartResult {
  readonly container: string;
  /**
   * - `running`: started and postStart (if any) succeeded.
   * - `startFailed`: the runtime could not start it (Waiting/`RunContainerError`).
   * - `postStartFailed`: postStart failed or timed out (Waiting/`PostStartHookError`); the
   *   container was killed, unless it had exited already (then `kill` is absent).
   * - `exited`: the main process exited while postStart ran and postStart still succeeded (or
   *   there was none): the container never became Running. An exit that ends a postStart exec
   *   (the runtime reports it killed, exit 137) is `postStartFailed`, as on a node.
   */
  readonly outcome: 'running' | 'startFailed' | 'postStartFailed' | 'exited';
  /** The runtime's container id (absent when the start failed). */
  readonly containerID?: string;
  readonly postStart: HookReport;
  /** The kill that followed a failed postStart. */
  readonly kill?: StopResult;
  /** Status message: the hook detail or the start error. */
  readonly message?: string;
  readonly startedAt: number;
  /** Clock time the container became Running. */
  readonly runningAt?: number;
}

/** The result of {@link LifecycleManager.deletePod}. */
export interface PodTerminationResult {
  /** The pod worker's effective grace handed to every container kill (spec §4.2-A). */
  readonly gracePeriodSeconds: number;
  /** `metadata.deletionGracePeriodSeconds` as the API server stored it (spec §4.1). */
  readonly deletionGracePeriodSeconds: number;
  /** One result per container that was declared, in declaration order (init containers first). */
  readonly containers: readonly StopResult[];
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Container status as `kubectl get pod -o yaml` would show its state. */
export interface ContainerStatus {
  readonly state: 'Waiting' | 'Running' | 'Terminated';
  readonly reason?: string;
  readonly message?: string;
  readonly restartCount: number;
  readonly containerID?: string;
  readonly exitCode?: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

/** Internal steps the manager takes, for timelines and trace checks (not Kubernetes events). */
export type LifecycleStepKind =
  | 'starting'
  | 'started'
  | 'postStartStarted'
  | 'postStartFinished'
  | 'running'
  | 'killing'
  | 'preStopStarted'
  | 'preStopFinished'
  | 'orderingWaitStarted'
  | 'orderingWaitFinished'
  | 'stopRequested'
  | 'exited'
  | 'stopFailed'
  | 'startFailed';

/** One step, emitted as the manager's `step` event. */
export interface LifecycleStep {
  readonly kind: LifecycleStepKind;
  readonly time: number;
  readonly pod: { readonly name: string; readonly namespace: string; readonly uid: string };
  readonly container: string;
  readonly containerID?: string;
  readonly hook?: HookName;
  readonly outcome?: HookOutcome;
  /** For `stopRequested`: the timeout handed to the runtime. For `killing`: the grace. */
  readonly seconds?: number;
  readonly stopSignal?: string;
  readonly message?: string;
}

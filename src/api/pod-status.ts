/**
 * The pod status the pod worker publishes (DESIGN §10), with Kubernetes' `core/v1` field names
 * and nesting, so a JSON dump reads like `kubectl get pod -o json`'s `status`. Times are RFC 3339
 * strings in whole seconds (as `metav1.Time` serialises), made from clock milliseconds with
 * {@link toApiTime}.
 *
 * @module
 */

/** `PodPhase` (spec pod §5.1). */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * The kubelet-owned condition types (spec pod §1.1, §5.2). `PodScheduled` is always `True`: the
 * kubelet writes it for the pod it runs (the scheduler set it first; there is none here).
 */
export type PodConditionType =
  | 'PodReadyToStartContainers'
  | 'Initialized'
  | 'ContainersReady'
  | 'Ready'
  | 'PodScheduled';

/** `PodCondition`. `lastTransitionTime` changes only when `status` flips (spec pod §5.2). */
export interface PodCondition {
  readonly type: PodConditionType;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  /** RFC 3339, whole seconds. */
  readonly lastTransitionTime: string;
  /** Null in the API for kubelet conditions; kept as `null` here too. */
  readonly lastProbeTime: null;
}

/** `ContainerStateWaiting`, e.g. `{ reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=…' }`. */
export interface ContainerStateWaiting {
  readonly reason?: string;
  readonly message?: string;
}

/** `ContainerStateRunning`. */
export interface ContainerStateRunning {
  /** RFC 3339, whole seconds. */
  readonly startedAt?: string;
}

/** `ContainerStateTerminated` (spec pod §4.4). */
export interface ContainerStateTerminated {
  readonly exitCode: number;
  /** `Completed` (exit 0), `Error`, or the runtime's own (`OOMKilled`, …). */
  readonly reason?: string;
  readonly message?: string;
  readonly signal?: number;
  /** RFC 3339, whole seconds. */
  readonly startedAt?: string;
  /** RFC 3339, whole seconds. */
  readonly finishedAt?: string;
  readonly containerID?: string;
}

/** `ContainerState`: at most one member is set. */
export interface ContainerState {
  readonly waiting?: ContainerStateWaiting;
  readonly running?: ContainerStateRunning;
  readonly terminated?: ContainerStateTerminated;
}

/** `ContainerStatus` (spec pod §1.1, §5.3). */
export interface PodContainerStatus {
  readonly name: string;
  readonly state: ContainerState;
  /** Empty (`{}`) while the container has never terminated, as the API. */
  readonly lastState: ContainerState;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
  readonly image: string;
  readonly containerID?: string;
}

/** `PodIP`. */
export interface PodStatusIP {
  readonly ip: string;
}

/** `PodStatus`, the API shape (DESIGN §10). A published status is frozen. Public name: {@link PodStatus}. */
export interface PodLifecycleStatus {
  readonly phase: PodPhase;
  readonly conditions: readonly PodCondition[];
  readonly podIP?: string;
  readonly podIPs?: readonly PodStatusIP[];
  /** RFC 3339, whole seconds: when the worker took the pod. */
  readonly startTime?: string;
  readonly initContainerStatuses: readonly PodContainerStatus[];
  readonly containerStatuses: readonly PodContainerStatus[];
  /** Set with a terminal phase forced by the worker (e.g. a delete); usually absent. */
  readonly reason?: string;
  readonly message?: string;
}

/**
 * The status the manager publishes (`startPod`, `podStatus`, `waitForPod`, the `podStatus`
 * event): `core/v1` `PodStatus` field names and nesting, frozen. A pod's input `status` is the
 * looser {@link PodStatusInput}.
 */
export type PodStatus = PodLifecycleStatus;

/**
 * Clock milliseconds → RFC 3339 in whole seconds (`1970-01-01T00:00:10Z`), truncating like
 * `metav1.Time` serialisation. A VirtualClock starts at the epoch.
 *
 * @example toApiTime(75_900) // '1970-01-01T00:01:15Z'
 */
export function toApiTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  // Every status snapshot formats the same few instants again (start times, the current second).
  const known = apiTimes.get(seconds);
  if (known !== undefined) return known;
  const text = `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
  if (apiTimes.size >= 4096) apiTimes.clear();
  apiTimes.set(seconds, text);
  return text;
}

/** Recently formatted instants of {@link toApiTime}, by whole second (bounded). */
const apiTimes = new Map<number, string>();

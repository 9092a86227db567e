/**
 * Kubernetes events the manager emits (spec §7), with the kubelet's exact reasons and messages.
 */

/** The object an event is about: the pod, or one of its containers (with `fieldPath`). */
export interface KubeEventObject {
  readonly kind: 'Pod' | 'Container';
  readonly name: string;
  readonly namespace: string;
  /** For containers: `spec.containers{<name>}` or `spec.initContainers{<name>}`, as the kubelet's container refs. */
  readonly fieldPath?: string;
  /** For containers: the name of the pod they belong to (an extension of the Kubernetes shape). */
  readonly podName?: string;
}

/** Event reasons the manager emits (the kubelet's, plus policy-gated extras). */
export type KubeEventReason =
  | 'Created'
  | 'Started'
  | 'Killing'
  | 'FailedPostStartHook'
  | 'FailedPreStopHook'
  | 'LifecycleHTTPFallback'
  | 'ExceededGracePeriod'
  | 'UnfinishedPreStopHook'
  | (string & {});

/** One event, as `kubectl describe` would show it; `timestamp` is `clock.now()`. */
export interface KubeEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: KubeEventReason;
  readonly message: string;
  /** The handler failure text of spec §5 (the kubelet only logs it). */
  readonly detail?: string;
  readonly object: KubeEventObject;
  readonly timestamp: number;
}

/** The `kubeletVersion` whose event texts {@link EventMessages} give when none is named. */
export const DEFAULT_KUBELET_VERSION = '1.35';

/**
 * Whether `kubeletVersion` (`major.minor`) is at least `major.minor`; an unreadable version counts
 * as the newest (the manager checks the option's shape before it gets here).
 */
export function isKubeletAtLeast(kubeletVersion: string, major: number, minor: number): boolean {
  // The last version read is kept: a manager asks about its one version at every container start.
  if (kubeletVersion !== lastVersion.text) {
    const match = /^(\d+)\.(\d+)$/.exec(kubeletVersion);
    lastVersion = {
      text: kubeletVersion,
      major: match === null ? Number.POSITIVE_INFINITY : Number(match[1]),
      minor: match === null ? 0 : Number(match[2]),
    };
  }
  const { major: vMajor, minor: vMinor } = lastVersion;
  return vMajor > major || (vMajor === major && vMinor >= minor);
}

/** The version {@link isKubeletAtLeast} read last (an unreadable one as major +∞: the newest). */
let lastVersion: { readonly text: string; readonly major: number; readonly minor: number } = {
  text: '',
  major: Number.POSITIVE_INFINITY,
  minor: 0,
};

/**
 * The exact kubelet messages (spec §7, spec pod §4.6), checked against the 1.35 kubelet
 * (`pkg/kubelet/kuberuntime/kuberuntime_container.go`, `pkg/kubelet/lifecycle/handlers.go`,
 * `pkg/kubelet/pod_workers.go`). `created` and `started` follow `kubeletVersion` (default
 * {@link DEFAULT_KUBELET_VERSION}): since 1.35 (k/k#134043) the kubelet says `Container created` /
 * `Container started`, without the name (the event's `fieldPath` names the container); earlier
 * kubelets said `Created container: <name>` / `Started container <name>`. The other texts are the
 * same in every version the library reproduces.
 *
 * @example EventMessages.started('web') // 'Container started'
 * @example EventMessages.started('web', '1.34') // 'Started container web'
 */
export const EventMessages = Object.freeze({
  started: (container: string, kubeletVersion: string = DEFAULT_KUBELET_VERSION) =>
    isKubeletAtLeast(kubeletVersion, 1, 35) ? 'Container started' : `Started container ${container}`,
  created: (container: string, kubeletVersion: string = DEFAULT_KUBELET_VERSION) =>
    isKubeletAtLeast(kubeletVersion, 1, 35) ? 'Container created' : `Created container: ${container}`,
  stopping: (container: string) => `Stopping container ${container}`,
  failedPostStartHook: 'PostStartHook failed',
  failedPreStopHook: 'PreStopHook failed',
  httpFallback: (hostPort: string) =>
    `request to HTTPS lifecycle hook ${hostPort} got HTTP response, retry with HTTP succeeded`,
  exceededGracePeriod: 'Container runtime did not kill the pod within specified grace period.',
  /** Not the kubelet's (it only logs this): the `unfinishedPreStopEvent` policy's message. */
  unfinishedPreStopHook: (seconds: number) => `PreStop hook did not complete in ${seconds} seconds`,
});

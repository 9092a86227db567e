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

/** The exact kubelet messages (spec §7). */
export const EventMessages = Object.freeze({
  started: (container: string) => `Started container ${container}`,
  created: (container: string) => `Created container: ${container}`,
  stopping: (container: string) => `Stopping container ${container}`,
  failedPostStartHook: 'PostStartHook failed',
  failedPreStopHook: 'PreStopHook failed',
  httpFallback: (hostPort: string) =>
    `request to HTTPS lifecycle hook ${hostPort} got HTTP response, retry with HTTP succeeded`,
  exceededGracePeriod: 'Container runtime did not kill the pod within specified grace period.',
  /** Not the kubelet's (it only logs this): the `unfinishedPreStopEvent` policy's message. */
  unfinishedPreStopHook: (seconds: number) => `PreStop hook did not complete in ${seconds} seconds`,
});

/**
 * Errors of the pod worker (DESIGN §10): `waitForPod` failures and unknown pods.
 *
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import { LifecycleError } from '../errors.js';

/** Codes of {@link PodWaitError} and {@link UnknownPodError}. */
export type PodErrorCode = 'ERR_WAIT_TIMEOUT' | 'ERR_POD_TERMINAL' | 'ERR_UNKNOWN_POD';

/**
 * `waitForPod` gave up: `ERR_WAIT_TIMEOUT` when `timeoutMs` passed on the injected clock,
 * `ERR_POD_TERMINAL` when the pod became Succeeded/Failed/deleted and the condition can no longer
 * hold. `status` is the last status seen.
 */
export class PodWaitError extends LifecycleError<PodErrorCode> {
  override readonly name = 'PodWaitError';
  readonly podName: string;
  readonly condition: string;
  readonly status: PodLifecycleStatus;

  constructor(
    code: 'ERR_WAIT_TIMEOUT' | 'ERR_POD_TERMINAL',
    podName: string,
    condition: string,
    status: PodLifecycleStatus,
    detail: string,
  ) {
    super(code, `waiting for pod "${podName}" to be ${condition}: ${detail} (phase ${status.phase})`);
    this.podName = podName;
    this.condition = condition;
    this.status = status;
  }
}

/** `podStatus`/`waitForPod` of a pod that no worker runs. */
export class UnknownPodError extends LifecycleError<PodErrorCode> {
  override readonly name = 'UnknownPodError';
  readonly podName: string;

  constructor(podName: string, namespace: string) {
    super(
      'ERR_UNKNOWN_POD',
      `pod "${podName}" in namespace "${namespace}" is not run by this manager; call startPod(pod) first`,
    );
    this.podName = podName;
  }
}

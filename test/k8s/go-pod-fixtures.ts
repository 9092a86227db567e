/**
 * Fixtures for the ports of Kubernetes' own kubelet unit tests (test/k8s): the status helpers of
 * `pkg/kubelet/kubelet_pods_test.go` rebuilt in our API shape, and `getPhase`, which maps a Go
 * `PodSpec` plus a `[]v1.ContainerStatus` to {@link getPodPhase}'s input the way the kubelet reads
 * it (spec pod §5.1): a status is looked up by container name (`podutil.GetContainerStatus`), an
 * init container with `restartPolicy: Always` is a sidecar, feature gates at 1.35 defaults.
 *
 * Go source: kubernetes/kubernetes @001a80e975bb880d0fe60b304d30950fe661f278 (the spec's [KP] commit).
 */

import type { PodContainerStatus, PodPhase } from '../../src/api/pod-status.js';
import { getPodPhase, type PhaseContainer } from '../../src/pod/pod-phase.js';
import type { ContainerKind } from '../../src/pod/restart-decision.js';

export type GoRestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** The `v1.Container` fields the phase reads. */
export interface GoContainer {
  readonly name: string;
  readonly restartPolicy?: GoRestartPolicy;
}

/** The `v1.PodSpec` fields the phase reads. */
export interface GoPodSpec {
  readonly initContainers?: readonly GoContainer[];
  readonly containers?: readonly GoContainer[];
  readonly restartPolicy: GoRestartPolicy;
}

// Go's zero values: Ready false, Started nil (read as false), LastTerminationState empty.
const zero = { lastState: {}, ready: false, started: false, restartCount: 0, image: '' };

/** `waitingState(cName)`: Waiting with reason "". */
export const waitingState = (name: string): PodContainerStatus => ({ ...zero, name, state: { waiting: {} } });

/** `waitingStateWithLastTermination(cName)`: Waiting, last terminated with exit 0. */
export const waitingStateWithLastTermination = (name: string): PodContainerStatus => ({
  ...zero,
  name,
  state: { waiting: {} },
  lastState: { terminated: { exitCode: 0 } },
});

/** `waitingStateWithNonZeroTermination(cName)`: Waiting, last terminated with exit -1. */
export const waitingStateWithNonZeroTermination = (name: string): PodContainerStatus => ({
  ...zero,
  name,
  state: { waiting: {} },
  lastState: { terminated: { exitCode: -1 } },
});

/** `runningState(cName)`: Running, `Started` nil. */
export const runningState = (name: string): PodContainerStatus => ({ ...zero, name, state: { running: {} } });

/** `startedState(cName)`: Running, `Started` true. */
export const startedState = (name: string): PodContainerStatus => ({ ...runningState(name), started: true });

/** `stoppedState(cName)`: `Terminated{}` (exit 0). */
export const stoppedState = (name: string): PodContainerStatus => ({
  ...zero,
  name,
  state: { terminated: { exitCode: 0 } },
});

/** `succeededState(cName)`: Terminated with exit 0. */
export const succeededState = stoppedState;

/** `failedState(cName)`: Terminated with exit -1. */
export const failedState = (name: string): PodContainerStatus => ({
  ...zero,
  name,
  state: { terminated: { exitCode: -1 } },
});

/**
 * `getPhase(logger, pod, info, podIsTerminal, podHasInitialized)` of `kubelet_pods.go`, called
 * through our {@link getPodPhase} with `ContainerRestartRules` on (beta, default on in 1.35).
 */
export function getPhase(
  spec: GoPodSpec,
  info: readonly PodContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): PodPhase {
  const view = (c: GoContainer, kind: ContainerKind): PhaseContainer => ({
    name: c.name,
    kind,
    spec: c.restartPolicy === undefined ? {} : { restartPolicy: c.restartPolicy },
    status: info.find((s) => s.name === c.name),
  });
  const containers = [
    ...(spec.initContainers ?? []).map((c) => view(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init')),
    ...(spec.containers ?? []).map((c) => view(c, 'regular')),
  ];
  return getPodPhase({
    containers,
    podRestartPolicy: spec.restartPolicy,
    podIsTerminal,
    podHasInitialized,
    gates: { containerRestartRules: true },
  });
}

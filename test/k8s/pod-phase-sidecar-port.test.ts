/**
 * Port of Kubernetes' `getPhase` tables for restartable init containers (sidecars)
 * (`pkg/kubelet/kubelet_pods_test.go` @001a80e975bb880d0fe60b304d30950fe661f278), against
 * {@link getPodPhase} (spec pod §5.1, §3.4). Pod restart policies and regular init containers: pod-phase-port.test.ts; container-level
 * restart policies: pod-phase-restart-policy-port.test.ts.
 */

import { describe, expect, it } from 'vitest';
import type { PodContainerStatus, PodPhase } from '../../src/api/pod-status.js';
import {
  failedState,
  type GoPodSpec,
  type GoRestartPolicy,
  getPhase,
  runningState,
  startedState,
  stoppedState,
  succeededState,
  waitingState,
  waitingStateWithLastTermination,
  waitingStateWithNonZeroTermination,
} from './go-pod-fixtures.js';

/** `desiredState` of the `...RestartableInitContainers` tables: sidecar containerX, then containerA, containerB. */
const withSidecar = (restartPolicy: GoRestartPolicy): GoPodSpec => ({
  initContainers: [{ name: 'containerX', restartPolicy: 'Always' }],
  containers: [{ name: 'containerA' }, { name: 'containerB' }],
  restartPolicy,
});

type Row = [
  test: string,
  statuses: PodContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
  phase: PodPhase,
];

const a = 'containerA';
const b = 'containerB';
const x = 'containerX';
const y = 'containerY';

describe('TestPodPhaseWithRestartAlwaysRestartableInitContainers (spec pod §5.1, §3.4)', () => {
  const rows: Row[] = [
    ['empty, waiting', [], false, false, 'Pending'],
    ['restartable init container running', [runningState(x)], false, false, 'Pending'],
    ['restartable init container stopped', [stoppedState(x)], false, false, 'Pending'],
    [
      'restartable init container waiting, terminated zero',
      [waitingStateWithLastTermination(x)],
      false,
      false,
      'Pending',
    ],
    [
      'restartable init container waiting, terminated non-zero',
      [waitingStateWithNonZeroTermination(x)],
      false,
      false,
      'Pending',
    ],
    ['restartable init container waiting, not terminated', [waitingState(x)], false, false, 'Pending'],
    [
      'restartable init container started, 1/2 regular container running',
      [startedState(x), runningState(a)],
      false,
      true,
      'Pending',
    ],
    [
      'restartable init container started, all regular containers running',
      [startedState(x), runningState(a), runningState(b)],
      false,
      true,
      'Running',
    ],
    [
      'restartable init container running, all regular containers running',
      [runningState(x), runningState(a), runningState(b)],
      false,
      true,
      'Running',
    ],
    [
      'restartable init container stopped, all regular containers running',
      [stoppedState(x), runningState(a), runningState(b)],
      false,
      true,
      'Running',
    ],
    [
      'backoff crashloop restartable init container, all regular containers running',
      [waitingStateWithLastTermination(x), runningState(a), runningState(b)],
      false,
      true,
      'Running',
    ],
    [
      'all regular containers succeeded and restartable init container failed with restart always, but the pod is terminal',
      [failedState(x), succeededState(a), succeededState(b)],
      true,
      true,
      'Succeeded',
    ],
    [
      'all regular containers succeeded and restartable init container succeeded with restart always, but the pod is terminal',
      [succeededState(x), succeededState(a), succeededState(b)],
      true,
      true,
      'Succeeded',
    ],
    [
      're-initializing the pod after the sandbox is recreated',
      [runningState(x), runningState(a), runningState(b)],
      false,
      false,
      'Pending',
    ],
  ];
  it.each(rows)(
    'TestPodPhaseWithRestartAlwaysRestartableInitContainers / %s (spec pod §5.1)',
    (_test, statuses, podIsTerminal, podHasInitialized, phase) => {
      expect(getPhase(withSidecar('Always'), statuses, podIsTerminal, podHasInitialized)).toBe(phase);
    },
  );
});

describe('TestPodPhaseWithRestartAlwaysAndPodHasRun (spec pod §5.1)', () => {
  const spec: GoPodSpec = {
    initContainers: [{ name: x }, { name: y, restartPolicy: 'Always' }],
    containers: [{ name: a }],
    restartPolicy: 'Always',
  };
  const rows: Row[] = [
    [
      'regular init containers, restartable init container and regular container are all running',
      [runningState(x), runningState(y), runningState(a)],
      false,
      false,
      'Pending',
    ],
    [
      'regular containers is stopped, restartable init container and regular int container are both running',
      [runningState(x), runningState(y), stoppedState(a)],
      false,
      false,
      'Pending',
    ],
    [
      're-created sandbox: regular init container is succeeded, restartable init container is running, old regular containers is stopped',
      [succeededState(x), runningState(y), stoppedState(a)],
      false,
      false,
      'Pending',
    ],
    [
      'regular init container is succeeded, restartable init container is running, regular containers is stopped',
      [succeededState(x), runningState(y), stoppedState(a)],
      false,
      true,
      'Running',
    ],
    [
      'regular init container is succeeded, restartable init container and regular containers are both running',
      [succeededState(x), runningState(y), runningState(a)],
      false,
      true,
      'Running',
    ],
  ];
  it.each(rows)(
    'TestPodPhaseWithRestartAlwaysAndPodHasRun / %s (spec pod §5.1)',
    (_test, statuses, podIsTerminal, podHasInitialized, phase) => {
      expect(getPhase(spec, statuses, podIsTerminal, podHasInitialized)).toBe(phase);
    },
  );
});

describe('TestPodPhaseWithRestartNeverRestartableInitContainers (spec pod §5.1, §3.4)', () => {
  const rows: Row[] = [
    ['empty, waiting', [], false, false, 'Pending'],
    ['restartable init container running', [runningState(x)], false, false, 'Pending'],
    ['restartable init container stopped', [stoppedState(x)], false, false, 'Pending'],
    [
      'restartable init container waiting, terminated zero',
      [waitingStateWithLastTermination(x)],
      false,
      false,
      'Pending',
    ],
    [
      'restartable init container waiting, terminated non-zero',
      [waitingStateWithNonZeroTermination(x)],
      false,
      false,
      'Pending',
    ],
    ['restartable init container waiting, not terminated', [waitingState(x)], false, false, 'Pending'],
    [
      'restartable init container started, one main container running',
      [startedState(x), runningState(a)],
      false,
      true,
      'Pending',
    ],
    [
      'restartable init container started, main containers succeeded',
      [startedState(x), succeededState(a), succeededState(b)],
      false,
      true,
      'Running',
    ],
    [
      'restartable init container re-running, main containers succeeded',
      [runningState(x), succeededState(a), succeededState(b)],
      false,
      true,
      'Running',
    ],
    ['all containers succeeded', [succeededState(x), succeededState(a), succeededState(b)], false, true, 'Succeeded'],
    [
      'restartable init container terminated non-zero, main containers succeeded',
      [failedState(x), succeededState(a), succeededState(b)],
      false,
      true,
      'Succeeded',
    ],
    [
      'backoff crashloop restartable init container, main containers succeeded',
      [waitingStateWithLastTermination(x), succeededState(a), succeededState(b)],
      false,
      true,
      'Succeeded',
    ],
    [
      'backoff crashloop with non-zero restartable init container, main containers succeeded',
      [waitingStateWithNonZeroTermination(x), succeededState(a), succeededState(b)],
      false,
      true,
      'Succeeded',
    ],
  ];
  it.each(rows)(
    'TestPodPhaseWithRestartNeverRestartableInitContainers / %s (spec pod §5.1)',
    (_test, statuses, podIsTerminal, podHasInitialized, phase) => {
      expect(getPhase(withSidecar('Never'), statuses, podIsTerminal, podHasInitialized)).toBe(phase);
    },
  );
});

/**
 * Port of Kubernetes' `getPhase` tables for pod restart policies and regular init containers
 * (`pkg/kubelet/kubelet_pods_test.go` @001a80e975bb880d0fe60b304d30950fe661f278): every case, with
 * the same container specs, statuses, restart policy and flags, against {@link getPodPhase}
 * (spec pod §5.1). Sidecars: pod-phase-sidecar-port.test.ts; container-level restart policies:
 * pod-phase-restart-policy-port.test.ts.
 */

import { describe, expect, it } from 'vitest';
import type { PodContainerStatus, PodPhase } from '../../src/api/pod-status.js';
import {
  failedState,
  type GoPodSpec,
  type GoRestartPolicy,
  getPhase,
  runningState,
  stoppedState,
  succeededState,
  waitingState,
  waitingStateWithLastTermination,
  waitingStateWithNonZeroTermination,
} from './go-pod-fixtures.js';

/** `desiredState` of the regular-container tables: containerA, containerB. */
const twoContainers = (restartPolicy: GoRestartPolicy): GoPodSpec => ({
  containers: [{ name: 'containerA' }, { name: 'containerB' }],
  restartPolicy,
});

/** `desiredState` of the `...InitContainers` tables: init containerX, then containerA, containerB. */
const withInit = (restartPolicy: GoRestartPolicy): GoPodSpec => ({
  initContainers: [{ name: 'containerX' }],
  containers: [{ name: 'containerA' }, { name: 'containerB' }],
  restartPolicy,
});

type Row = [test: string, statuses: PodContainerStatus[], phase: PodPhase];
type TerminalRow = [test: string, statuses: PodContainerStatus[], podIsTerminal: boolean, phase: PodPhase];

const a = 'containerA';
const b = 'containerB';
const x = 'containerX';

describe('TestPodPhaseWithRestartAlways (spec pod §5.1)', () => {
  const rows: TerminalRow[] = [
    ['waiting', [], false, 'Pending'],
    ['all running', [runningState(a), runningState(b)], false, 'Running'],
    ['all stopped with restart always', [stoppedState(a), stoppedState(b)], false, 'Running'],
    [
      'all succeeded with restart always, but the pod is terminal',
      [succeededState(a), succeededState(b)],
      true,
      'Succeeded',
    ],
    ['all stopped with restart always, but the pod is terminal', [succeededState(a), failedState(b)], true, 'Failed'],
    ['mixed state #1 with restart always', [runningState(a), stoppedState(b)], false, 'Running'],
    ['mixed state #2 with restart always', [runningState(a)], false, 'Pending'],
    ['mixed state #3 with restart always', [runningState(a), waitingState(b)], false, 'Pending'],
    [
      'backoff crashloop container with restart always',
      [runningState(a), waitingStateWithLastTermination(b)],
      false,
      'Running',
    ],
  ];
  it.each(rows)('TestPodPhaseWithRestartAlways / %s (spec pod §5.1)', (_test, statuses, podIsTerminal, phase) => {
    expect(getPhase(twoContainers('Always'), statuses, podIsTerminal, false)).toBe(phase);
  });
});

describe('TestPodPhaseWithRestartAlwaysInitContainers (spec pod §5.1)', () => {
  const rows: Row[] = [
    ['empty, waiting', [], 'Pending'],
    ['init container running', [runningState(x)], 'Pending'],
    ['init container terminated non-zero', [failedState(x)], 'Pending'],
    ['init container waiting, terminated zero', [waitingStateWithLastTermination(x)], 'Pending'],
    ['init container waiting, terminated non-zero', [waitingStateWithNonZeroTermination(x)], 'Pending'],
    ['init container waiting, not terminated', [waitingState(x)], 'Pending'],
    ['init container succeeded', [succeededState(x), runningState(a), runningState(b)], 'Running'],
  ];
  it.each(rows)('TestPodPhaseWithRestartAlwaysInitContainers / %s (spec pod §5.1)', (_test, statuses, phase) => {
    expect(getPhase(withInit('Always'), statuses, false, false)).toBe(phase);
  });
});

describe('TestPodPhaseWithRestartNever (spec pod §5.1)', () => {
  const rows: Row[] = [
    ['waiting', [], 'Pending'],
    ['all running with restart never', [runningState(a), runningState(b)], 'Running'],
    ['all succeeded with restart never', [succeededState(a), succeededState(b)], 'Succeeded'],
    ['all failed with restart never', [failedState(a), failedState(b)], 'Failed'],
    ['mixed state #1 with restart never', [runningState(a), succeededState(b)], 'Running'],
    ['mixed state #2 with restart never', [runningState(a)], 'Pending'],
    ['mixed state #3 with restart never', [runningState(a), waitingState(b)], 'Pending'],
  ];
  it.each(rows)('TestPodPhaseWithRestartNever / %s (spec pod §5.1)', (_test, statuses, phase) => {
    expect(getPhase(twoContainers('Never'), statuses, false, false)).toBe(phase);
  });
});

describe('TestPodPhaseWithRestartNeverInitContainers (spec pod §5.1)', () => {
  const rows: Row[] = [
    ['empty, waiting', [], 'Pending'],
    ['init container running', [runningState(x)], 'Pending'],
    ['init container terminated non-zero', [failedState(x)], 'Failed'],
    ['init container waiting, terminated zero', [waitingStateWithLastTermination(x)], 'Pending'],
    ['init container waiting, terminated non-zero', [waitingStateWithNonZeroTermination(x)], 'Failed'],
    ['init container waiting, not terminated', [waitingState(x)], 'Pending'],
    ['init container succeeded', [succeededState(x), runningState(a), runningState(b)], 'Running'],
  ];
  it.each(rows)('TestPodPhaseWithRestartNeverInitContainers / %s (spec pod §5.1)', (_test, statuses, phase) => {
    expect(getPhase(withInit('Never'), statuses, false, false)).toBe(phase);
  });
});

describe('TestPodPhaseWithRestartOnFailure (spec pod §5.1)', () => {
  const rows: Row[] = [
    ['waiting', [], 'Pending'],
    ['all running with restart onfailure', [runningState(a), runningState(b)], 'Running'],
    ['all succeeded with restart onfailure', [succeededState(a), succeededState(b)], 'Succeeded'],
    // The Go case name says "never"; the table's policy is OnFailure.
    ['all failed with restart never', [failedState(a), failedState(b)], 'Running'],
    ['mixed state #1 with restart onfailure', [runningState(a), succeededState(b)], 'Running'],
    ['mixed state #2 with restart onfailure', [runningState(a)], 'Pending'],
    ['mixed state #3 with restart onfailure', [runningState(a), waitingState(b)], 'Pending'],
    [
      'backoff crashloop container with restart onfailure',
      [runningState(a), waitingStateWithLastTermination(b)],
      'Running',
    ],
  ];
  it.each(rows)('TestPodPhaseWithRestartOnFailure / %s (spec pod §5.1)', (_test, statuses, phase) => {
    expect(getPhase(twoContainers('OnFailure'), statuses, false, false)).toBe(phase);
  });
});

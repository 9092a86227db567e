/**
 * Port of Kubernetes' `getPhase` tables for container-level restart policies
 * (`ContainerRestartRules`, beta and on by default in 1.35; `pkg/kubelet/kubelet_pods_test.go`
 * @001a80e975bb880d0fe60b304d30950fe661f278), against {@link getPodPhase} (spec pod §5.1, §3.1).
 */

import { describe, expect, it } from 'vitest';
import type { PodContainerStatus, PodPhase } from '../../src/api/pod-status.js';
import { failedState, type GoPodSpec, type GoRestartPolicy, getPhase, succeededState } from './go-pod-fixtures.js';

const a = 'containerA';
const b = 'containerB';

type PolicyRow = [test: string, spec: GoPodSpec, statuses: PodContainerStatus[], phase: PodPhase];

// ContainerRestartRules is beta and on by default in 1.35 (spec pod §1.2); the Go tables pass podHasInitialized = true.
describe('TestPodPhaseWithContainerRestartPolicy (spec pod §5.1, §3.1)', () => {
  const f = 'failed-container';
  const rows: PolicyRow[] = [
    [
      'container with restart policy Never failed',
      { containers: [{ name: f, restartPolicy: 'Never' }], restartPolicy: 'Always' },
      [failedState(f)],
      'Failed',
    ],
    [
      'container with restart policy OnFailure failed',
      { containers: [{ name: f, restartPolicy: 'OnFailure' }], restartPolicy: 'Always' },
      [failedState(f)],
      'Running',
    ],
    [
      'container with restart policy Always failed',
      { containers: [{ name: f, restartPolicy: 'Always' }], restartPolicy: 'Always' },
      [failedState(f)],
      'Running',
    ],
    [
      'At least one container with restartable container-level restart policy failed',
      { containers: [{ name: a, restartPolicy: 'Always' }, { name: b }], restartPolicy: 'Never' },
      [succeededState(a), failedState(b)],
      'Running',
    ],
    [
      'All containers without restartable container-level restart policy failed',
      {
        containers: [
          { name: a, restartPolicy: 'Never' },
          { name: b, restartPolicy: 'OnFailure' },
        ],
        restartPolicy: 'Always',
      },
      [failedState(a), succeededState(b)],
      'Failed',
    ],
    [
      'All containers succeeded',
      {
        containers: [
          { name: a, restartPolicy: 'Never' },
          { name: b, restartPolicy: 'OnFailure' },
        ],
        restartPolicy: 'Always',
      },
      [succeededState(a), succeededState(b)],
      'Succeeded',
    ],
  ];
  it.each(rows)('TestPodPhaseWithContainerRestartPolicy / %s (spec pod §5.1, §3.1)', (_test, spec, statuses, phase) => {
    expect(getPhase(spec, statuses, false, true)).toBe(phase);
  });
});

describe('TestPodPhaseWithContainerRestartPolicyInitContainers (spec pod §5.1, §3.1)', () => {
  const f = 'failed-container';
  const init = (restartPolicy: GoRestartPolicy, pod: GoRestartPolicy): GoPodSpec => ({
    initContainers: [{ name: f, restartPolicy }],
    containers: [{ name: 'container' }],
    restartPolicy: pod,
  });
  const rows: PolicyRow[] = [
    ['init container with restart policy Never failed', init('Never', 'Always'), [failedState(f)], 'Failed'],
    ['init container with restart policy OnFailure failed', init('OnFailure', 'Never'), [failedState(f)], 'Pending'],
    // restartPolicy Always on an init container makes it a sidecar (spec pod §1.1).
    ['container with restart policy Always failed', init('Always', 'Never'), [failedState(f)], 'Pending'],
  ];
  it.each(rows)(
    'TestPodPhaseWithContainerRestartPolicyInitContainers / %s (spec pod §5.1, §3.1)',
    (_test, spec, statuses, phase) => {
      expect(getPhase(spec, statuses, false, true)).toBe(phase);
    },
  );
});

describe('TestPodPhaseWithRestartAllContainers (spec pod §1.2)', () => {
  it.skip('TestPodPhaseWithRestartAllContainers / all 15 cases: gate RestartAllContainersOnContainerExits is alpha, off in 1.35 (spec pod §1.2)', () => {});
});

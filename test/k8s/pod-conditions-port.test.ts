/**
 * Port of Kubernetes' condition tests (`pkg/kubelet/status/generate_test.go`, the 1.35-era copy:
 * it has `TestGenerateAllContainersRestartingCondition` (1.35) and no `PodSandboxNotReady` reason
 * yet) against {@link generatePodConditions} (spec pod §5.2). The Go tables have no case names:
 * each `it` names the Go test and the case's index in its table.
 *
 * Mapping: a Go `PodSpec` + `[]v1.ContainerStatus` become our `containers` (init containers first,
 * `restartPolicy: Always` ⇒ sidecar), each with the status of its name or none; the Go tests
 * compare Type/Status/Reason/Message (Ready, ContainersReady), Type/Status/Reason (Initialized),
 * Type/Status (PodReadyToStartContainers), and so do these.
 */

import { describe, expect, it } from 'vitest';
import type { PodCondition, PodConditionType, PodContainerStatus, PodPhase } from '../../src/api/pod-status.js';
import { generatePodConditions } from '../../src/pod/pod-conditions.js';
import { type GoContainer, runningState, stoppedState, waitingState } from './go-pod-fixtures.js';

interface Spec {
  readonly initContainers?: readonly GoContainer[];
  readonly containers?: readonly GoContainer[];
}

const zero = { lastState: {}, ready: false, started: false, restartCount: 0, image: '', state: {} };
/** `getReadyStatus` / `getNotReadyStatus`: only Name and Ready set (no state). */
const getReadyStatus = (name: string): PodContainerStatus => ({ ...zero, name, ready: true });
const getNotReadyStatus = (name: string): PodContainerStatus => ({ ...zero, name, ready: false });
/** `getStartedStatus` / `getNotStartedStatus`: only Name and Started set. */
const getStartedStatus = (name: string): PodContainerStatus => ({ ...zero, name, started: true });
const getNotStartedStatus = (name: string): PodContainerStatus => ({ ...zero, name, started: false });

function generate(spec: Spec, statuses: readonly PodContainerStatus[], phase: PodPhase, sandboxReady = true) {
  const view = (c: GoContainer, kind: 'init' | 'sidecar' | 'regular') => ({
    name: c.name,
    kind,
    status: statuses.find((s) => s.name === c.name),
  });
  const containers = [
    ...(spec.initContainers ?? []).map((c) => view(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init')),
    ...(spec.containers ?? []).map((c) => view(c, 'regular')),
  ];
  return generatePodConditions({ containers, phase, sandboxReady, previous: [], now: 0 });
}

/** The condition of `type` as Go's `v1.PodCondition{Type, Status, Reason, Message}` ("" for unset). */
function pick(list: readonly PodCondition[], type: PodConditionType) {
  const c = list.find((item) => item.type === type);
  return c && { type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' };
}
/** `getPodCondition(type, status, reason, message)`. */
const cond = (type: PodConditionType, status: 'True' | 'False', reason = '', message = '') => ({
  type,
  status,
  reason,
  message,
});

const sidecar = (name: string): GoContainer => ({ name, restartPolicy: 'Always' });
const two = { containers: [{ name: '1234' }, { name: '5678' }] };
const one = { containers: [{ name: '1234' }] };
const unknown5678 = 'containers with unknown status: [5678]';
const unready5678 = 'containers with unready status: [5678]';

type Row = [
  index: number,
  spec: Spec,
  statuses: PodContainerStatus[],
  phase: PodPhase,
  status: 'True' | 'False',
  reason: string,
  message: string,
];

const readyRows: Row[] = [
  [1, {}, [], 'Running', 'True', '', ''],
  [2, one, [], 'Running', 'False', 'ContainersNotReady', 'containers with unknown status: [1234]'],
  [3, two, [getReadyStatus('1234'), getReadyStatus('5678')], 'Running', 'True', '', ''],
  [4, two, [getReadyStatus('1234')], 'Running', 'False', 'ContainersNotReady', unknown5678],
  [5, two, [getReadyStatus('1234'), getNotReadyStatus('5678')], 'Running', 'False', 'ContainersNotReady', unready5678],
  [6, one, [getNotReadyStatus('1234')], 'Succeeded', 'False', 'PodCompleted', ''],
];

describe('TestGenerateContainersReadyCondition (spec pod §5.2)', () => {
  const s1 = sidecar('restartable-init-1');
  const s2 = sidecar('restartable-init-2');
  const r1 = { name: 'regular-1' };
  const rows: Row[] = [
    ...readyRows,
    [
      7,
      { initContainers: [s1], containers: [r1] },
      [getReadyStatus('regular-1')],
      'Running',
      'False',
      'ContainersNotReady',
      'containers with unknown status: [restartable-init-1]',
    ],
    [
      8,
      { initContainers: [s1, s2], containers: [r1] },
      [getReadyStatus(s1.name), getReadyStatus(s2.name), getReadyStatus('regular-1')],
      'Running',
      'True',
      '',
      '',
    ],
    [
      9,
      { initContainers: [s1, s2], containers: [r1] },
      [getReadyStatus(s1.name), getReadyStatus('regular-1')],
      'Running',
      'False',
      'ContainersNotReady',
      'containers with unknown status: [restartable-init-2]',
    ],
    [
      10,
      { initContainers: [s1, s2], containers: [r1] },
      [getReadyStatus(s1.name), getNotReadyStatus(s2.name), getReadyStatus('regular-1')],
      'Running',
      'False',
      'ContainersNotReady',
      'containers with unready status: [restartable-init-2]',
    ],
  ];
  it.each(rows)(
    'TestGenerateContainersReadyCondition / case %i (spec pod §5.2)',
    (_i, spec, statuses, phase, status, reason, message) => {
      expect(pick(generate(spec, statuses, phase), 'ContainersReady')).toEqual(
        cond('ContainersReady', status, reason, message),
      );
    },
  );
  it.skip('TestGenerateContainersReadyCondition / case 0: containerStatuses nil is not expressible (spec pod §5.2)', () => {});
});

describe('TestGeneratePodReadyCondition (spec pod §5.2)', () => {
  const rows: Row[] = [
    ...readyRows,
    // Cases 9, 12, 13 have readinessGates whose conditions are all "True": we take no gates, the outcome is the same.
    [9, {}, [], 'Running', 'True', '', ''],
    [12, {}, [], 'Running', 'True', '', ''],
    [
      13,
      one,
      [getNotReadyStatus('1234')],
      'Running',
      'False',
      'ContainersNotReady',
      'containers with unready status: [1234]',
    ],
  ];
  it.each(rows)(
    'TestGeneratePodReadyCondition / case %i (spec pod §5.2)',
    (_i, spec, statuses, phase, status, reason, message) => {
      expect(pick(generate(spec, statuses, phase), 'Ready')).toEqual(cond('Ready', status, reason, message));
    },
  );
  it.skip('TestGeneratePodReadyCondition / case 0: containerStatuses nil is not expressible (spec pod §5.2)', () => {});
  it.skip('TestGeneratePodReadyCondition / cases 7, 8, 10, 11: readinessGates not supported, we return Ready True (spec pod §5.2)', () => {});
});

describe('TestGeneratePodInitializedCondition (spec pod §5.2)', () => {
  const oneInit = { initContainers: [{ name: '1234' }], containers: [{ name: 'regular' }] };
  const twoInit = { initContainers: [{ name: '1234' }, { name: '5678' }], containers: [{ name: 'regular' }] };
  const oneSidecar = { initContainers: [sidecar('1234')], containers: [{ name: 'regular' }] };
  type InitRow = [
    index: number,
    spec: Spec,
    statuses: PodContainerStatus[],
    phase: PodPhase,
    status: 'True' | 'False',
    reason: string,
  ];
  const rows: InitRow[] = [
    [1, {}, [], 'Running', 'True', ''],
    [2, oneInit, [], 'Running', 'False', 'ContainersNotInitialized'],
    [3, twoInit, [getReadyStatus('1234'), getReadyStatus('5678')], 'Running', 'True', ''],
    [4, twoInit, [getReadyStatus('1234')], 'Running', 'False', 'ContainersNotInitialized'],
    [5, twoInit, [getReadyStatus('1234'), getNotReadyStatus('5678')], 'Running', 'False', 'ContainersNotInitialized'],
    [6, oneInit, [getReadyStatus('1234')], 'Succeeded', 'True', 'PodCompleted'],
    [7, oneSidecar, [getNotStartedStatus('1234')], 'Pending', 'False', 'ContainersNotInitialized'],
    [8, oneSidecar, [getStartedStatus('1234')], 'Running', 'True', ''],
    [9, oneSidecar, [getNotStartedStatus('1234'), runningState('regular')], 'Running', 'True', ''],
    [10, oneInit, [waitingState('1234'), stoppedState('regular')], 'Running', 'True', ''],
  ];
  it.each(rows)(
    'TestGeneratePodInitializedCondition / case %i (spec pod §5.2)',
    (_i, spec, statuses, phase, status, reason) => {
      const c = pick(generate(spec, statuses, phase), 'Initialized');
      expect(c && { type: c.type, status: c.status, reason: c.reason }).toEqual({
        type: 'Initialized',
        status,
        reason,
      });
    },
  );
  it.skip('TestGeneratePodInitializedCondition / case 0: containerStatuses nil is not expressible (spec pod §5.2)', () => {});
});

describe('TestGeneratePodReadyToStartContainersCondition (spec pod §5.2)', () => {
  // Our input is the outcome of the kubelet's PodSandboxChanged: "a sandbox with network exists".
  const rows: [desc: string, sandboxReady: boolean, status: 'True' | 'False'][] = [
    ['Empty pod status', false, 'False'],
    ['Pod sandbox status not ready', false, 'False'],
    ['Pod sandbox status ready but no IP configured', false, 'False'],
    ['Pod sandbox status ready and IP configured', true, 'True'],
  ];
  it.each(rows)(
    'TestGeneratePodReadyToStartContainersCondition / %s (spec pod §5.2)',
    (_desc, sandboxReady, status) => {
      const c = pick(generate({}, [], 'Pending', sandboxReady), 'PodReadyToStartContainers');
      expect(c && { type: c.type, status: c.status }).toEqual({ type: 'PodReadyToStartContainers', status });
    },
  );
});

// Conditions only, from two cases of kubelet_pods_test.go Test_generateAPIPodStatus (@001a80e975…):
// containerA/B (no init containers), each `ready(waitingWithLastTerminationUnknown(name, n))`.
describe('Test_generateAPIPodStatus, conditions only (spec pod §5.2)', () => {
  const spec = { containers: [{ name: 'containerA' }, { name: 'containerB' }] };
  const lost = (name: string): PodContainerStatus => ({
    ...waitingState(name),
    lastState: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' } },
    ready: true,
  });
  const statuses = [lost('containerA'), lost('containerB')];
  it('Test_generateAPIPodStatus / pod disruption condition is copied over and the phase is set to failed when deleted (spec pod §5.2)', () => {
    const list = generate(spec, statuses, 'Failed');
    expect([pick(list, 'Initialized'), pick(list, 'Ready'), pick(list, 'ContainersReady')]).toEqual([
      cond('Initialized', 'True'),
      cond('Ready', 'False', 'PodFailed'),
      cond('ContainersReady', 'False', 'PodFailed'),
    ]);
  });
  it('Test_generateAPIPodStatus / terminal phase cannot be changed (apiserver previous is succeeded): Ready, ContainersReady (spec pod §5.2)', () => {
    const list = generate(spec, statuses, 'Succeeded');
    expect([pick(list, 'Ready'), pick(list, 'ContainersReady')]).toEqual([
      cond('Ready', 'False', 'PodCompleted'),
      cond('ContainersReady', 'False', 'PodCompleted'),
    ]);
  });
  it('Test_generateAPIPodStatus / terminal phase cannot be changed (apiserver previous is succeeded): Initialized True/PodCompleted without init containers (spec pod §5.2)', () => {
    expect(pick(generate(spec, statuses, 'Succeeded'), 'Initialized')).toEqual(
      cond('Initialized', 'True', 'PodCompleted'),
    );
  });
});

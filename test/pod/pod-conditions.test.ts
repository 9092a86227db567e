import { describe, expect, it } from 'vitest';
import type { PodContainerStatus } from '../../src/api/pod-status.js';
import { generatePodConditions, isContainerReady, isContainerStarted } from '../../src/pod/pod-conditions.js';

const base = { lastState: {}, ready: false, started: false, restartCount: 0, image: 'img' };
const st = (name: string, over: Partial<PodContainerStatus>): PodContainerStatus => ({
  ...base,
  name,
  state: {},
  ...over,
});

describe('generatePodConditions (spec pod §5.2)', () => {
  it('initialising: Initialized False with the incomplete list, ContainersReady/Ready False with the unready list', () => {
    const conditions = generatePodConditions({
      containers: [
        { name: 'i1', kind: 'init', status: st('i1', { state: { running: {} } }) },
        { name: 'side', kind: 'sidecar', status: st('side', { state: { waiting: {} } }) },
        { name: 'a', kind: 'regular', status: st('a', { state: { waiting: { reason: 'PodInitializing' } } }) },
      ],
      phase: 'Pending',
      sandboxReady: true,
      previous: [],
      now: 5_000,
    });
    expect(conditions).toEqual([
      {
        type: 'PodReadyToStartContainers',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '1970-01-01T00:00:05Z',
      },
      {
        type: 'Initialized',
        status: 'False',
        reason: 'ContainersNotInitialized',
        message: 'containers with incomplete status: [i1 side]',
        lastProbeTime: null,
        lastTransitionTime: '1970-01-01T00:00:05Z',
      },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [side a]',
        lastProbeTime: null,
        lastTransitionTime: '1970-01-01T00:00:05Z',
      },
      {
        type: 'ContainersReady',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [side a]',
        lastProbeTime: null,
        lastTransitionTime: '1970-01-01T00:00:05Z',
      },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '1970-01-01T00:00:05Z' },
    ]);
  });

  it('lastTransitionTime moves only when status flips, not on a reason change (spec pod §5.2 [SM])', () => {
    const ready = st('a', { state: { running: {} }, started: true, ready: true });
    const first = generatePodConditions({
      containers: [{ name: 'a', kind: 'regular', status: ready }],
      phase: 'Running',
      sandboxReady: true,
      previous: [],
      now: 1_000,
    });
    const second = generatePodConditions({
      containers: [{ name: 'a', kind: 'regular', status: { ...ready, ready: false } }],
      phase: 'Running',
      sandboxReady: true,
      previous: first,
      now: 9_000,
    });
    const third = generatePodConditions({
      containers: [{ name: 'a', kind: 'regular', status: { ...ready, ready: false } }],
      phase: 'Failed',
      sandboxReady: true,
      previous: second,
      now: 20_000,
    });
    const byType = (list: typeof first, t: string) => list.find((c) => c.type === t);
    expect(byType(first, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: '1970-01-01T00:00:01Z' });
    expect(byType(second, 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: '1970-01-01T00:00:09Z' });
    expect(byType(third, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodFailed',
      lastTransitionTime: '1970-01-01T00:00:09Z',
    });
    expect(byType(third, 'Initialized')?.lastTransitionTime).toBe('1970-01-01T00:00:01Z');
  });

  it('Succeeded: Initialized True/PodCompleted, ContainersReady False/PodCompleted', () => {
    const conditions = generatePodConditions({
      containers: [
        { name: 'i', kind: 'init', status: st('i', { state: { terminated: { exitCode: 0 } }, ready: true }) },
        { name: 'a', kind: 'regular', status: st('a', { state: { terminated: { exitCode: 0 } } }) },
      ],
      phase: 'Succeeded',
      sandboxReady: false,
      previous: [],
      now: 0,
    });
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['PodReadyToStartContainers', 'False', undefined],
      ['Initialized', 'True', 'PodCompleted'],
      ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['PodScheduled', 'True', undefined],
    ]);
  });

  it('Initialized stays True once a regular container has started, even if a sidecar restarts', () => {
    const conditions = generatePodConditions({
      containers: [
        { name: 's', kind: 'sidecar', status: st('s', { state: { waiting: { reason: 'CrashLoopBackOff' } } }) },
        { name: 'a', kind: 'regular', status: st('a', { state: { running: {} }, started: true, ready: true }) },
      ],
      phase: 'Running',
      sandboxReady: true,
      previous: [],
      now: 0,
    });
    expect(conditions[1]).toMatchObject({ type: 'Initialized', status: 'True' });
    expect(conditions[3]).toMatchObject({ message: 'containers with unready status: [s]' });
  });
});

describe('ready and started (spec pod §5.3)', () => {
  it('init: ready once exited 0; regular: started, running, readiness not failing', () => {
    expect(
      isContainerReady({
        kind: 'init',
        status: { state: { terminated: { exitCode: 0 } }, started: false },
        readiness: undefined,
      }),
    ).toBe(true);
    expect(
      isContainerReady({
        kind: 'init',
        status: { state: { terminated: { exitCode: 1 } }, started: false },
        readiness: undefined,
      }),
    ).toBe(false);
    expect(
      isContainerReady({ kind: 'regular', status: { state: { running: {} }, started: true }, readiness: undefined }),
    ).toBe(true);
    expect(
      isContainerReady({ kind: 'regular', status: { state: { running: {} }, started: true }, readiness: false }),
    ).toBe(false);
    expect(
      isContainerReady({ kind: 'sidecar', status: { state: { running: {} }, started: false }, readiness: true }),
    ).toBe(false);
    expect(isContainerStarted({ running: true, startup: undefined })).toBe(true);
    expect(isContainerStarted({ running: true, startup: false })).toBe(false);
    expect(isContainerStarted({ running: false, startup: true })).toBe(false);
  });
});

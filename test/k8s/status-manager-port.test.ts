/**
 * Port of the status-manager tests that pin what a running pod reports (spec pod §5.2 transition
 * times, DESIGN §10 `startTime`), from `pkg/kubelet/status/status_manager_test.go` (stored copy
 * a9ebebfbd11727984c33fcf4718060e1ecdab103; the code it pins, `updateStatusInternal`,
 * `updateLastTransitionTime` and `TerminatePod`, read in `status_manager.go`
 * @fde2d3c4ab1166054b1281a581f6416f2ce40f93). `TerminatePod` is called at the end of
 * `SyncTerminatedPod` (`kubelet.go`, read in the ≈1.32 copy the spec cites as [KL] id 12114237)
 * for every pod that terminates, deleted or completed.
 *
 * Mapping. Go calls `SetPodStatus` with hand-made statuses and reads the cache back; here the pod
 * runs through LifecycleManager with FakeRuntime on a VirtualClock and `podStatus` is read.
 * Go's `IsZero()` (the zero `time.Time`) has no counterpart: a VirtualClock starts at the epoch,
 * so "set" means equal to the clock instant of the change, in whole seconds (`Rfc3339Copy`).
 * API-sync cases (patches, mirror pods, versions, message truncation) are not ported.
 */
import { describe, expect, it } from 'vitest';
import type { PodCondition, PodConditionType, PodLifecycleStatus } from '../../src/api/pod-status.js';
import type { Container, Pod } from '../../src/api/types.js';
import { podHarness, podOf } from '../manager/pod-harness.js';

const c = (name: string): Container => ({ name, image: 'busybox' });
const at = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const cond = (s: PodLifecycleStatus, type: PodConditionType) =>
  s.conditions.find((x) => x.type === type) as PodCondition;

describe('status_manager_test.go: startTime (updateStatusInternal)', () => {
  it('TestNewStatus: the first status carries a start time (the instant the pod was taken)', async () => {
    const h = podHarness();
    await h.clock.advance(7_300);
    const pod = podOf([c('app')]);
    const status = await h.manager.startPod(pod);
    expect(status.startTime).toBe(at(7));
  });

  it('TestChangedStatusKeepsStartTime: later statuses keep it (whole seconds, Rfc3339Copy)', async () => {
    const h = podHarness();
    await h.clock.advance(1_999);
    const pod = podOf([c('app')]);
    const seen: Array<string | undefined> = [];
    h.manager.on('podStatus', (_p, s) => seen.push(s.startTime));
    await h.manager.startPod(pod);
    await h.clock.advance(5_000);
    h.runtime.crash('app', { exitCode: 1 });
    await h.clock.advance(30_000);
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen)).toEqual(new Set([at(1)]));
  });

  it.skip('TestNewStatusPreservesPodStartTime: a pod handed in with status.startTime keeps it — diverges: the input startTime is ignored (report)', async () => {
    const h = podHarness();
    await h.clock.advance(60_000);
    const pod = { ...podOf([c('app')]), status: { startTime: at(0) } } as unknown as Pod;
    expect((await h.manager.startPod(pod)).startTime).toBe(at(0)); // we report at(60)
  });
});

describe('status_manager_test.go: condition lastTransitionTime (updateLastTransitionTime, spec pod §5.2)', () => {
  it('TestNewStatusSetsReadyTransitionTime: the first Ready condition has a transition time', async () => {
    const h = podHarness();
    await h.clock.advance(3_000);
    const status = await h.manager.startPod(podOf([c('app')]));
    expect(cond(status, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: at(3) });
    for (const x of status.conditions) expect(x.lastTransitionTime).toBe(at(3));
  });

  it('TestChangedStatusUpdatesLastTransitionTime: Ready True → False moves the time forward', async () => {
    const h = podHarness();
    const pod = podOf([c('app')], { restartPolicy: 'Never' });
    const before = cond(await h.manager.startPod(pod), 'Ready');
    await h.clock.advance(5_500);
    h.runtime.crash('app', { exitCode: 0 });
    await h.clock.advance(10);
    const after = cond(h.manager.podStatus(pod), 'Ready');
    expect(before).toMatchObject({ status: 'True', lastTransitionTime: at(0) });
    expect(after).toMatchObject({ status: 'False', lastTransitionTime: at(5) });
  });

  it('TestUnchangedStatusPreservesLastTransitionTime: an unchanged condition keeps its time', async () => {
    const h = podHarness();
    const pod = podOf([c('app')]);
    const first = await h.manager.startPod(pod);
    await h.clock.advance(60_000);
    h.runtime.crash('app', { exitCode: 1 }); // restarted at once: Ready False then True again
    await h.clock.advance(10);
    const later = h.manager.podStatus(pod);
    for (const type of ['PodReadyToStartContainers', 'Initialized'] as const)
      expect(cond(later, type).lastTransitionTime).toBe(cond(first, type).lastTransitionTime);
    expect(cond(later, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: at(60) });
  });

  it('updateLastTransitionTime compares Status only: a reason/message change keeps the time', async () => {
    const h = podHarness();
    const pod = podOf([c('a'), c('b')], { restartPolicy: 'Never' });
    await h.manager.startPod(pod);
    await h.clock.advance(5_500);
    h.runtime.crash('a', { exitCode: 0 });
    await h.clock.advance(3_000);
    const notReady = cond(h.manager.podStatus(pod), 'ContainersReady');
    expect(notReady).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a]',
      lastTransitionTime: at(5),
    });
    h.runtime.crash('b', { exitCode: 0 });
    await h.clock.advance(1_000);
    const done = h.manager.podStatus(pod);
    expect(done.phase).toBe('Succeeded');
    expect(cond(done, 'ContainersReady')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
      lastTransitionTime: at(5),
    });
    expect(cond(done, 'ContainersReady').message).toBeUndefined();
    expect(cond(done, 'Initialized')).toMatchObject({
      status: 'True',
      reason: 'PodCompleted',
      lastTransitionTime: at(0),
    });
  });

  it('TestStatusNormalizeTimeStamp: container startedAt/finishedAt are RFC 3339 in whole seconds', async () => {
    const h = podHarness();
    const pod = podOf([c('app')], { restartPolicy: 'Never' });
    await h.clock.advance(1_999);
    await h.manager.startPod(pod);
    await h.clock.advance(3_000);
    h.runtime.crash('app', { exitCode: 0 });
    await h.clock.advance(10);
    expect(h.manager.podStatus(pod).containerStatuses[0]?.state.terminated).toMatchObject({
      startedAt: at(1),
      finishedAt: at(4),
    });
  });
});

/** The state TerminatePod writes for a container it cannot find: ContainerStatusUnknown. */
const UNKNOWN = {
  terminated: {
    exitCode: 137,
    reason: 'ContainerStatusUnknown',
    message: 'The container could not be located when the pod was terminated',
  },
};

describe('status_manager_test.go: TerminatePod at the end of a deleted pod (spec pod §5.1 "Deleted pods")', () => {
  it('TestTerminatePod_EnsurePodPhaseIsTerminal "Succeeded pod" / "Failed pod": a terminal phase is kept through the delete', async () => {
    const h = podHarness();
    const ok = podOf([c('app')], { name: 'ok', restartPolicy: 'Never' });
    const bad = podOf([c('app')], { name: 'bad', restartPolicy: 'Never' });
    await h.manager.startPod(ok);
    await h.manager.startPod(bad);
    h.runtime.crash('ok/app', { exitCode: 0 });
    h.runtime.crash('bad/app', { exitCode: 2 });
    await h.clock.advance(10);
    await h.manager.deletePod(ok);
    await h.manager.deletePod(bad);
    expect([h.manager.podStatus(ok).phase, h.manager.podStatus(bad).phase]).toEqual(['Succeeded', 'Failed']);
    expect(h.manager.podStatus(bad).containerStatuses[0]?.state.terminated?.exitCode).toBe(2);
  });

  it('TestTerminatePod_EnsurePodPhaseIsTerminal "Running pod": a deleted running pod ends Failed, its killed containers Terminated', async () => {
    const h = podHarness();
    const pod = podOf([c('a'), c('b')]);
    await h.manager.startPod(pod);
    const deleted = h.manager.deletePod(pod, { gracePeriodSeconds: 5 });
    await h.clock.advance(5_000);
    await deleted;
    const s = h.manager.podStatus(pod);
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses.map((x) => x.state.terminated?.exitCode)).toEqual([143, 143]);
  });

  it('TestTerminatePod_EnsurePodPhaseIsTerminal "Pending pod" → Failed: a pod deleted while its init container runs (spec pod §5.1)', async () => {
    const h = podHarness();
    const pod = podOf([c('app')], { initContainers: [c('init')] });
    void h.manager.startPod(pod);
    await h.clock.advance(1_000);
    const deleted = h.manager.deletePod(pod, { gracePeriodSeconds: 5 });
    await h.clock.advance(5_000);
    await deleted;
    const s = h.manager.podStatus(pod);
    expect(s.phase).toBe('Failed');
    // uninitialized: the regular container is left Waiting (TestTerminatePod_DefaultUnknownStatus)
    expect(s.containerStatuses[0]?.state.waiting?.reason).toBe('PodInitializing');
  });

  it('TestTerminatePod_DefaultUnknownStatus "no previous state" / TestTerminatePodWaiting: a Waiting container of a deleted, initialized pod becomes ContainerStatusUnknown (spec pod §5.1)', async () => {
    const h = podHarness();
    h.runtime.onStart('b', { reject: new Error('no such image') });
    const pod = podOf([c('a'), c('b')]);
    void h.manager.startPod(pod);
    await h.clock.advance(1_000);
    expect(h.manager.podStatus(pod).containerStatuses[1]?.state.waiting?.reason).toBe('RunContainerError');
    const deleted = h.manager.deletePod(pod, { gracePeriodSeconds: 5 });
    await h.clock.advance(5_000);
    await deleted;
    const s = h.manager.podStatus(pod);
    expect(s.containerStatuses[1]?.state).toEqual(UNKNOWN);
    expect(s.phase).toBe('Failed');
  });

  it('TestTerminatePod_DefaultUnknownStatus "uninitialized pod defaults the first init container" (spec pod §5.1)', async () => {
    const h = podHarness();
    h.runtime.onStart('init-0', { reject: new Error('no such image') });
    const pod = podOf([c('app')], { initContainers: [c('init-0'), c('init-1')] });
    void h.manager.startPod(pod);
    await h.clock.advance(1_000);
    await h.manager.deletePod(pod);
    const s = h.manager.podStatus(pod);
    expect(s.initContainerStatuses.map((x) => x.state)).toEqual([UNKNOWN, { waiting: { reason: 'PodInitializing' } }]);
    expect(s.containerStatuses[0]?.state.waiting).toBeDefined();
    expect(s.phase).toBe('Failed');
  });
});

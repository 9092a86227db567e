/**
 * Port of Kubernetes' container-status conversion tests (spec pod §4.4, §5.1 post-processing):
 * - `pkg/kubelet/kubelet_pods_test.go` @001a80e975bb880d0fe60b304d30950fe661f278 (the spec's [KP]
 *   commit): `TestConvertToAPIContainerStatuses` and the status parts of `Test_generateAPIPodStatus`;
 * - `pkg/kubelet/kubelet_test.go` @16abcd78bd493c2694754e46f9227fef7976ed91 (the stored copy,
 *   ≈1.32–1.33): `TestGenerateAPIPodStatusWithReasonCache`,
 *   `TestGenerateAPIPodStatusWithDifferentRestartPolicies`. The code they pin,
 *   `convertToAPIContainerStatuses` in the [KP] copy, is read for 1.35.
 *
 * Mapping. Go feeds `convertToAPIContainerStatuses` a CRI history (instances newest first), the
 * previous API status and a reason cache (the last start error, e.g. `CrashLoopBackOff`). We have
 * no such inputs: the same history is produced by running the pod through LifecycleManager with
 * FakeRuntime on a VirtualClock (exits via `runtime.crash`), and the reason cache is what our worker
 * records as a Waiting reason (`CrashLoopBackOff`, `PostStartHookError`). The Go fake's empty
 * `Reason` and zero times are not compared; exit codes, Waiting reasons, lastState and
 * restartCount are. Cases of a runtime that lost a container (ContainerStatusUnknown), a kubelet
 * restart (previous API status only), the alpha `RestartAllContainersOnContainerExits` gate and
 * in-place resources have no counterpart here and are not ported (see the report).
 */
import { describe, expect, it } from 'vitest';
import type { ContainerState, PodContainerStatus, PodLifecycleStatus } from '../../src/api/pod-status.js';
import type { Container } from '../../src/api/types.js';
import { applyExit, applyStart, type ContainerRecord, newContainerRecord } from '../../src/pod/container-record.js';
import { renderPodStatus } from '../../src/pod/render-pod-status.js';
import { podHarness, podOf } from '../manager/pod-harness.js';

type Harness = ReturnType<typeof podHarness>;

/** A state in one word: `Running`, `Terminated(1)`, `Waiting(CrashLoopBackOff)`, or `-` for `{}`. */
function word(state: ContainerState): string {
  if (state.running) return 'Running';
  if (state.terminated) return `Terminated(${state.terminated.exitCode})`;
  if (state.waiting) return `Waiting(${state.waiting.reason ?? ''})`;
  return '-';
}
/** `verifyContainerStatuses`: State and LastTerminationState of every container, by name. */
const view = (list: readonly PodContainerStatus[]) =>
  Object.fromEntries(list.map((c) => [c.name, [word(c.state), word(c.lastState)]]));

/** Every status the manager publishes, in order. */
function published(h: Harness): PodLifecycleStatus[] {
  const all: PodLifecycleStatus[] = [];
  h.manager.on('podStatus', (_pod, s) => all.push(s));
  return all;
}

/** Exit `name` with `code`, then let the worker react (an immediate restart, or the back-off). */
async function exit(h: Harness, name: string, code: number): Promise<void> {
  h.runtime.crash(name, { exitCode: code });
  await h.clock.advance(10);
}

const c = (name: string): Container => ({ name, image: 'busybox' });

describe('kubelet_test.go TestGenerateAPIPodStatusWithReasonCache (spec pod §4.4)', () => {
  it('case 0 "no historical record": Waiting ContainerCreating; in a pod with init containers both lists show PodInitializing', async () => {
    const h = podHarness();
    h.runtime.onStart('with-old-record', { delayMs: 5_000 }).onStart('init', { delayMs: 5_000 });
    const plain = podOf([c('without-old-record'), c('with-old-record')], { name: 'plain' });
    void h.manager.startPod(plain);
    await h.clock.advance(10);
    // without-old-record started at once; with-old-record's start is in flight (no runtime record yet).
    expect(view(h.manager.podStatus(plain).containerStatuses)['with-old-record']).toEqual([
      'Waiting(ContainerCreating)',
      '-',
    ]);
    const withInit = podOf([c('app')], { name: 'with-init', initContainers: [c('init'), c('init-2')] });
    void h.manager.startPod(withInit);
    await h.clock.advance(10);
    const s = h.manager.podStatus(withInit);
    expect(view(s.initContainerStatuses)).toEqual({
      init: ['Waiting(PodInitializing)', '-'],
      'init-2': ['Waiting(PodInitializing)', '-'],
    });
    expect(view(s.containerStatuses)).toEqual({ app: ['Waiting(PodInitializing)', '-'] });
  });

  it('case 1 "running container": Running, lastState = the latest terminated instance (exit 1)', async () => {
    const h = podHarness();
    const pod = podOf([c('running')], { restartPolicy: 'OnFailure' });
    await h.manager.startPod(pod);
    await exit(h, 'running', 1);
    expect(view(h.manager.podStatus(pod).containerStatuses)).toEqual({ running: ['Running', 'Terminated(1)'] });
  });

  it('case 1 for init containers: the same', async () => {
    const h = podHarness();
    const pod = podOf([c('app')], { restartPolicy: 'OnFailure', initContainers: [c('running')] });
    void h.manager.startPod(pod);
    await h.clock.advance(10);
    await exit(h, 'running', 1);
    expect(view(h.manager.podStatus(pod).initContainerStatuses)).toEqual({ running: ['Running', 'Terminated(1)'] });
  });

  it('case 2 (OnFailure) "without-reason" → Terminated(latest)/second latest; "with-reason" → Waiting(reason)/latest; "succeed" (exit 0) → Terminated(0)/previous', async () => {
    const h = podHarness();
    const all = published(h);
    const pod = podOf([c('crashing'), c('succeed')], { restartPolicy: 'OnFailure' });
    await h.manager.startPod(pod);
    await exit(h, 'crashing', 3); // first exit: restarted at once
    await exit(h, 'crashing', 1); // second exit: found in back-off
    await exit(h, 'succeed', 5);
    await exit(h, 'succeed', 0);
    const seen = all.map((s) => view(s.containerStatuses).crashing?.join(' / '));
    // without-reason (before the sync that finds the back-off), then with-reason (CrashLoopBackOff cached).
    expect(seen).toContain('Terminated(1) / Terminated(3)');
    expect(view(h.manager.podStatus(pod).containerStatuses)).toEqual({
      crashing: ['Waiting(CrashLoopBackOff)', 'Terminated(1)'],
      succeed: ['Terminated(0)', 'Terminated(5)'],
    });
  });

  it('case 2 for init containers ("Everything should be the same for init containers")', async () => {
    const h = podHarness();
    const all = published(h);
    const pod = podOf([c('app')], { restartPolicy: 'OnFailure', initContainers: [c('succeed'), c('crashing')] });
    void h.manager.startPod(pod);
    await h.clock.advance(10);
    await exit(h, 'succeed', 5);
    await exit(h, 'succeed', 0); // the next init container starts
    await exit(h, 'crashing', 3);
    await exit(h, 'crashing', 1);
    expect(all.map((s) => view(s.initContainerStatuses).crashing?.join(' / '))).toContain(
      'Terminated(1) / Terminated(3)',
    );
    expect(view(h.manager.podStatus(pod).initContainerStatuses)).toEqual({
      succeed: ['Terminated(0)', 'Terminated(5)'],
      crashing: ['Waiting(CrashLoopBackOff)', 'Terminated(1)'],
    });
  });
});

describe('kubelet_test.go TestGenerateAPIPodStatusWithDifferentRestartPolicies (spec pod §3.1, §4.4)', () => {
  // Go: "succeed" exited 2 then 0, "failed" exited 3 then 1, both with a reason cached.
  it.each([
    {
      policy: 'OnFailure',
      succeed: ['Terminated(0)', 'Terminated(2)'],
      failed: ['Waiting(CrashLoopBackOff)', 'Terminated(1)'],
    },
    {
      policy: 'Always',
      succeed: ['Waiting(CrashLoopBackOff)', 'Terminated(0)'],
      failed: ['Waiting(CrashLoopBackOff)', 'Terminated(1)'],
    },
  ])('regular containers, $policy', async ({ policy, succeed, failed }) => {
    const h = podHarness();
    const pod = podOf([c('succeed'), c('failed')], { restartPolicy: policy });
    await h.manager.startPod(pod);
    await exit(h, 'succeed', 2);
    await exit(h, 'failed', 3);
    await exit(h, 'succeed', 0);
    await exit(h, 'failed', 1);
    expect(view(h.manager.podStatus(pod).containerStatuses)).toEqual({ succeed, failed });
  });

  it.each(['OnFailure', 'Always'])(
    'init containers, %s: exit 0 is never restarted (Terminated(0)/2), the failed one waits',
    async (policy) => {
      const h = podHarness();
      const pod = podOf([c('app')], { restartPolicy: policy, initContainers: [c('succeed'), c('failed')] });
      void h.manager.startPod(pod);
      await h.clock.advance(10);
      await exit(h, 'succeed', 2);
      await exit(h, 'succeed', 0);
      await exit(h, 'failed', 3);
      await exit(h, 'failed', 1);
      expect(view(h.manager.podStatus(pod).initContainerStatuses)).toEqual({
        succeed: ['Terminated(0)', 'Terminated(2)'],
        failed: ['Waiting(CrashLoopBackOff)', 'Terminated(1)'],
      });
    },
  );

  it('Never: both stay Terminated (a Never container runs once: no second instance, lastState empty)', async () => {
    const h = podHarness();
    const pod = podOf([c('succeed'), c('failed')], { restartPolicy: 'Never' });
    await h.manager.startPod(pod);
    await exit(h, 'succeed', 0);
    await exit(h, 'failed', 1);
    expect(view(h.manager.podStatus(pod).containerStatuses)).toEqual({
      succeed: ['Terminated(0)', '-'],
      failed: ['Terminated(1)', '-'],
    });
    const init = podOf([c('app')], {
      name: 'init',
      restartPolicy: 'Never',
      initContainers: [c('succeed'), c('failed')],
    });
    void h.manager.startPod(init);
    await h.clock.advance(10);
    await exit(h, 'succeed', 0);
    await exit(h, 'failed', 1);
    const s = h.manager.podStatus(init);
    expect(view(s.initContainerStatuses)).toEqual({ succeed: ['Terminated(0)', '-'], failed: ['Terminated(1)', '-'] });
    expect(s.phase).toBe('Failed');
  });

  /** A Never pod whose only container fails its postStart: the reason cache holds PostStartHookError. */
  async function postStartFailsUnderNever() {
    const h = podHarness();
    const all = published(h);
    h.runtime.onExec(['hook'], { exitCode: 1 });
    const pod = podOf([{ ...c('failed'), lifecycle: { postStart: { exec: { command: ['hook'] } } } }], {
      restartPolicy: 'Never',
    });
    await h.manager.startPod(pod);
    await h.clock.advance(1_000);
    return { final: h.manager.podStatus(pod), all };
  }

  it('Never with a reason cached (PostStartHookError): the final status is Terminated, not Waiting', async () => {
    const { final } = await postStartFailsUnderNever();
    expect(final.phase).toBe('Failed');
    expect(view(final.containerStatuses)).toEqual({ failed: ['Terminated(143)', '-'] });
  });

  it('Never with a reason cached: no published status shows Waiting(PostStartHookError) (spec pod §4.4)', async () => {
    const { all } = await postStartFailsUnderNever();
    expect(all.map((s) => view(s.containerStatuses).failed?.[0])).not.toContain('Waiting(PostStartHookError)');
  });
});

describe('kubelet_pods_test.go TestConvertToAPIContainerStatuses (spec pod §4.4)', () => {
  it('"Unable to get sidecar container status …, sidecar container should be waiting": an init-list container without a runtime status is Waiting PodInitializing', async () => {
    const h = podHarness();
    h.runtime.onStart('sidecar-1', { delayMs: 5_000 });
    const pod = podOf([c('container-a')], { initContainers: [{ ...c('sidecar-1'), restartPolicy: 'Always' }] });
    void h.manager.startPod(pod);
    await h.clock.advance(10);
    const s = h.manager.podStatus(pod);
    expect(s.initContainerStatuses[0]).toMatchObject({
      name: 'sidecar-1',
      state: { waiting: { reason: 'PodInitializing' } },
      lastState: {},
    });
    expect(s.initContainerStatuses[0]?.state.waiting?.message).toBeUndefined(); // Go: Message ""
  });
});

describe('kubelet_pods_test.go Test_generateAPIPodStatus, status parts (spec pod §5.1 post-processing)', () => {
  const records = () => [
    newContainerRecord(c('container-a'), 'regular'),
    newContainerRecord(c('container-b'), 'regular'),
  ];
  const render = (rs: ContainerRecord[], restartPolicy: string, previous?: PodLifecycleStatus) =>
    renderPodStatus({
      initContainers: [],
      containers: rs,
      podRestartPolicy: restartPolicy,
      deleted: false,
      initialized: rs.some((r) => r.instances > 0),
      sandboxReady: true,
      podIP: undefined,
      startAt: 0,
      previous,
      now: 1_000,
    });

  it.each(['Always', 'Never'])('"terminal phase from previous status must remain terminal, restart%s"', (policy) => {
    // The previous status (the status manager's, Succeeded) predates the containers' current state.
    const rs = records();
    const previous = { ...render(rs, policy), phase: 'Succeeded' as const };
    for (const r of rs) applyStart(r, { outcome: 'running', containerID: r.name }, 0, 0, 0);
    if (policy === 'Never') for (const r of rs) applyExit(r, { exitCode: 0 }, 500, true);
    const s = render(rs, policy, previous);
    expect(s.phase).toBe('Succeeded');
    expect(s.conditions.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['PodReadyToStartContainers', 'True', undefined],
      ['Initialized', 'True', 'PodCompleted'],
      ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['PodScheduled', 'True', undefined],
    ]);
  });

  it('"running can revert to pending": a previous Running phase is not sticky; unstarted containers are Waiting ContainerCreating', () => {
    const rs = records();
    const previous = { ...render(rs, 'Always'), phase: 'Running' as const };
    const s = render(rs, 'Always', previous);
    expect(s.phase).toBe('Pending');
    expect(view(s.containerStatuses)).toEqual({
      'container-a': ['Waiting(ContainerCreating)', '-'],
      'container-b': ['Waiting(ContainerCreating)', '-'],
    });
  });
});

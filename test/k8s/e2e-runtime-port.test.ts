/**
 * Port of Kubernetes' conformance e2e `test/e2e/common/node/runtime.go` (kubernetes/kubernetes
 * @025f2834a128798cef30018a5e6a6ae82b5ad885, `SIGDescribe("Container Runtime")` › `blackbox test`)
 * to virtual time. The Go test creates a one-container pod (`ConformanceContainer`, helpers in
 * `test/e2e/common/node/container.go`), polls its status every `ContainerStatusPollInterval` (1 s)
 * for at most `ContainerStatusRetryTimeout` (5 min) with `gomega.Eventually`, then deletes it with
 * grace 0. Here the pod runs through `manager.startPod` on a VirtualClock with FakeRuntime; the
 * clock advances 1 s per poll.
 *
 * The Go script counts its runs in an emptyDir file (`restartCount`): run 1 exits 1, run 2 exits 0,
 * run 3 onwards loops forever. The emptyDir survives container restarts, so the count is the
 * instance number; here {@link runsLikeRestartCountScript} keys the same behaviour on the n-th
 * time the container becomes Running. `IsReady` is `podutil.IsPodReady` (the pod's `Ready`
 * condition); `GetStatus` is `containerStatuses[0]`; `GetContainerState` maps the one set state.
 *
 * Not ported (skipped `it`s below): the `on terminated container` termination-message cases — no
 * `terminationMessagePath`/`terminationMessagePolicy` on `Container`, no container file system or
 * log to read a message from, and the runtime port's exit (`ContainerExit`) carries no message, so
 * `state.terminated.message` is never a container's message; and the `when running a container
 * with a new image` pull cases — image pulls, registries and pull secrets are the runtime adapter's
 * business (`ErrImagePull`/`ImagePullBackOff` are not produced by the core, spec pod §4.6).
 */

import { describe, expect, it } from 'vitest';
import type { PodContainerStatus, PodLifecycleStatus } from '../../src/api/pod-status.js';
import type { Container, Pod } from '../../src/api/types.js';
import { podHarness, podOf } from '../manager/pod-harness.js';

type H = ReturnType<typeof podHarness>;
const S = 1_000;
/** `ContainerStatusRetryTimeout` / `ContainerStatusPollInterval` (test/e2e/common/node/container.go). */
const RETRY_TIMEOUT = 5 * 60 * S;
const POLL = 1 * S;

/** The `cmdScripts` of the Go test: run 1 exits 1, run 2 exits 0, later runs never exit. */
function runsLikeRestartCountScript(h: H, container: string): void {
  let runs = 0;
  h.manager.on('step', (step) => {
    if (step.kind !== 'running' || step.container !== container) return;
    runs++;
    if (runs === 1) h.runtime.crash(container, { exitCode: 1, afterMs: 0 });
    else if (runs === 2) h.runtime.crash(container, { exitCode: 0, afterMs: 0 });
  });
}

/** `GetContainerState`: the name of the one state that is set. */
function containerState(s: PodContainerStatus): 'Waiting' | 'Running' | 'Terminated' | 'Unknown' {
  if (s.state.waiting) return 'Waiting';
  if (s.state.running) return 'Running';
  if (s.state.terminated) return 'Terminated';
  return 'Unknown';
}
/** `podutil.IsPodReady`: the `Ready` condition is True. */
const isPodReady = (s: PodLifecycleStatus) => s.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
const getStatus = (h: H, pod: Pod) => h.manager.podStatus(pod).containerStatuses[0] as PodContainerStatus;

/** `gomega.Eventually(ctx, get, ContainerStatusRetryTimeout, ContainerStatusPollInterval).Should(Equal(want))`. */
async function eventually<T>(h: H, get: () => T, want: T): Promise<void> {
  for (let t = 0; t < RETRY_TIMEOUT && get() !== want; t += POLL) await h.clock.advance(POLL);
  expect(get()).toBe(want);
}

interface TestCase {
  readonly name: string;
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly phase: string;
  readonly state: 'Running' | 'Terminated';
  readonly restartCount: number;
  readonly ready: boolean;
  readonly spec: string;
}

/** The Go `testCases` table, with the spec sections each row exercises. */
const testCases: readonly TestCase[] = [
  {
    name: 'terminate-cmd-rpa',
    restartPolicy: 'Always',
    phase: 'Running',
    state: 'Running',
    restartCount: 2,
    ready: true,
    spec: 'spec pod §3.1, §4.2, §5.1, §5.3',
  },
  {
    name: 'terminate-cmd-rpof',
    restartPolicy: 'OnFailure',
    phase: 'Succeeded',
    state: 'Terminated',
    restartCount: 1,
    ready: false,
    spec: 'spec pod §3.1, §4.2, §5.1, §5.2',
  },
  {
    name: 'terminate-cmd-rpn',
    restartPolicy: 'Never',
    phase: 'Failed',
    state: 'Terminated',
    restartCount: 0,
    ready: false,
    spec: 'spec pod §3.1, §5.1, §5.2',
  },
];

describe('[sig-node] Container Runtime blackbox test when starting a container that exits (spec pod §3.1, §4.2, §5.1)', () => {
  for (const tc of testCases) {
    it(`should run with the expected status [NodeConformance] › ${tc.name} (restartPolicy ${tc.restartPolicy}) (${tc.spec})`, async () => {
      const h = podHarness();
      const container: Container = { name: tc.name, image: 'busybox', command: ['sh', '-c', '<restart-count script>'] };
      runsLikeRestartCountScript(h, tc.name);
      const pod = podOf([container], {
        name: `terminate-cmd-${tc.restartPolicy.toLowerCase()}`,
        restartPolicy: tc.restartPolicy,
      });
      void h.manager.startPod(pod);

      // Container '<name>': should get the expected 'RestartCount'
      await eventually(h, () => getStatus(h, pod).restartCount, tc.restartCount);
      // Container '<name>': should get the expected 'Phase'
      await eventually(h, () => h.manager.podStatus(pod).phase, tc.phase);
      // Container '<name>': should get the expected 'Ready' condition
      expect(isPodReady(h.manager.podStatus(pod))).toBe(tc.ready);
      // Container '<name>': should get the expected 'State'
      expect(containerState(getStatus(h, pod))).toBe(tc.state);

      // Beyond the Go test: what the spec says each row looks like.
      const status = getStatus(h, pod);
      const starts = h.runtime.timeline.filter((e) => e.kind === 'started' && e.container === tc.name).map((e) => e.at);
      expect(starts, '(spec pod §3.1) one start per run').toHaveLength(tc.restartCount + 1);
      if (tc.restartPolicy === 'Always') {
        // (spec pod §4.2) crash 1 restarts at once; crash 2 waits initial 10 s from its FinishedAt.
        expect(starts).toEqual([0, 0, 10 * S]);
        expect(status.lastState.terminated?.exitCode, '(spec pod §4.4) lastState = run 2').toBe(0);
        expect(status.lastState.terminated?.reason).toBe('Completed');
        expect(status.ready && status.started, '(spec pod §5.3)').toBe(true);
      } else {
        const want =
          tc.restartPolicy === 'OnFailure' ? { exitCode: 0, reason: 'Completed' } : { exitCode: 1, reason: 'Error' };
        expect(status.state.terminated, '(spec pod §4.4)').toMatchObject(want);
        expect(status.ready).toBe(false);
        if (tc.restartPolicy === 'OnFailure')
          expect(status.lastState.terminated, '(spec pod §4.4) lastState = run 1').toMatchObject({
            exitCode: 1,
            reason: 'Error',
          });
      }

      // Container '<name>': should be possible to delete [NodeConformance] (`NewDeleteOptions(0)`),
      // then `Present` is false: the termination settles with nothing left running.
      await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
      expect(h.runtime.containers().every((c) => c.state === 'exited')).toBe(true);
    });
  }
});

const noTerminationMessage =
  'termination messages are not modelled: Container has no terminationMessagePath/terminationMessagePolicy, there is no container file or log to read, and the runtime port’s ContainerExit carries no message';
const noImagePull =
  'image pulls are not modelled: registries, pull secrets and ErrImagePull/ImagePullBackOff belong to the runtime adapter (spec pod §4.6)';

describe('[sig-node] Container Runtime blackbox test on terminated container (not modelled)', () => {
  it.skip(`should report termination message if TerminationMessagePath is set [NodeConformance]: ${noTerminationMessage}`, () => {});
  it.skip(`should report termination message if TerminationMessagePath is set as non-root user and at a non-default path [NodeConformance]: ${noTerminationMessage}`, () => {});
  it.skip(`should report termination message from log output if TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance]: ${noTerminationMessage}`, () => {});
  it.skip(`should report termination message as empty when pod succeeds and TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance]: ${noTerminationMessage}`, () => {});
  it.skip(`should report termination message from file when pod succeeds and TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance]: ${noTerminationMessage}`, () => {});
});

describe('[sig-node] Container Runtime blackbox test when running a container with a new image (not modelled)', () => {
  it.skip(`should not be able to pull image from invalid registry [NodeConformance]: ${noImagePull}`, () => {});
  it.skip(`should be able to pull image [NodeConformance]: ${noImagePull}`, () => {});
  it.skip(`should not be able to pull from private registry without secret [NodeConformance]: ${noImagePull}`, () => {});
  it.skip(`should be able to pull from private registry with secret [NodeConformance]: ${noImagePull}`, () => {});
});

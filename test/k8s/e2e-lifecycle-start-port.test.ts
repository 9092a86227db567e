/**
 * Port of the start/restart half of Kubernetes' node e2e `test/e2e_node/container_lifecycle_test.go`
 * (kubernetes/kubernetes @01ba738fd074afdfac0aa0e991ccb53152f9f357) to virtual time. The Go test runs
 * busybox commands (`ExecCommand{Delay, ExitCode, StartDelay}`) and checks a log of Starting/Started/
 * Exiting lines with `StartsBefore`, `ExitsBefore`, `RunTogether`, `HasRestarted`, `DoesntStart`; here
 * each command is a scripted exit (`exitsAfter`) and the log is FakeRuntime's timeline ('started' =
 * Started, 'exit' = Exiting). Termination/preStop/grace, images, volumes and reboots are out of scope.
 */

import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import type { ExecCall } from '../../src/testing/fake-runtime-scripts.js';
import { exitsAfter, podHarness, podOf } from '../manager/pod-harness.js';

type H = ReturnType<typeof podHarness>;
const S = 1_000;
const img = 'busybox';
const sidecar = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: img,
  restartPolicy: 'Always',
  ...extra,
});
const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: img, ...extra });

/** Virtual instants at which `name` started / exited (the Go log's Started / Exiting lines). */
const startsOf = (h: H, name: string) =>
  h.runtime.timeline.filter((e) => e.kind === 'started' && e.container === name).map((e) => e.at);
const exitsOf = (h: H, name: string) =>
  h.runtime.timeline.filter((e) => e.kind === 'exit' && e.container === name).map((e) => e.at);
/** StartsBefore(a, b) && ExitsBefore(a, b): a's first start and first exit both precede b's first start. */
function runsToCompletionBefore(h: H, a: string, b: string) {
  const [sa, sb, ea] = [startsOf(h, a)[0], startsOf(h, b)[0], exitsOf(h, a)[0]];
  expect(sa, `${a} started`).toBeDefined();
  expect(sb, `${b} started`).toBeDefined();
  expect(sa as number).toBeLessThan(sb as number);
  expect(ea, `${a} exited`).toBeDefined();
  expect(ea as number).toBeLessThanOrEqual(sb as number);
}
/** RunTogether(a, b): some instance of a and some of b were alive at the same instant. */
function runTogether(h: H, a: string, b: string) {
  const spans = (n: string) => startsOf(h, n).map((s, i) => [s, exitsOf(h, n)[i] ?? Number.POSITIVE_INFINITY] as const);
  const overlap = spans(a).some(([s1, e1]) => spans(b).some(([s2, e2]) => s1 < e2 && s2 < e1));
  expect(overlap, `${a} and ${b} ran together`).toBe(true);
}
const initStatus = (h: H, pod: Pod, name: string) =>
  h.manager.podStatus(pod).initContainerStatuses?.find((s) => s.name === name);
const status = (h: H, pod: Pod, name: string) =>
  h.manager.podStatus(pod).containerStatuses?.find((s) => s.name === name);
/** A startup probe `test -f started` that passes once the container has run `afterMs` (ExecCommand StartDelay). */
function startedFileAfter(h: H, afterMs: number) {
  h.runtime.onExec(['test', '-f', 'started'], (call: ExecCall) => {
    const since = call.at - (startsOf(h, call.ref.name).at(-1) ?? call.at);
    return { exitCode: since >= afterMs ? 0 : 1, stdout: '', stderr: '' };
  });
  return { exec: { command: ['test', '-f', 'started'] } };
}
const done = (h: H, pod: Pod) => h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
type Status = ReturnType<H['manager']['podStatus']>;
/** Advance the virtual clock 1 s at a time until `pred` holds (at most `maxMs`); fail if it never does. */
async function until(h: H, pod: Pod, pred: (s: Status) => boolean, maxMs: number) {
  for (let t = 0; t < maxMs && !pred(h.manager.podStatus(pod)); t += S) await h.clock.advance(S);
  expect(pred(h.manager.podStatus(pod)), 'condition reached').toBe(true);
}

describe('Containers Lifecycle: init and regular containers, restartPolicy=Never (spec pod §3.2, §3.3)', () => {
  it('A pod initializes successfully › should launch init container serially before a regular container (§3.3, §3.2)', async () => {
    const h = podHarness();
    for (const n of ['init-1', 'init-2', 'init-3']) exitsAfter(h, n, 1 * S);
    exitsAfter(h, 'regular-1', 6 * S); // StartDelay 5 + Delay 1
    const probe = startedFileAfter(h, 5 * S);
    const pod = podOf([c('regular-1', { startupProbe: probe })], {
      restartPolicy: 'Never',
      initContainers: [c('init-1'), c('init-2'), c('init-3')],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    runsToCompletionBefore(h, 'init-1', 'init-2');
    runsToCompletionBefore(h, 'init-2', 'init-3');
    runsToCompletionBefore(h, 'init-3', 'regular-1');
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
  });

  it('an init container fails › should not launch regular containers if an init container fails (§3.3, §5.1)', async () => {
    const h = podHarness();
    exitsAfter(h, 'init-1', 1 * S, 1);
    const pod = podOf([c('regular-1')], { restartPolicy: 'Never', initContainers: [c('init-1')] });
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    expect(startsOf(h, 'init-1')).toHaveLength(1);
    expect(exitsOf(h, 'init-1')).toHaveLength(1);
    expect(startsOf(h, 'regular-1')).toEqual([]);
    expect(h.manager.podStatus(pod).phase).toBe('Failed');
  });

  it('The regular container has a PostStart hook › should run Init container to completion before call to PostStart of regular container (§3.2)', async () => {
    const h = podHarness();
    exitsAfter(h, 'init-1', 1 * S);
    exitsAfter(h, 'regular-1', 10 * S);
    h.runtime.onExec(['PostStart-regular-1'], { exitCode: 0, stdout: '', stderr: '', delayMs: 1 * S });
    const pod = podOf([c('regular-1', { lifecycle: { postStart: { exec: { command: ['PostStart-regular-1'] } } } })], {
      restartPolicy: 'Never',
      initContainers: [c('init-1')],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    const hook = h.runtime.timeline.filter((e) => e.argv?.[0] === 'PostStart-regular-1');
    const [hookStart, hookEnd] = [
      hook.find((e) => e.kind === 'exec')?.at,
      hook.find((e) => e.kind === 'exec-result')?.at,
    ];
    expect(hookStart).toBeDefined();
    expect(exitsOf(h, 'init-1')[0] as number).toBeLessThanOrEqual(hookStart as number);
    // RunTogether(regular-1, PostStart-regular-1): the hook runs inside the running container.
    expect(startsOf(h, 'regular-1')[0] as number).toBeLessThanOrEqual(hookStart as number);
    expect(hookEnd as number).toBeLessThan(exitsOf(h, 'regular-1')[0] as number);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
  });

  it('running a Pod with a failed regular container › should restart failing container when pod restartPolicy is Always (§3.1, §4.2)', async () => {
    const h = podHarness();
    exitsAfter(h, 'regular-1', 1 * S, 1);
    const pod = podOf([c('regular-1')], { restartPolicy: 'Always' });
    void h.manager.startPod(pod);
    await until(h, pod, (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 3, 120 * S);
    const starts = startsOf(h, 'regular-1');
    expect(starts.length).toBeGreaterThanOrEqual(4);
    expect(exitsOf(h, 'regular-1')[0] as number).toBeLessThanOrEqual(starts[1] as number); // ExitsBefore(r, r)
    await done(h, pod);
  });

  it('Running a pod with multiple containers and a PostStart hook › should not launch second container before PostStart of the first container completed (§3.2)', async () => {
    const h = podHarness();
    exitsAfter(h, 'regular-1', 10 * S);
    exitsAfter(h, 'regular-2', 1 * S);
    h.runtime.onExec(['PostStart-regular-1'], { exitCode: 0, stdout: '', stderr: '', delayMs: 1 * S });
    const pod = podOf(
      [c('regular-1', { lifecycle: { postStart: { exec: { command: ['PostStart-regular-1'] } } } }), c('regular-2')],
      { restartPolicy: 'Never' },
    );
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    const hookEnd = h.runtime.timeline.find(
      (e) => e.kind === 'exec-result' && e.argv?.[0] === 'PostStart-regular-1',
    )?.at;
    expect(hookEnd).toBe(1 * S);
    expect(startsOf(h, 'regular-2')[0] as number).toBeGreaterThanOrEqual(hookEnd as number);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
  });

  it("A regular container restarts with init containers › shouldn't restart init containers upon regular container restart (§3.3)", async () => {
    const h = podHarness();
    for (const n of ['init-1', 'init-2', 'init-3']) exitsAfter(h, n, 1 * S);
    exitsAfter(h, 'regular-1', 10 * S, 255); // ExitCode -1 → 255
    const pod = podOf([c('regular-1')], {
      restartPolicy: 'Always',
      initContainers: [c('init-1'), c('init-2'), c('init-3')],
    });
    void h.manager.startPod(pod);
    await until(h, pod, (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 3, 120 * S);
    runsToCompletionBefore(h, 'init-1', 'init-2');
    runsToCompletionBefore(h, 'init-2', 'init-3');
    runsToCompletionBefore(h, 'init-3', 'regular-1');
    for (const n of ['init-1', 'init-2', 'init-3']) expect(startsOf(h, n), n).toHaveLength(1);
    expect(startsOf(h, 'regular-1').length).toBeGreaterThan(1);
    await done(h, pod);
  });
});

describe('Containers Lifecycle: restartable init containers (spec pod §3.4)', () => {
  it('restartPolicy=Never, three init containers and two restartable init containers › order, overlap and Succeeded (§3.4.1, §3.4.6)', async () => {
    const h = podHarness();
    for (const n of ['init-1', 'init-2', 'init-3', 'regular-1']) exitsAfter(h, n, 1 * S);
    for (const n of ['restartable-init-1', 'restartable-init-2']) exitsAfter(h, n, 600 * S);
    const pod = podOf([c('regular-1')], {
      restartPolicy: 'Never',
      initContainers: [
        c('init-1'),
        sidecar('restartable-init-1'),
        c('init-2'),
        sidecar('restartable-init-2'),
        c('init-3'),
      ],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(300 * S);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
    runsToCompletionBefore(h, 'init-1', 'restartable-init-1');
    expect(startsOf(h, 'restartable-init-1')[0] as number).toBeLessThanOrEqual(startsOf(h, 'init-2')[0] as number);
    runTogether(h, 'restartable-init-1', 'init-2');
    runsToCompletionBefore(h, 'init-2', 'restartable-init-2');
    expect(startsOf(h, 'restartable-init-2')[0] as number).toBeLessThanOrEqual(startsOf(h, 'init-3')[0] as number);
    runTogether(h, 'restartable-init-1', 'restartable-init-2');
    runTogether(h, 'restartable-init-1', 'init-3');
    runTogether(h, 'restartable-init-2', 'init-3');
    runsToCompletionBefore(h, 'init-3', 'regular-1');
    runTogether(h, 'restartable-init-1', 'regular-1');
    runTogether(h, 'restartable-init-2', 'regular-1');
  });

  for (const policy of ['Never', 'OnFailure'] as const) {
    it(`restartPolicy=${policy} › a restartable init container runs continuously › completes Succeeded, sidecar not restarted (§3.4.6)`, async () => {
      const h = podHarness();
      exitsAfter(h, 'restartable-init-1', 600 * S);
      exitsAfter(h, 'regular-1', 1 * S);
      const pod = podOf([c('regular-1')], { restartPolicy: policy, initContainers: [sidecar('restartable-init-1')] });
      void h.manager.startPod(pod);
      await h.clock.advance(300 * S);
      expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
      expect(startsOf(h, 'restartable-init-1')).toHaveLength(1);
      expect(exitsOf(h, 'regular-1')).toHaveLength(1);
    });
  }

  it('restartPolicy=Always › a restartable init container runs continuously › regular restarts, sidecar does not (§3.4.3)', async () => {
    const h = podHarness();
    exitsAfter(h, 'restartable-init-1', 600 * S);
    exitsAfter(h, 'regular-1', 1 * S);
    const pod = podOf([c('regular-1')], { restartPolicy: 'Always', initContainers: [sidecar('restartable-init-1')] });
    void h.manager.startPod(pod);
    await until(h, pod, (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 2, 120 * S);
    expect(startsOf(h, 'restartable-init-1')).toHaveLength(1);
    expect(startsOf(h, 'regular-1').length).toBeGreaterThan(1);
    await done(h, pod);
  });

  for (const code of [0, 1]) {
    for (const policy of ['Never', 'OnFailure', 'Always'] as const) {
      it(`restartPolicy=${policy} › a restartable init container starts and exits with exit code ${code} continuously › restarts before and after the regular container started (§3.4.3, §4.2)`, async () => {
        const h = podHarness();
        exitsAfter(h, 'restartable-init-1', 5 * S, code);
        exitsAfter(h, 'init-1', 5 * S);
        exitsAfter(h, 'regular-1', 60 * S);
        const pod = podOf([c('regular-1')], {
          restartPolicy: policy,
          initContainers: [sidecar('restartable-init-1'), c('init-1')],
        });
        void h.manager.startPod(pod);
        if (policy === 'Always') {
          await until(h, pod, (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 300 * S);
        } else {
          await h.clock.advance(300 * S);
          expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
          expect(exitsOf(h, 'regular-1').length).toBeGreaterThanOrEqual(1);
        }
        const sc = startsOf(h, 'restartable-init-1');
        const reg = startsOf(h, 'regular-1')[0] as number;
        expect(sc[0] as number).toBeLessThan(reg);
        expect(sc.some((t) => t > reg)).toBe(true);
        if (policy === 'Always') await done(h, pod);
      });
    }
  }

  it('restartPolicy=Never › an Init container before restartable init container fails › Failed, sidecar never starts (§3.3)', async () => {
    const h = podHarness();
    exitsAfter(h, 'init-1', 1 * S, 1);
    const pod = podOf([c('regular-1')], {
      restartPolicy: 'Never',
      initContainers: [c('init-1'), sidecar('restartable-init-1')],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    expect(h.manager.podStatus(pod).phase).toBe('Failed');
    expect(exitsOf(h, 'init-1')).toHaveLength(1);
    expect(startsOf(h, 'restartable-init-1')).toEqual([]);
  });

  it('restartPolicy=Never › an Init container after restartable init container fails › Failed, both ran together (§3.3, §3.4.4)', async () => {
    const h = podHarness();
    exitsAfter(h, 'restartable-init-1', 5 * S, 1);
    exitsAfter(h, 'init-1', 1 * S, 1);
    const pod = podOf([c('regular-1')], {
      restartPolicy: 'Never',
      initContainers: [sidecar('restartable-init-1'), c('init-1')],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    expect(h.manager.podStatus(pod).phase).toBe('Failed');
    expect(exitsOf(h, 'init-1')).toHaveLength(1);
    runTogether(h, 'restartable-init-1', 'init-1');
    expect(startsOf(h, 'regular-1')).toEqual([]);
  });

  for (const policy of ['OnFailure', 'Always'] as const) {
    it(`restartPolicy=${policy} › an Init container before restartable init container continuously fails › Pending, init restarts, sidecar never starts (§3.3, §4.2)`, async () => {
      const h = podHarness();
      exitsAfter(h, 'init-1', 1 * S, 1);
      const pod = podOf([c('regular-1')], {
        restartPolicy: policy,
        initContainers: [c('init-1'), sidecar('restartable-init-1')],
      });
      void h.manager.startPod(pod);
      await until(h, pod, () => (initStatus(h, pod, 'init-1')?.restartCount ?? 0) >= 3, 300 * S);
      expect(h.manager.podStatus(pod).phase).toBe('Pending');
      expect(startsOf(h, 'restartable-init-1')).toEqual([]);
      await done(h, pod);
    });

    it(`restartPolicy=${policy} › an Init container after restartable init container fails › Pending, init restarts alongside the sidecar (§3.3, §3.4)`, async () => {
      const h = podHarness();
      exitsAfter(h, 'restartable-init-1', 5 * S, 1);
      exitsAfter(h, 'init-1', 1 * S, 1);
      const pod = podOf([c('regular-1')], {
        restartPolicy: policy,
        initContainers: [sidecar('restartable-init-1'), c('init-1')],
      });
      void h.manager.startPod(pod);
      // The Go test reads InitContainerStatuses[0], which is the sidecar here; both restart.
      await until(h, pod, (s) => (s.initContainerStatuses?.[0]?.restartCount ?? 0) >= 3, 300 * S);
      expect(h.manager.podStatus(pod).phase).toBe('Pending');
      expect(initStatus(h, pod, 'init-1')?.restartCount ?? 0).toBeGreaterThan(0);
      runTogether(h, 'restartable-init-1', 'init-1');
      expect(startsOf(h, 'regular-1')).toEqual([]);
      await done(h, pod);
    });
  }

  it('running restartable init containers with startup probes › should launch restartable init containers serially considering the startup probe (§3.4.2)', async () => {
    const h = podHarness();
    const probe = startedFileAfter(h, 10 * S);
    for (const n of ['restartable-init-1', 'restartable-init-2']) exitsAfter(h, n, 610 * S);
    exitsAfter(h, 'regular-1', 1 * S);
    const pod = podOf([c('regular-1')], {
      restartPolicy: 'Never',
      initContainers: [
        sidecar('restartable-init-1', { startupProbe: probe }),
        sidecar('restartable-init-2', { startupProbe: probe }),
      ],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(300 * S);
    const [s1, s2, r] = [
      startsOf(h, 'restartable-init-1')[0],
      startsOf(h, 'restartable-init-2')[0],
      startsOf(h, 'regular-1')[0],
    ];
    expect(s2 as number).toBeGreaterThanOrEqual((s1 as number) + 10 * S);
    expect(r as number).toBeGreaterThanOrEqual((s2 as number) + 10 * S);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
  });

  it('(spec §3.4.2, no Go case at this commit) a sidecar postStart hook blocks the next container until it completes', async () => {
    const h = podHarness();
    exitsAfter(h, 'restartable-init-1', 600 * S);
    exitsAfter(h, 'regular-1', 1 * S);
    h.runtime.onExec(['PostStart-restartable-init-1'], { exitCode: 0, stdout: '', stderr: '', delayMs: 3 * S });
    const pod = podOf([c('regular-1')], {
      restartPolicy: 'Never',
      initContainers: [
        sidecar('restartable-init-1', {
          lifecycle: { postStart: { exec: { command: ['PostStart-restartable-init-1'] } } },
        }),
      ],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(60 * S);
    expect(startsOf(h, 'regular-1')[0]).toBe(3 * S);
    expect(status(h, pod, 'regular-1')?.state?.terminated?.exitCode).toBe(0);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
  });
});

/**
 * The readiness, startup and termination tests of `container_probe.go` as functions of `sidecar`,
 * shared by `e2e-container-probe-port.test.ts` (the probed container is the pod's only one) and
 * `e2e-container-probe-sidecar-port.test.ts` (it is a restartable init container beside `main`).
 */
import { expect } from 'vitest';
import type { PodStatus } from '../../src/api/pod-status.js';
import {
  agnhostTestWebserver,
  cleanup,
  containerStatus,
  execHandler,
  getRestartCount,
  goPod,
  isReady,
  MIN,
  PodStartTimeout,
  podRunningReady,
  probeHarness,
  probeTestInitialDelaySeconds,
  runReadinessFailTest,
  S,
  shell,
  waitFor,
  webserverProbe,
} from './e2e-container-probe-fixtures.js';

/** `with readiness probe should not be ready before initial delay and never restart`. */
export async function readinessInitialDelay(sidecar: boolean) {
  const h = probeHarness();
  agnhostTestWebserver(h, 80);
  const pod = goPod(
    'test-webserver',
    'agnhost',
    { readinessProbe: webserverProbe({ initialDelay: true }) },
    { sidecar },
  );
  void h.manager.startPod(pod);
  await waitFor(h, pod, 'pod Ready', isReady, PodStartTimeout);
  const s = h.manager.podStatus(pod);
  expect(podRunningReady(s), 'PodRunningReady').toBe(true);
  // GetTransitionTimeForReadyCondition − GetContainerStartedTime ≥ the initial delay
  const readyTime = Date.parse(s.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
  const startedTime = Date.parse(containerStatus(s, 'test-webserver')?.state.running?.startedAt ?? '');
  expect(readyTime - startedTime).toBeGreaterThanOrEqual(probeTestInitialDelaySeconds * S);
  expect(readyTime - startedTime, 'at the first worker tick past the delay').toBe(20 * S);
  expect(getRestartCount(s)).toBe(0);
  await cleanup(h, pod);
}

/** `with readiness probe that fails should never be ready and never restart`. */
export async function readinessFailing(sidecar: boolean) {
  const h = probeHarness();
  agnhostTestWebserver(h, 80);
  const pod = goPod('test-webserver', 'agnhost', { readinessProbe: webserverProbe({ failing: true }) }, { sidecar });
  void h.manager.startPod(pod);
  for (let t = 0; t <= MIN; t += S, await h.clock.advance(S)) {
    expect(isReady(h.manager.podStatus(pod)), `not ready at ${t / S} s`).toBe(false);
  }
  const s = h.manager.podStatus(pod);
  expect(podRunningReady(s)).toBe(false);
  expect(getRestartCount(s)).toBe(0);
  await cleanup(h, pod);
}

/** `should not be ready with an exec readiness probe timeout` (waitForNotPending only without a sidecar). */
export async function execReadinessTimeout(sidecar: boolean) {
  const h = probeHarness();
  shell(h, 'busybox');
  const readinessProbe = {
    ...execHandler(['/bin/sh', '-c', 'sleep 10']),
    initialDelaySeconds: 15,
    timeoutSeconds: 1,
    failureThreshold: 1,
  };
  await runReadinessFailTest(h, goPod('busybox', 'busybox', { readinessProbe }, { sidecar }), MIN, !sidecar);
  expect(h.events.some((e) => e.reason === 'Unhealthy' && /Readiness probe failed: .*timed out/.test(e.message))).toBe(
    true,
  );
}

/** `should be ready immediately after startupProbe succeeds`. */
export async function readyAfterStartup(sidecar: boolean) {
  const h = probeHarness();
  const name = sidecar ? 'sidecar' : 'busybox';
  shell(h, name, { '/tmp/health': () => true, '/tmp/startup': (t) => t >= 32 * S });
  const pod = goPod(
    name,
    'busybox',
    {
      readinessProbe: { ...execHandler(['/bin/cat', '/tmp/health']), initialDelaySeconds: 0, periodSeconds: 30 },
      startupProbe: {
        ...execHandler(['/bin/cat', '/tmp/startup']),
        initialDelaySeconds: 0,
        failureThreshold: 120,
        periodSeconds: 5,
      },
    },
    { sidecar },
  );
  void h.manager.startPod(pod);
  // WaitForPodContainerStarted(…, 0, …): ContainerStatuses[0].Started (`main` in the sidecar pod)
  const started = (s: PodStatus) => s.containerStatuses[0]?.started === true;
  const startedTime = await waitFor(h, pod, 'container 0 started', started, PodStartTimeout);
  const readyTime = await waitFor(h, pod, 'pod Ready', isReady, PodStartTimeout);
  expect(podRunningReady(h.manager.podStatus(pod))).toBe(true);
  const readyIn = readyTime - startedTime;
  expect(readyIn, 'ready after startupProbe succeeded').toBeGreaterThanOrEqual(0);
  expect(readyIn, 'ready within 25 s of startupProbe success').toBeLessThanOrEqual(25 * S);
  await cleanup(h, pod);
}

/**
 * `should mark readiness on pods to false while pod is in progress of terminating when a pod has a
 * readiness probe` and (`withLiveness`) `… and disable liveness probes while pod is in progress of
 * terminating`: the bash script's `_term` trap removes the files, sleeps 30 s (20 s) and exits 0.
 */
export async function readinessFalseWhileTerminating(sidecar: boolean, withLiveness: boolean) {
  const h = probeHarness();
  const name = 'probe-test';
  const present = (_t: number, sigterm: boolean) => !sigterm;
  shell(
    h,
    name,
    { '/tmp/ready': present, '/tmp/liveness': present },
    { exitDelayMs: (withLiveness ? 20 : 30) * S, exitCode: 0 },
  );
  const readinessProbe = {
    ...execHandler(['cat', '/tmp/ready']),
    failureThreshold: 1,
    initialDelaySeconds: 5,
    periodSeconds: 2,
  };
  const livenessProbe = {
    ...execHandler(['cat', '/tmp/liveness']),
    failureThreshold: 1,
    initialDelaySeconds: 5,
    periodSeconds: 1,
  };
  const probes = withLiveness ? { readinessProbe, livenessProbe } : { readinessProbe };
  const pod = goPod(name, 'agnhost', probes, { sidecar, tgps: 30 });
  void h.manager.startPod(pod);
  await waitFor(h, pod, 'running and ready', podRunningReady, PodStartTimeout);
  const deleting = h.manager.deletePod(pod);
  const unreadyAt = await waitFor(h, pod, 'not ready', (s) => !isReady(s), 5 * MIN);
  const exit = h.runtime.timeline.find((e) => e.kind === 'exit' && e.container === name);
  expect(exit === undefined || exit.at > unreadyAt, 'unready while the probed container still runs').toBe(true);
  if (withLiveness) {
    for (let t = 0; t <= MIN; t += 2 * S, await h.clock.advance(2 * S)) {
      const seen = h.events.filter((e) => e.message.includes('failed liveness probe'));
      expect(
        seen.map((e) => e.message),
        'should not see liveness probe failures',
      ).toEqual([]);
    }
  }
  await h.clock.advance(MIN);
  await deleting;
}

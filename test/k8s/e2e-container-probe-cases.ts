/**
 * The `RunLivenessTest` / `RunSidecarLivenessTest` cases of `container_probe.go` as data (the
 * readiness, startup and termination bodies are e2e-container-probe-readiness.ts), shared by
 * `e2e-container-probe-port.test.ts` (the probed container is the pod's only one) and
 * `e2e-container-probe-sidecar-port.test.ts` (it is a restartable init container beside `main`).
 * `restartsAt` pins the virtual instants of the restarts the Go test counts (worker ticks at 0, 10,
 * 20 s…; busybox dies by SIGKILL at the end of the kill's grace, agnhost at SIGTERM; a first
 * restart is immediate): the Go test asserts only the counts, within its timeout.
 */
import { expect } from 'vitest';
import type { Pod, Probe } from '../../src/api/types.js';
import {
  agnhostGrpc,
  agnhostLiveness,
  agnhostTestWebserver,
  defaultObservationTimeout,
  execHandler,
  goPod,
  type H,
  httpGetHandler,
  killGraces,
  MIN,
  probeHarness,
  probeTestInitialDelaySeconds,
  runLivenessTest,
  S,
  shell,
  tcpSocketHandler,
} from './e2e-container-probe-fixtures.js';

export interface LivenessCase {
  /** The ginkgo It text. */
  readonly name: string;
  readonly spec: string;
  /** Register the images, return the pod and the container RunLivenessTest watches. */
  readonly build: (h: H, sidecar: boolean) => { pod: Pod; container: string };
  readonly restarts: number;
  readonly timeoutMs: number;
  readonly restartsAt?: readonly number[];
  readonly check?: (h: H, container: string) => void;
}

const always = () => true;
/** busyBoxPodSpec / busyBoxSidecarPodSpec: container `busybox` running `files`' script. */
function busybox(h: H, sidecar: boolean, probes: { livenessProbe?: Probe }, files = {}, tgps?: number) {
  shell(h, 'busybox', files);
  return { pod: goPod('busybox', 'busybox', probes, { sidecar, ...(tgps ? { tgps } : {}) }), container: 'busybox' };
}
/** livenessPodSpec (`agnhost-container`) / livenessSidecarPodSpec (`sidecar`): agnhost liveness. */
function liveness(h: H, sidecar: boolean, livenessProbe: Probe) {
  const container = sidecar ? 'sidecar' : 'agnhost-container';
  agnhostLiveness(h, container);
  return { pod: goPod(container, 'agnhost', { livenessProbe }, { sidecar }), container };
}
/** startupPodSpec (`busybox`) / startupSidecarPodSpec (`sidecar`). */
function startup(h: H, sidecar: boolean, probes: { livenessProbe: Probe; startupProbe: Probe }, files = {}) {
  const container = sidecar ? 'sidecar' : 'busybox';
  shell(h, container, files);
  return { pod: goPod(container, 'busybox', probes, { sidecar }), container };
}
/** gRPCServerPodSpec / gRPCServerSidecarPodSpec: container `agnhost`. */
function grpc(h: H, sidecar: boolean, livenessProbe: Probe) {
  agnhostGrpc(h);
  h.runtime.onStop('agnhost', {});
  return { pod: goPod('agnhost', 'agnhost', { livenessProbe }, { sidecar }), container: 'agnhost' };
}
const health = { '/tmp/health': (t: number) => t < 10 * S };
const TGPS_TIMEOUT = 40 * S + defaultObservationTimeout;

export const LIVENESS_CASES: readonly LivenessCase[] = [
  {
    name: 'should be restarted with a exec "cat /tmp/health" liveness probe',
    spec: 'spec pod §6.1, §6.2 exec, §3.2',
    build: (h, sc) =>
      busybox(
        h,
        sc,
        {
          livenessProbe: {
            ...execHandler(['cat', '/tmp/health']),
            initialDelaySeconds: 15,
            timeoutSeconds: 5,
            failureThreshold: 1,
          },
        },
        health,
      ),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [50 * S], // probe at 20 s fails, SIGKILL 30 s later, first restart at once
  },
  {
    name: 'should *not* be restarted with a exec "cat /tmp/health" liveness probe',
    spec: 'spec pod §6.1, §6.2 exec',
    build: (h, sc) =>
      busybox(
        h,
        sc,
        {
          livenessProbe: {
            ...execHandler(['cat', '/tmp/health']),
            initialDelaySeconds: 15,
            timeoutSeconds: 5,
            failureThreshold: 1,
          },
        },
        { '/tmp/health': always },
      ),
    restarts: 0,
    timeoutMs: defaultObservationTimeout,
  },
  {
    name: 'should be restarted with a /healthz http liveness probe',
    spec: 'spec pod §6.1, §6.2 httpGet',
    build: (h, sc) =>
      liveness(h, sc, {
        ...httpGetHandler('/healthz', 8080),
        initialDelaySeconds: 15,
        failureThreshold: 1,
        ...(sc ? { timeoutSeconds: 5 } : {}),
      }),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [20 * S], // 500 at 20 s (> 10 s after start), agnhost exits on SIGTERM
  },
  {
    name: 'should *not* be restarted with a tcp:8080 liveness probe',
    spec: 'spec pod §6.2 tcpSocket',
    build: (h, sc) =>
      liveness(h, sc, {
        ...tcpSocketHandler(8080),
        initialDelaySeconds: 15,
        failureThreshold: 1,
        ...(sc ? { timeoutSeconds: 5 } : {}),
      }),
    restarts: 0,
    timeoutMs: defaultObservationTimeout,
  },
  {
    name: 'should have monotonically increasing restart count',
    spec: 'spec pod §6.1, §4.2',
    build: (h, sc) =>
      liveness(h, sc, { ...httpGetHandler('/healthz', 8080), initialDelaySeconds: 5, failureThreshold: 1 }),
    restarts: 5,
    timeoutMs: 2 * MIN + defaultObservationTimeout + 4 * 2 * MIN,
    // instants pinned by a case of their own in each port file (the back-off after probe kills)
  },
  {
    name: 'should *not* be restarted with a /healthz http liveness probe',
    spec: 'spec pod §6.2 httpGet',
    build: (h, sc) => {
      agnhostTestWebserver(h, 80);
      const livenessProbe = {
        ...httpGetHandler('/', 80),
        initialDelaySeconds: 15,
        timeoutSeconds: 5,
        failureThreshold: 5,
      };
      return {
        pod: goPod('test-webserver', 'agnhost', { livenessProbe }, { sidecar: sc }),
        container: 'test-webserver',
      };
    },
    restarts: 0,
    timeoutMs: defaultObservationTimeout,
  },
  {
    name: 'should be restarted with an exec liveness probe with timeout [MinimumKubeletVersion:1.20]',
    spec: 'spec pod §6.2 exec (timeout)',
    build: (h, sc) =>
      busybox(h, sc, {
        livenessProbe: {
          ...execHandler(['/bin/sh', '-c', 'sleep 10']),
          initialDelaySeconds: 15,
          timeoutSeconds: 1,
          failureThreshold: 1,
        },
      }),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [51 * S], // probe at 20 s times out at 21 s, SIGKILL 30 s later
  },
  {
    name: 'should be restarted with a failing exec liveness probe that took longer than the timeout',
    spec: 'spec pod §6.2 exec',
    build: (h, sc) =>
      busybox(h, sc, {
        livenessProbe: {
          ...execHandler(['/bin/sh', '-c', 'sleep 10 & exit 1']),
          initialDelaySeconds: 15,
          timeoutSeconds: 1,
          failureThreshold: 1,
        },
      }),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [50 * S],
  },
  {
    name: 'should be restarted with a local redirect http liveness probe',
    spec: 'spec pod §6.2 httpGet (same-host redirect followed)',
    build: (h, sc) =>
      liveness(h, sc, {
        ...httpGetHandler(`/redirect?loc=${encodeURIComponent('/healthz')}`, 8080),
        initialDelaySeconds: 15,
        failureThreshold: 1,
      }),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [20 * S],
  },
  {
    name: 'should *not* be restarted with a non-local redirect http liveness probe',
    spec: 'spec pod §6.2 httpGet (other host: 3xx is a warning), §6.3',
    build: (h, sc) =>
      liveness(h, sc, {
        ...httpGetHandler(`/redirect?loc=${encodeURIComponent('http://0.0.0.0/')}`, 8080),
        initialDelaySeconds: 15,
        failureThreshold: 1,
      }),
    restarts: 0,
    timeoutMs: defaultObservationTimeout,
    check: (h) => {
      const text = 'Probe terminated redirects, Response body: <a href="http://0.0.0.0/">Found</a>.';
      const warnings = h.events.filter((e) => e.reason === 'ProbeWarning' && e.message.includes(text));
      expect(warnings.length, 'a ProbeWarning event').toBeGreaterThan(0);
    },
  },
  {
    name: 'should be restarted startup probe fails',
    spec: 'spec pod §6.1 step 13, §3.2',
    build: (h, sc) =>
      startup(h, sc, {
        livenessProbe: { ...execHandler(['/bin/true']), initialDelaySeconds: 15, failureThreshold: 1 },
        startupProbe: { ...execHandler(['/bin/false']), initialDelaySeconds: 15, failureThreshold: 3 },
      }),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [70 * S], // failures at 20, 30, 40 s; SIGKILL at 70 s
  },
  {
    name: 'should *not* be restarted by liveness probe because startup probe delays it',
    spec: 'spec pod §6.1 step 9',
    build: (h, sc) =>
      startup(h, sc, {
        livenessProbe: { ...execHandler(['/bin/false']), initialDelaySeconds: 15, failureThreshold: 1 },
        startupProbe: { ...execHandler(['/bin/false']), initialDelaySeconds: 15, failureThreshold: 60 },
      }),
    restarts: 0,
    timeoutMs: defaultObservationTimeout,
  },
  {
    name: 'should be restarted by liveness probe after startup probe enables it',
    spec: 'spec pod §6.1 step 9',
    build: (h, sc) =>
      startup(
        h,
        sc,
        {
          livenessProbe: { ...execHandler(['/bin/false']), initialDelaySeconds: 15, failureThreshold: 1 },
          startupProbe: { ...execHandler(['cat', '/tmp/startup']), initialDelaySeconds: 15, failureThreshold: 60 },
        },
        { '/tmp/startup': (t: number) => t >= 10 * S },
      ),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    check: (h, container) => {
      const kill = h.events.find((e) => e.reason === 'Killing' && e.message.includes('failed liveness probe'));
      expect(kill?.message, 'killed by liveness').toContain(container);
      expect(
        h.events.some((e) => e.message.includes('failed startup probe')),
        'not by startup',
      ).toBe(false);
    },
  },
  {
    name: 'should override timeoutGracePeriodSeconds when LivenessProbe field is set',
    spec: 'spec pod §6.1 (kill grace), kubelet §4.2-C.1',
    build: (h, sc) =>
      busybox(
        h,
        sc,
        {
          livenessProbe: {
            ...httpGetHandler('/healthz', 8080),
            initialDelaySeconds: 10,
            failureThreshold: 1,
            terminationGracePeriodSeconds: 5,
          },
        },
        {},
        500,
      ),
    restarts: 1,
    timeoutMs: TGPS_TIMEOUT,
    restartsAt: [15 * S], // refused at 10 s, SIGKILL 5 s later (not 500)
    check: (h, c) => expect(killGraces(h, c)[0]).toBe(5 * S),
  },
  {
    name: 'should override timeoutGracePeriodSeconds when StartupProbe field is set',
    spec: 'spec pod §6.1 (kill grace), kubelet §4.2-C.1',
    build: (h, sc) => {
      const probes = {
        livenessProbe: { ...execHandler(['/bin/true']), initialDelaySeconds: 15, failureThreshold: 1 },
        startupProbe: {
          ...execHandler(['/bin/cat', '/tmp/startup']),
          initialDelaySeconds: 10,
          failureThreshold: 1,
          terminationGracePeriodSeconds: 5,
        },
      };
      return busybox(h, sc, probes, {}, 500);
    },
    restarts: 1,
    timeoutMs: TGPS_TIMEOUT,
    restartsAt: [15 * S],
    check: (h, c) => expect(killGraces(h, c)[0]).toBe(5 * S),
  },
  {
    name: 'should *not* be restarted with a GRPC liveness probe',
    spec: 'spec pod §6.2 grpc',
    build: (h, sc) =>
      grpc(h, sc, {
        grpc: { port: 5000 },
        initialDelaySeconds: probeTestInitialDelaySeconds,
        timeoutSeconds: 5,
        failureThreshold: 1,
      }),
    restarts: 0,
    timeoutMs: defaultObservationTimeout,
  },
  {
    name: 'should be restarted with a GRPC liveness probe',
    spec: 'spec pod §6.2 grpc',
    build: (h, sc) =>
      grpc(h, sc, {
        grpc: { port: 2333 },
        initialDelaySeconds: probeTestInitialDelaySeconds * 4,
        timeoutSeconds: 5,
        failureThreshold: 1,
      }),
    restarts: 1,
    timeoutMs: defaultObservationTimeout,
    restartsAt: [65 * S], // probe at 60 s never connects, times out at 65 s
  },
];

// The kubelet kills a liveness-failed container and starts its replacement in one SyncPod (kuberuntime_manager.go step 3 `killContainer`, step 8 `start` → `doBackOff(pod,
// spec.container, podStatus, backOff)`), and `podStatus` was taken before the kill: the newest
// Exited instance is the one *before* the killed one (k/k#22240). Each agnhost instance fails at
// +20 s: I1 killed at 20 s, nothing exited → start; at 40 s the exited one is I1 (20 s) → Next
// (10 s) → start; at 60 s I2 (40 s): 20 s ≥ 10 s → Next (20 s) → start; at 80 s I3 (60 s): 20 s ≥
// 20 s → Next (40 s) → start; at 100 s I4 (80 s): 20 s < 40 s → BackOff, requeued to 120 s, where
// I5 (100 s) is the exited one → back-off until 140 s → start (here the sync I5's exit triggers
// finds that at once: a second BackOff at 100 s). Measured from the killed instance's exit
// (`afterProbeKill: 'killedExit'`) the restarts would be at 20, 50, 90, 150, 250 s.
export async function monotonicRestartInstants(sidecar: boolean) {
  const h = probeHarness();
  const c = LIVENESS_CASES.find((x) => x.name === 'should have monotonically increasing restart count') as LivenessCase;
  const { pod, container } = c.build(h, sidecar);
  const at = await runLivenessTest(h, pod, container, 5, c.timeoutMs);
  expect(at.slice(0, 5), 'restart instants').toEqual([20 * S, 40 * S, 60 * S, 80 * S, 140 * S]);
  const firstBackOff = h.events.find((e) => e.reason === 'BackOff')?.timestamp;
  expect(firstBackOff, 'the first BackOff: in the sync that kills I5').toBe(100 * S);
}

/**
 * Shared fixtures of the ports of Kubernetes' e2e `test/e2e/common/node/container_probe.go`
 * (kubernetes/kubernetes @002c17be427a1761fa11f2476cf94ca574dec7dd): the e2e images as fakes on one
 * VirtualClock, the Go pod builders, and `RunLivenessTest` / `runReadinessFailTest` in virtual time.
 *
 * Images: busybox `sh -c` is PID 1 with no SIGTERM handler, so it ignores SIGTERM and dies by
 * SIGKILL at the end of the grace; its files (`/tmp/health`, `/tmp/startup`) are functions of the
 * time since the current instance started. agnhost (Go) exits on SIGTERM: `liveness` serves
 * `/healthz` on 8080 (200 while ≤ 10 s since start, then 500) and `/redirect?loc=` (302, Go's
 * `http.Redirect` body); `test-webserver` serves 200 on its port (80); `grpc-health-checking`
 * answers SERVING on 5000. Any other port is closed: HTTP and TCP are refused, and the kubelet's
 * blocking gRPC dial never connects (the probe timeout decides). `sleep 600` outlives every
 * observation window here, so main processes never exit by themselves.
 */
import { expect } from 'vitest';
import type { PodStatus } from '../../src/api/pod-status.js';
import type { Container, Pod, Probe } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { sleepOn } from '../../src/ports/clock.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeGrpcHealthChecker, FakeTcpDialer } from '../../src/testing/fake-probe-ports.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import type { StopScript } from '../../src/testing/fake-runtime-scripts.js';
import { failAlways, hangFrom, passAlways } from '../../src/testing/probe-scripts.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

export const S = 1_000;
export const MIN = 60 * S;
export const POD_IP = '10.244.0.9';
export const probeTestInitialDelaySeconds = 15;
export const defaultObservationTimeout = 4 * MIN;
/** framework.PodStartTimeout */
export const PodStartTimeout = 5 * MIN;

/** A manager with every probe port faked on one VirtualClock, recording events and statuses. */
export function probeHarness() {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const httpClient = new FakeHttpClient({ clock });
  const tcpDialer = new FakeTcpDialer({ clock, defaultScript: failAlways });
  const grpcHealthChecker = new FakeGrpcHealthChecker({ clock, defaultScript: hangFrom(0) });
  const manager = new LifecycleManager({ runtime, httpClient, clock, tcpDialer, grpcHealthChecker });
  const events: KubeEvent[] = [];
  const statuses: Array<{ at: number; status: PodStatus }> = [];
  manager.on('event', (e) => events.push(e));
  manager.on('podStatus', (_pod, status) => statuses.push({ at: clock.now(), status }));
  return { clock, runtime, httpClient, tcpDialer, grpcHealthChecker, manager, events, statuses };
}
export type H = ReturnType<typeof probeHarness>;

/** The current instance of `name`: when it started, and whether it has had SIGTERM. */
function instance(h: H, name: string) {
  const started = h.runtime.timeline.filter((e) => e.kind === 'started' && e.container === name).at(-1);
  const sigterm = h.runtime.timeline.some(
    (e) => e.kind === 'signal' && e.signal === 'SIGTERM' && e.containerId === started?.containerId,
  );
  return { startedAt: started?.at ?? h.clock.now(), sigterm };
}

/** A file of a container's filesystem: present given the time since start and whether SIGTERM came. */
export type FileRule = (sinceStartMs: number, sigterm: boolean) => boolean;
const ok = (stdout = '') => ({ exitCode: 0, stdout, stderr: '' });

/**
 * A shell container (busybox by default: SIGTERM ignored): `cat <file>`, `/bin/true`,
 * `/bin/false`, `sh -c "sleep 10"` (10 s, then 0) and `sh -c "sleep 10 & exit 1"` (1 at once).
 */
export function shell(h: H, name: string, files: Record<string, FileRule> = {}, stop: StopScript = { exitsOn: [] }) {
  h.runtime.onStop(name, stop);
  h.runtime.onExec(
    (_argv, ref) => ref.name === name,
    async (call) => {
      const [cmd, ...args] = call.argv;
      const { startedAt, sigterm } = instance(h, name);
      if ((cmd === 'cat' || cmd === '/bin/cat') && args.length === 1) {
        const path = args[0] as string;
        if (files[path]?.(call.at - startedAt, sigterm)) return ok('ok\n');
        return { exitCode: 1, stdout: '', stderr: `cat: can't open '${path}': No such file or directory\n` };
      }
      if (cmd === '/bin/true') return ok();
      if (cmd === '/bin/false') return { exitCode: 1, stdout: '', stderr: '' };
      if (cmd === '/bin/sh' && args[1] === 'sleep 10') {
        await sleepOn(h.clock, 10 * S, call.signal);
        return ok();
      }
      if (cmd === '/bin/sh' && args[1] === 'sleep 10 & exit 1') return { exitCode: 1, stdout: '', stderr: '' };
      throw new Error(`shell fixture: unknown command ${call.argv.join(' ')}`);
    },
  );
}

const portOf = (url: URL) => (url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port));

/** agnhost `liveness` in container `name`: `/healthz` and `/redirect` on 8080, TCP 8080 open. */
export function agnhostLiveness(h: H, name: string) {
  h.httpClient.route(
    (_r, url) => portOf(url) === 8080 && url.pathname === '/healthz',
    () => {
      const seconds = (h.clock.now() - instance(h, name).startedAt) / S;
      return seconds > 10 ? { status: 500, body: `error: ${seconds}` } : { status: 200, body: 'ok' };
    },
  );
  h.httpClient.route(
    (_r, url) => portOf(url) === 8080 && url.pathname === '/redirect',
    (request) => {
      const loc = new URL(request.url).searchParams.get('loc') ?? '';
      return { status: 302, headers: { location: loc }, body: `<a href="${loc}">Found</a>.\n\n` };
    },
  );
  h.tcpDialer.script('*', 8080, passAlways);
}

/** agnhost `test-webserver`: 200 on `/` at `port`. */
export function agnhostTestWebserver(h: H, port = 80) {
  h.httpClient.route((_r, url) => portOf(url) === port && url.pathname === '/', { status: 200, body: 'hello' });
}

/** agnhost `grpc-health-checking`: SERVING on 5000. */
export function agnhostGrpc(h: H) {
  h.grpcHealthChecker.script('*', 5000, '', passAlways);
}

export const execHandler = (command: string[]): Probe => ({ exec: { command } });
export const httpGetHandler = (path: string, port: number): Probe => ({ httpGet: { path, port } });
export const tcpSocketHandler = (port: number): Probe => ({ tcpSocket: { port } });
/** `webserverProbeBuilder`: httpGet `/` on 80 (81 when failing), initial delay 15 s when asked. */
export const webserverProbe = (o: { failing?: boolean; initialDelay?: boolean } = {}): Probe => ({
  ...httpGetHandler('/', o.failing ? 81 : 80),
  ...(o.initialDelay ? { initialDelaySeconds: probeTestInitialDelaySeconds } : {}),
});

export interface Probes {
  readinessProbe?: Probe | undefined;
  livenessProbe?: Probe | undefined;
  startupProbe?: Probe | undefined;
}
/** The Go pod builders: one container `name`, or (`sidecar`) a restartable init container `name` plus `main` (agnhost pause). */
export function goPod(name: string, image: string, probes: Probes, o: { sidecar?: boolean; tgps?: number } = {}): Pod {
  const probed: Container = { name, image, ...probes };
  const spec = o.sidecar
    ? { initContainers: [{ ...probed, restartPolicy: 'Always' }], containers: [{ name: 'main', image: 'agnhost' }] }
    : { containers: [probed] };
  return {
    metadata: { name: `${name}-pod`, namespace: 'default', uid: `uid-${name}` },
    spec: { ...spec, restartPolicy: 'Always', terminationGracePeriodSeconds: o.tgps ?? 30 },
    status: { podIP: POD_IP },
  };
}

export const allStatuses = (s: PodStatus) => [...s.initContainerStatuses, ...s.containerStatuses];
export const containerStatus = (s: PodStatus, name: string) => allStatuses(s).find((c) => c.name === name);
export const isReady = (s: PodStatus) => s.conditions.find((c) => c.type === 'Ready')?.status === 'True';
/** testutils.PodRunningReady */
export const podRunningReady = (s: PodStatus) => s.phase === 'Running' && isReady(s);
/** getRestartCount: the sum over init and regular containers. */
export const getRestartCount = (s: PodStatus) => allStatuses(s).reduce((n, c) => n + c.restartCount, 0);
/** Instants at which `name`'s restartCount grew, from every published status. */
export const restartsAt = (h: H, name: string) => {
  const out: number[] = [];
  let last = 0;
  for (const { at, status } of h.statuses) {
    const count = containerStatus(status, name)?.restartCount ?? 0;
    for (; last < count; last++) out.push(at);
  }
  return out;
};
/** SIGTERM → SIGKILL gaps of `name`'s kills, ms. */
export const killGraces = (h: H, name: string) => {
  const signals = h.runtime.timeline.filter((e) => e.kind === 'signal' && e.container === name);
  return signals
    .filter((e) => e.signal === 'SIGKILL')
    .map((k) => k.at - (signals.filter((e) => e.signal === 'SIGTERM' && e.containerId === k.containerId)[0]?.at ?? 0));
};

/** Advance 1 s at a time until `pred` holds on the pod status, at most `maxMs`; fail if it never does. */
export async function waitFor(h: H, pod: Pod, what: string, pred: (s: PodStatus) => boolean, maxMs: number) {
  const end = h.clock.now() + maxMs;
  while (!pred(h.manager.podStatus(pod)) && h.clock.now() < end) await h.clock.advance(S);
  expect(pred(h.manager.podStatus(pod)), what).toBe(true);
  return h.clock.now();
}

/** The DeferCleanup: delete with grace 0 and let it finish. */
export async function cleanup(h: H, pod: Pod) {
  const deleting = h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  await h.clock.advance(10 * S);
  await deleting;
}

/**
 * `runLivenessTest`: start the pod, wait until `containerName` is not waiting, then poll its
 * restartCount every 2 s until `timeoutMs` (+10 s per initial restart) or `expected` restarts;
 * the count must never go down; 0 expected → none seen, n → at least n. Returns the restart instants.
 */
export async function runLivenessTest(h: H, pod: Pod, containerName: string, expected: number, timeoutMs: number) {
  void h.manager.startPod(pod);
  const count = () => containerStatus(h.manager.podStatus(pod), containerName)?.restartCount ?? 0;
  const notWaiting = (s: PodStatus) => {
    const state = containerStatus(s, containerName)?.state;
    return state?.running !== undefined || state?.terminated !== undefined;
  };
  await waitFor(h, pod, 'container not waiting', notWaiting, timeoutMs);
  const initial = count();
  const deadline = h.clock.now() + timeoutMs + initial * 10 * S;
  let [last, observed] = [initial, 0];
  for (; h.clock.now() < deadline; await h.clock.advance(2 * S)) {
    const now = count();
    expect(now, 'Restart count should increment monotonically').toBeGreaterThanOrEqual(last);
    observed = now - initial;
    if (expected > 0 && observed >= expected) break;
    last = now;
  }
  if (expected === 0) expect(observed, 'restarts').toBe(0);
  else expect(observed, 'restarts').toBeGreaterThanOrEqual(expected);
  const at = restartsAt(h, containerName);
  await cleanup(h, pod);
  return at;
}

/** `runReadinessFailTest`: optionally wait for not Pending, then the pod is never Ready for `notReadyUntilMs`. */
export async function runReadinessFailTest(h: H, pod: Pod, notReadyUntilMs: number, waitForNotPending: boolean) {
  void h.manager.startPod(pod);
  if (waitForNotPending) await waitFor(h, pod, 'pod not Pending', (s) => s.phase !== 'Pending', PodStartTimeout);
  const from = h.clock.now();
  for (; h.clock.now() < from + notReadyUntilMs; await h.clock.advance(2 * S)) {
    expect(isReady(h.manager.podStatus(pod)), 'expected to be not ready').toBe(false);
  }
  expect(
    h.statuses.some(({ status }) => isReady(status)),
    'never Ready in any published status',
  ).toBe(false);
  await cleanup(h, pod);
}

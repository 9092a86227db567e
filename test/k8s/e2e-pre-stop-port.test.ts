/**
 * Port of kubernetes/kubernetes `test/e2e/node/pre_stop.go` (SIGDescribe "PreStop", stored copy
 * @054d429d9f8bc8de4fc82e6cf2281e12a13fe1f2; later copies only thread a `ctx` through) onto
 * `LifecycleManager` + FakeRuntime on a VirtualClock (virtual time only).
 *
 * The Go cluster in fakes:
 * - every pod gets a sandbox IP from `runPodSandbox` (the server pod's is `podOut.Status.PodIP`);
 * - agnhost `nettest` in the server pod: `POST /write` with `{"Source": "prestop"}` counts
 *   `Received["prestop"]`, `GET /read` (read through the API server's pod proxy) returns the state;
 *   it answers only while its container runs;
 * - the tester's preStop `wget -O- --post-data=… http://<ip>:8080/write` is an exec script that
 *   makes that POST (busybox wget exits 1 when it cannot connect);
 * - busybox `sleep 600` is PID 1 with no SIGTERM handler: it ignores SIGTERM (`exitsOn: []`) and
 *   dies by SIGKILL; nginx and agnhost exit on SIGTERM (FakeRuntime's default);
 * - the preStop `sh -c "while true; do echo preStop; sleep 1; done"` never ends (`hang`);
 * - `wait.Poll(5s, 60s)` polls on the virtual clock; the kubelet's `/pods` list is `podStatus`.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { drive } from './e2e-drive.js';

const S = 1_000;
const POD_IPS: Record<string, string> = { server: '10.244.0.10', tester: '10.244.0.11' };

class SandboxRuntime extends FakeRuntime {
  async runPodSandbox(pod: Pod): Promise<PodSandbox> {
    const name = pod.metadata?.name ?? '';
    return { id: `sb-${name}`, podIP: POD_IPS[name] ?? '10.244.0.99' };
  }
  async stopPodSandbox(): Promise<void> {}
}

function harness() {
  const clock = new VirtualClock({ startAt: Date.UTC(2025, 0, 1) });
  const runtime = new SandboxRuntime({ clock });
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
  return { clock, runtime, manager };
}
type H = ReturnType<typeof harness>;

/** `wait.Poll(interval, timeout, cond)`: the first check after one interval; the instant it held, or undefined. */
async function poll(h: H, intervalMs: number, timeoutMs: number, cond: () => boolean): Promise<number | undefined> {
  const start = h.clock.now();
  while (h.clock.now() - start < timeoutMs) {
    await h.clock.advance(intervalMs);
    if (cond()) return h.clock.now();
  }
  return undefined;
}

/** `e2epod.WaitForPodRunningInNamespace`: start the pod, wait until Running. */
async function createRunning(h: H, pod: Pod) {
  const status = await drive(h, h.manager.startPod(pod), 5 * 60 * S);
  expect(status.phase).toBe('Running');
  return status;
}

/** agnhost `nettest` in `server/server` (webserver.go `State`), reachable on `<ip>:8080` while it runs. */
function nettest(h: H) {
  const state = { Received: {} as Record<string, number> };
  const running = () => h.runtime.container('server/server')?.state === 'running';
  /** `wget -O- --post-data=<body> <url>`: exit 0 when the POST was served, 1 when refused. */
  h.runtime.onExec(
    (argv) => argv[0] === 'wget',
    ({ argv }) => {
      const body = argv.find((a) => a.startsWith('--post-data='))?.slice('--post-data='.length) ?? '';
      const url = new URL(argv[argv.length - 1] ?? '');
      if (url.host !== `${POD_IPS.server}:8080` || url.pathname !== '/write' || !running())
        return { exitCode: 1, stdout: '', stderr: `wget: can't connect to remote host (${url.hostname})` };
      const source = (JSON.parse(body) as { Source: string }).Source;
      state.Received[source] = (state.Received[source] ?? 0) + 1;
      return { exitCode: 0, stdout: '{}', stderr: '' };
    },
  );
  return state;
}

describe('[sig-node] PreStop (test/e2e/node/pre_stop.go)', () => {
  it('should call prestop when killing a pod [Conformance] (spec §4.2-C.5, §5.1; DeleteOptions{} → TGPS 30, spec §4.1)', async () => {
    const h = harness();
    const state = nettest(h);
    // NewAgnhostPod(ns, "server", nil, nil, [{ContainerPort: 8080}], "nettest")
    const server: Pod = {
      metadata: { name: 'server', namespace: 'prestop', uid: 'uid-server' },
      spec: { containers: [{ name: 'server', image: 'agnhost', args: ['nettest'], ports: [{ containerPort: 8080 }] }] },
    };
    const podOut = await createRunning(h, server);
    const podURL = `${podOut.podIP}:8080`; // net.JoinHostPort(podOut.Status.PodIP, "8080")
    const val = '{"Source": "prestop"}';
    const tester: Pod = {
      metadata: { name: 'tester', namespace: 'prestop', uid: 'uid-tester' },
      spec: {
        containers: [
          {
            name: 'tester',
            image: 'busybox',
            command: ['sleep', '600'],
            lifecycle: {
              preStop: { exec: { command: ['wget', '-O-', `--post-data=${val}`, `http://${podURL}/write`] } },
            },
          },
        ],
      },
    };
    h.runtime.onStop('tester', { exitsOn: [] }); // `sleep 600` as PID 1 ignores SIGTERM
    await createRunning(h, tester);

    const t0 = h.clock.now();
    const mark = h.runtime.timeline.length;
    const deleted = h.manager.deletePod(tester); // Delete(…, metav1.DeleteOptions{})
    // Validate that the server received the web poke: wait.Poll(5s, 60s) on the proxy's /read.
    const sawAt = await poll(h, 5 * S, 60 * S, () => (state.Received.prestop ?? 0) !== 0);
    expect(sawAt).toBeDefined();
    expect(sawAt! - t0).toBeLessThanOrEqual(60 * S);
    expect(state.Received).toEqual({ prestop: 1 });

    // Before the Pod is deleted the preStop ran, first thing, then the stop; the pod goes.
    const result = await drive(h, deleted);
    expect(result).toMatchObject({ deletionGracePeriodSeconds: 30, gracePeriodSeconds: 30 });
    const tl = h.runtime.timeline.slice(mark).filter((e) => e.podName === 'tester');
    expect(tl.map((e) => e.kind).slice(0, 3)).toEqual(['exec', 'exec-result', 'stop']);
    expect(tl[0]).toMatchObject({
      at: t0,
      argv: ['wget', '-O-', `--post-data=${val}`, 'http://10.244.0.10:8080/write'],
    });
    expect(tl[1]).toMatchObject({ exitCode: 0 });
    expect(result.containers[0]).toMatchObject({ preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 30 });
    expect(result.finishedAt - t0).toBe(30 * S); // SIGKILL at the grace: sleep ignored SIGTERM
  });

  it('graceful pod terminated should wait until preStop hook completes the process (spec §4.2-C.5, C.7; spec pod §5.1)', async () => {
    const h = harness();
    const gracefulTerminationPeriodSeconds = 30;
    // getPodWithpreStopLifeCycle(name): nginx, preStop loops forever
    const loop = ['sh', '-c', 'while true; do echo preStop; sleep 1; done'];
    h.runtime.onExec(loop, { hang: true });
    const pod: Pod = {
      metadata: { name: 'pod-prestop-hook', namespace: 'prestop', uid: 'uid-pod-prestop-hook' },
      spec: { containers: [{ name: 'nginx', image: 'nginx', lifecycle: { preStop: { exec: { command: loop } } } }] },
    };
    await createRunning(h, pod);

    const t0 = h.clock.now();
    const mark = h.runtime.timeline.length;
    const deleted = h.manager.deletePod(pod, { gracePeriodSeconds: gracefulTerminationPeriodSeconds });
    // wait for less than the gracePeriod termination ensuring the preStop hook is still executing
    await h.clock.advance(15 * S);
    // verifying the pod is running while in the graceful period termination: the kubelet's /pods
    const runningAt = await poll(h, 5 * S, 60 * S, () => h.manager.podStatus(pod).phase === 'Running');
    expect(runningAt).toBe(t0 + 20 * S); // the first check, 15 s + one 5 s interval
    const nginx = h.manager.podStatus(pod).containerStatuses[0];
    expect(nginx?.state.running).toBeDefined();
    // the hook is still executing: an exec with no result yet, and no stop signal
    const kinds = h.runtime.timeline.slice(mark).map((e) => e.kind);
    expect(kinds).toEqual(['exec']);

    // The kubelet waits for it up to the grace (30 s), then gives the 2 s minimum (spec §4.2-C.7).
    const result = await drive(h, deleted);
    expect(result.containers[0]).toMatchObject({ preStop: { outcome: 'timedOut' }, stopTimeoutSeconds: 2 });
    const stop = h.runtime.timeline.find((e) => e.kind === 'stop' && e.podName === 'pod-prestop-hook');
    expect(stop?.at).toBe(t0 + 30 * S);
  });
});

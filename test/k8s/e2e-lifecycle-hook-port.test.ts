/**
 * Port of the hook half of Kubernetes' e2e `test/e2e/common/node/lifecycle_hook.go` ([E2E]):
 * "Container Lifecycle Hook" and "Restartable Init Container Lifecycle Hook" (exec, http, https
 * postStart/preStop), in virtual time. Source: kubernetes/kubernetes
 * @008b3652959ca58af8be3fb5b6ecfe9ae7638282 (≥1.34: `netexecConnect`, conformance sleep cases).
 * The sleep, zero-sleep and StopSignal cases are in e2e-lifecycle-hook-sleep-port.test.ts.
 *
 * The Go cluster in fakes: each pod gets a sandbox IP (`runPodSandbox`); agnhost `netexec`
 * servers are FakeHttpClient routes on `<podIP>:8080` that answer only while their container runs.
 * The handler pod's log is the list of requests it served (`MatchContainerOutput`); `/dial` makes
 * the request it names; the TLS sidecar (`--tls-cert-file`) answers only https. The exec hook
 * `sh -c "curl …"` is an exec script doing that GET (curl exit 7 when refused). `pause`/`agnhost`
 * main processes run until SIGTERM (FakeRuntime's default). CreateSync = `startPod` until Running;
 * DeleteSync(15) = `deletePod({ gracePeriodSeconds: 15 })` within `f.Timeouts.PodDelete` (5 min);
 * the Eventually checks (2 min / 30 s) read the log once the call returns. Not modelled: node
 * affinity, IPv6 bracketing of `targetURL` (IPv4 pod IPs here).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Lifecycle, Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { LifecycleManagerOptions } from '../../src/manager/options.js';
import type { HttpResponse } from '../../src/ports/http-client.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { createSync, drive } from './e2e-drive.js';

const S = 1_000;
const PAUSE = 'registry.k8s.io/pause:3.10';
const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
const HANDLER_POD = 'pod-handle-http-request';
const HANDLER_CONTAINER = 'container-handle-http-request';
const POD_DELETE_TIMEOUT = 5 * 60 * S;

/** Pod IPs: the handler pod's and the test pod's. */
const IPS: Record<string, string> = { [HANDLER_POD]: '10.244.0.10' };
const TEST_POD_IP = '10.244.0.20';

class SandboxRuntime extends FakeRuntime {
  async runPodSandbox(pod: Pod): Promise<PodSandbox> {
    const name = pod.metadata?.name ?? '';
    return { id: `sb-${name}`, podIP: IPS[name] ?? TEST_POD_IP };
  }
  async stopPodSandbox(): Promise<void> {}
}

function harness(options: Partial<LifecycleManagerOptions> = {}) {
  const clock = new VirtualClock();
  const runtime = new SandboxRuntime({ clock });
  const httpClient = new FakeHttpClient({ clock });
  const manager = new LifecycleManager({ runtime, httpClient, clock, ...options });
  const events: KubeEvent[] = [];
  manager.on('event', (e) => events.push(e));
  /** What the handler pod's netexec logged (`GET /echo?msg=…`). */
  const handlerLog: string[] = [];
  return { clock, runtime, httpClient, manager, events, handlerLog };
}
type H = ReturnType<typeof harness>;

const running = (h: H, pod: string, container: string) =>
  h.runtime.container(`${pod}/${container}`)?.state === 'running';
const refused = (url: string) =>
  Object.assign(new Error(`Get "${url}": dial tcp: connect: connection refused`), { code: 'ECONNREFUSED' });

/** agnhost netexec in `pod/container` on `<ip>:8080` (`/echo`, `/dial`), optionally TLS only. */
function netexec(h: H, ip: string, pod: string, container: string, tls = false, log?: string[]) {
  h.httpClient.route(`${ip}:8080`, async (request, { signal }): Promise<HttpResponse> => {
    const url = new URL(request.url);
    if (!running(h, pod, container)) throw refused(request.url);
    if (tls !== (url.protocol === 'https:')) {
      if (tls) return { status: 400 }; // "Client sent an HTTP request to an HTTPS server."
      throw Object.assign(new Error(`Get "${request.url}": http: server gave HTTP response to HTTPS client`), {
        code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT',
      });
    }
    log?.push(`GET ${url.pathname}${url.search}`);
    if (url.pathname !== '/dial') return { status: 200 };
    const q = url.searchParams;
    const target = `http://${q.get('host')}:${q.get('port')}/${q.get('request')}`;
    await h.httpClient.request({ method: 'GET', url: target, headers: [] }, { signal });
    return { status: 200 };
  });
}

/** `sh -c "curl <url>"` in a container: one GET through the network; exit 7 when refused. */
function curl(h: H) {
  h.runtime.onExec(
    (argv) => argv[0] === 'sh' && argv[1] === '-c' && argv[2]?.startsWith('curl ') === true,
    async ({ argv, signal }) => {
      const url = argv[2]!.slice('curl '.length);
      try {
        await h.httpClient.request({ method: 'GET', url, headers: [] }, { signal });
        return { exitCode: 0, stdout: '', stderr: '' };
      } catch {
        return { exitCode: 7, stdout: '', stderr: `curl: (7) Failed to connect to ${url}` };
      }
    },
  );
}

function getPodWithHook(name: string, image: string, lifecycle: Lifecycle): Pod {
  return {
    metadata: { name, namespace: 'e2e', uid: `uid-${name}` },
    spec: { containers: [{ name, image, lifecycle }] },
  };
}

function getSidecarPodWithHook(name: string, image: string, lifecycle: Lifecycle): Pod {
  return {
    metadata: { name, namespace: 'e2e', uid: `uid-${name}` },
    spec: {
      initContainers: [{ name, image, lifecycle, restartPolicy: 'Always' }],
      containers: [{ name: 'main', image: PAUSE }],
    },
  };
}

type Hook = 'postStart' | 'preStop';
type Handler = 'exec' | 'http' | 'https';
const HOOK_CASES: Array<[string, string, Hook, Handler]> = [
  ['should execute poststart exec hook properly', 'spec §3.1, §5.1', 'postStart', 'exec'],
  ['should execute prestop exec hook properly', 'spec §4.2-C.5, §5.1', 'preStop', 'exec'],
  ['should execute poststart http hook properly', 'spec §3.1, §5.2', 'postStart', 'http'],
  ['should execute poststart https hook properly', 'spec §3.1, §5.2 Scheme', 'postStart', 'https'],
  ['should execute prestop http hook properly', 'spec §4.2-C.5, §5.2', 'preStop', 'http'],
  ['should execute prestop https hook properly', 'spec §4.2-C.5, §5.2 Scheme', 'preStop', 'https'],
];

/** `netexecConnect(target, req)`. */
const netexecConnect = (target: string, req: string) =>
  `/dial?host=${target}&port=8080&request=${encodeURIComponent(req.replace(/^\/+/, '')).replace(/%20/g, '+')}`;

function hookCase(hook: Hook, handler: Handler, sidecar: boolean): { pod: Pod; hookUrl?: string } {
  const msg = hook === 'postStart' ? 'poststart' : 'prestop';
  const targetIP = IPS[HANDLER_POD]!;
  const action =
    handler === 'exec'
      ? { exec: { command: ['sh', '-c', `curl http://${targetIP}:8080/echo?msg=${msg}`] } }
      : {
          httpGet: {
            path: netexecConnect(targetIP, `/echo?msg=${msg}`),
            port: 8080,
            ...(handler === 'https' ? { scheme: 'HTTPS' } : {}),
          },
        };
  const name = `pod-with-${msg}-${handler}-hook`;
  const image = handler === 'exec' ? AGNHOST : PAUSE;
  const pod = (sidecar ? getSidecarPodWithHook : getPodWithHook)(name, image, { [hook]: action });
  const path = netexecConnect(targetIP, `/echo?msg=${msg}`);
  return handler === 'exec' ? { pod } : { pod, hookUrl: `${handler}://${TEST_POD_IP}:8080${path}` };
}

/** `testPodWithHook`: prepend the `container-redirect` netexec sidecar, create, check, delete (15 s), check. */
async function testPodWithHook(h: H, podWithHook: Pod, hook: Hook, hookUrl: string | undefined) {
  const scheme = hookUrl?.startsWith('https:') ? 'HTTPS' : 'HTTP';
  netexec(h, TEST_POD_IP, podWithHook.metadata!.name!, 'container-redirect', scheme === 'HTTPS');
  const sidecarContainer: Container = {
    name: 'container-redirect',
    image: AGNHOST,
    args: ['netexec', '--udp-port', '-1'],
    restartPolicy: 'Always',
    startupProbe: { httpGet: { scheme, path: '/echo?msg=startup', port: 8080 } },
  };
  const spec = podWithHook.spec!;
  const pod: Pod = {
    ...podWithHook,
    spec: { ...spec, initContainers: [sidecarContainer, ...(spec.initContainers ?? [])] },
  };
  await createSync(h, pod);
  if (hook === 'postStart') expect(h.handlerLog).toContainEqual(expect.stringMatching(/GET \/echo\?msg=poststart/));
  const t0 = h.clock.now();
  const result = await drive(h, h.manager.deletePod(pod, { gracePeriodSeconds: 15 }), POD_DELETE_TIMEOUT);
  expect(result.finishedAt - t0).toBeLessThanOrEqual(POD_DELETE_TIMEOUT);
  if (hook === 'preStop') expect(h.handlerLog).toContainEqual(expect.stringMatching(/GET \/echo\?msg=prestop/));
  if (hookUrl !== undefined) expect(h.httpClient.requests.map((r) => r.request.url)).toContain(hookUrl);
  expect(h.events.filter((e) => e.reason.startsWith('Failed')).map((e) => e.reason)).toEqual([]);
}

/** BeforeEach: create the handler pod (agnhost netexec) and read its IP. */
async function withHandlerPod(h: H) {
  netexec(h, IPS[HANDLER_POD]!, HANDLER_POD, HANDLER_CONTAINER, false, h.handlerLog);
  curl(h);
  const handler: Pod = {
    metadata: { name: HANDLER_POD, namespace: 'e2e', uid: 'uid-handler' },
    spec: { containers: [{ name: HANDLER_CONTAINER, image: AGNHOST, args: ['netexec'] }] },
  };
  expect((await createSync(h, handler)).podIP).toBe(IPS[HANDLER_POD]);
}

describe('[E2E] Container Lifecycle Hook / when create a pod with lifecycle hook (spec §3, §4.2-C.5, §5.1, §5.2)', () => {
  it.each(HOOK_CASES)('%s (%s)', async (_goName, _spec, hook, handler) => {
    const h = harness();
    await withHandlerPod(h);
    const { pod, hookUrl } = hookCase(hook, handler, false);
    await testPodWithHook(h, pod, hook, hookUrl);
  });
});

describe('[E2E] Restartable Init Container Lifecycle Hook / when create a pod with lifecycle hook (spec §3.2, §4.2-C.6, §5)', () => {
  it.each(HOOK_CASES)('%s (%s)', async (_goName, _spec, hook, handler) => {
    const h = harness();
    await withHandlerPod(h);
    const { pod, hookUrl } = hookCase(hook, handler, true);
    await testPodWithHook(h, pod, hook, hookUrl);
  });
});

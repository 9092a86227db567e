/**
 * Port of `pkg/kubelet/lifecycle/handlers_test.go` ([HT]) cases that test/hooks does not already
 * pin through `handlerRunner.Run`. Source: the newest stored copy with the sleep handler and the
 * HTTPS fallback (find_string id 52349694872: `SetFeatureGateDuringTest` without `defer` and the
 * static-pod admission tests, so ≥1.31); no newer stored copy was found. Expectations are read
 * against the ≥1.35 `handlers.go` the spec describes (spec §5, [H]).
 *
 * Mapping: Go's `fakeHTTP.Do` records `req.URL.String()` and `req.Header` → the testing kit's
 * FakeHttpClient records the request the runner sent (headers compared as Go's `http.Header` map);
 * `stubPodStatusProvider(ip)` → `pod.status.podIP`; `context.WithTimeout(d)` → a signal aborted with
 * a `TimeoutError` after `d` on the VirtualClock. Go's unit binary has no version, so its
 * User-Agent is `kube-lifecycle/.`; here it is `kube-lifecycle/<kubeletVersion>`.
 *
 * Already ported in test/hooks (not repeated): TestResolvePort, TestRunHandlerExec,
 * TestRunHandlerNil, TestRunHandlerExecFailure, TestRunHandlerHttpFailure, the runner-level
 * TestRunHandlerHttpsFailureFallback; TestIsHTTPResponseError is the NodeHttpClient's (test/node).
 * No equivalent: the `kubelet_lifecycle_handler_http_fallbacks_total` metric (no metrics here);
 * TestRejectStaticPodAdmission* (admission, not hooks).
 */
import { describe, expect, it } from 'vitest';
import type { HTTPGetAction, LifecycleHandler, Pod } from '../../src/api/types.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { runHandler } from '../../src/hooks/index.js';
import type { HandlerRunContext } from '../../src/hooks/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { HttpRequest } from '../../src/ports/http-client.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const UA = 'kube-lifecycle/1.35';
const container = { name: 'containerFoo', ports: [{ name: 'quux', containerPort: 8080 }] };

function goPod(podIP: string | undefined): Pod {
  return {
    metadata: { name: 'podFoo', namespace: 'nsFoo', uid: 'foo-bar-quux' },
    spec: { containers: [container] },
    status: podIP === undefined ? {} : { podIP, podIPs: [{ ip: podIP }] },
  };
}

/** `handlerRunner.Run(ctx, containerID, &pod, &container, handler)` on the testing kit's fakes. */
async function run(handler: LifecycleHandler, options: { podIP?: string; signal?: AbortSignal; clock?: VirtualClock }) {
  const clock = options.clock ?? new VirtualClock();
  const http = new FakeHttpClient({ clock, unmatched: { status: 200 } });
  const events: Array<Omit<KubeEvent, 'timestamp'>> = [];
  const ctx: HandlerRunContext = {
    pod: goPod(options.podIP),
    container,
    ref: { id: 'abc1234', name: container.name, podName: 'podFoo', podNamespace: 'nsFoo', podUID: 'foo-bar-quux' },
    hook: 'PostStart',
    runtime: new FakeRuntime({ clock }) as Runtime,
    httpClient: http,
    clock,
    kubeletVersion: '1.35',
    policy: kubernetesPolicy,
    signal: options.signal ?? new AbortController().signal,
    emit: (e) => events.push(e),
  };
  const outcome = await runHandler(handler, ctx);
  return { outcome, requests: http.requests.map((r) => r.request), events };
}

/** Go's `req.Header`: canonical name → values, in the order added. */
function headerMap(request: HttpRequest | undefined): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [name, value] of request?.headers ?? []) map[name] = [...(map[name] ?? []), value];
  return map;
}

const defaults = { Accept: ['*/*'], 'User-Agent': [UA] };

describe('TestRunHTTPHandler [HT] "consistent" through handlerRunner.Run (spec §5.2)', () => {
  it.each<[string, string, HTTPGetAction, string, Record<string, string[]>]>([
    [
      'missing pod IP',
      '',
      { path: 'foo', port: '42', host: 'example.test', scheme: 'http', httpHeaders: [] },
      'http://example.test:42/foo',
      defaults,
    ],
    [
      'missing host',
      '233.252.0.1',
      { path: 'foo', port: '42', scheme: 'http', httpHeaders: [] },
      'http://233.252.0.1:42/foo',
      defaults,
    ],
    [
      'path with leading slash',
      '233.252.0.1',
      { path: '/foo', port: '42', scheme: 'http' },
      'http://233.252.0.1:42/foo',
      defaults,
    ],
    [
      'path without leading slash',
      '233.252.0.1',
      { path: 'foo', port: '42', scheme: 'http' },
      'http://233.252.0.1:42/foo',
      defaults,
    ],
    [
      'port resolution',
      '233.252.0.1',
      { path: 'foo', port: 'quux', scheme: 'http' },
      'http://233.252.0.1:8080/foo',
      defaults,
    ],
    ['https', '233.252.0.1', { path: 'foo', port: '4430', scheme: 'https' }, 'https://233.252.0.1:4430/foo', defaults],
    [
      'query param',
      '233.252.0.1',
      { path: 'foo?k=v', port: '80', scheme: 'http' },
      'http://233.252.0.1:80/foo?k=v',
      defaults,
    ],
    [
      'fragment',
      '233.252.0.1',
      { path: 'foo#frag', port: '80', scheme: 'http' },
      'http://233.252.0.1:80/foo#frag',
      defaults,
    ],
    [
      'headers',
      '233.252.0.1',
      { path: 'foo', port: '80', scheme: 'http', httpHeaders: [{ name: 'Foo', value: 'bar' }] },
      'http://233.252.0.1:80/foo',
      { ...defaults, Foo: ['bar'] },
    ],
    [
      'host header',
      '233.252.0.1',
      {
        host: 'example.test',
        path: 'foo',
        port: '80',
        scheme: 'http',
        httpHeaders: [{ name: 'Host', value: 'from.header' }],
      },
      'http://example.test:80/foo',
      { ...defaults, Host: ['from.header'] },
    ],
  ])('TestRunHTTPHandler "%s"', async (_name, podIP, httpGet, url, headers) => {
    const { outcome, requests } = await run({ httpGet }, podIP === '' ? {} : { podIP });
    expect(outcome).toEqual({ ok: true });
    expect(requests.map((r) => [r.method, r.url])).toEqual([['GET', url]]);
    expect(headerMap(requests[0])).toEqual(headers);
  });

  it('TestRunHTTPHandler "unknown scheme": the URL is baz://233.252.0.1:80/foo; Go\'s real client refuses it, so Run fails (spec §5.2 Scheme)', async () => {
    // Go's fake Doer accepts any scheme; http.Client.Do answers `unsupported protocol scheme "baz"`.
    const { outcome, requests } = await run(
      { httpGet: { path: 'foo', port: '80', scheme: 'baz' } },
      { podIP: '233.252.0.1' },
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: 'Get "baz://233.252.0.1:80/foo": unsupported protocol scheme "baz"',
    });
    expect(requests).toEqual([]);
  });
});

describe('TestRunHandlerHttp* / TestRunHandlerHTTPPort [HT] (spec §5.2)', () => {
  it('TestRunHandlerHttp: host foo, port 8080, path bar → GET http://foo:8080/bar, no error', async () => {
    const { outcome, requests } = await run(
      { httpGet: { host: 'foo', port: 8080, path: 'bar' } },
      { podIP: '127.0.0.1' },
    );
    expect(outcome).toEqual({ ok: true });
    expect(requests.map((r) => r.url)).toEqual(['http://foo:8080/bar']);
  });

  it('TestRunHandlerHttpWithHeaders: path /bar with header Foo: bar → http://foo:8080/bar carrying Foo [bar]', async () => {
    const httpGet = { host: 'foo', port: 8080, path: '/bar', httpHeaders: [{ name: 'Foo', value: 'bar' }] };
    const { outcome, requests } = await run({ httpGet }, { podIP: '127.0.0.1' });
    expect(outcome).toEqual({ ok: true });
    expect(requests.map((r) => r.url)).toEqual(['http://foo:8080/bar']);
    expect(headerMap(requests[0]).Foo).toEqual(['bar']);
  });

  it('TestRunHandlerHttps "consistent" / TestRunHandlerHTTPPort "consistent/with port": scheme HTTPS, port "70" → https://foo:70/bar', async () => {
    const { outcome, requests } = await run({ httpGet: { scheme: 'HTTPS', host: 'foo', port: '70', path: 'bar' } }, {});
    expect(outcome).toEqual({ ok: true });
    expect(requests.map((r) => r.url)).toEqual(['https://foo:70/bar']);
  });

  it('TestRunHandlerHTTPPort "consistent/without port": port "" is an error and no request is made (spec §5.2 Port)', async () => {
    const { outcome, requests } = await run({ httpGet: { scheme: 'HTTPS', host: 'foo', port: '', path: 'bar' } }, {});
    expect(outcome).toMatchObject({ ok: false, error: 'strconv.Atoi: parsing "": invalid syntax' });
    expect(requests).toEqual([]);
  });
});

describe('TestRunSleepHandler [HT] (spec §5.3)', () => {
  /** `context.WithTimeout(ctx, tgps)` on the virtual clock. */
  function withTimeout(clock: VirtualClock, seconds: number): AbortSignal {
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), seconds * 1000);
    return controller.signal;
  }

  it('TestRunSleepHandler "valid seconds": sleep 5 within a 30 s context succeeds after 5 s', async () => {
    const clock = new VirtualClock();
    const pending = run({ sleep: { seconds: 5 } }, { clock, signal: withTimeout(clock, 30) });
    let at = -1;
    void pending.then(() => (at = clock.now()));
    await clock.advance(30_000);
    expect((await pending).outcome).toEqual({ ok: true });
    expect(at).toBe(5_000);
  });

  it('TestRunSleepHandler "longer than TerminationGracePeriodSeconds": sleep 3 with a 2 s context fails at 2 s with the kubelet error', async () => {
    const clock = new VirtualClock();
    const pending = run({ sleep: { seconds: 3 } }, { clock, signal: withTimeout(clock, 2) });
    let at = -1;
    void pending.then(() => (at = clock.now()));
    await clock.advance(3_000);
    expect((await pending).outcome).toMatchObject({
      ok: false,
      error: 'container terminated before sleep hook finished',
    });
    expect(at).toBe(2_000);
  });
});

describe('TestRunSleepHandler "longer than TerminationGracePeriodSeconds" at the kubelet level (spec §4.2-C.5, §5.3)', () => {
  it('a preStop sleep 3 under a 2 s grace: the kubelet stops waiting at 2 s (stop timeout 2), the sleep is not cancelled, no FailedPreStopHook', async () => {
    // killContainer runs the hook on a context that is never cancelled (k/k#113606) and stops
    // waiting when the grace timer fires: the handler error of the unit test never reaches an event.
    const clock = new VirtualClock();
    const runtime = new FakeRuntime({ clock });
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
    const events: KubeEvent[] = [];
    manager.on('event', (e) => events.push(e));
    const pod: Pod = {
      metadata: { name: 'pod-foo', namespace: 'ns-foo', uid: 'foo-bar-quux' },
      spec: {
        containers: [{ name: 'container-foo', image: 'busybox', lifecycle: { preStop: { sleep: { seconds: 3 } } } }],
      },
    };
    await manager.startPod(pod);
    const deleting = manager.deletePod(pod, { gracePeriodSeconds: 2 });
    await clock.advance(10_000);
    const result = await deleting;
    expect(result.containers[0]).toMatchObject({
      preStop: { outcome: 'timedOut', elapsedMs: 2_000 },
      stopTimeoutSeconds: 2,
      exitedAt: 2_000,
    });
    expect(events.map((e) => e.reason)).not.toContain('FailedPreStopHook');
  });
});

describe('TestRunHandlerHttpsFailureFallback [HT] through the manager (spec §5.2 HTTPS→HTTP fallback, §7)', () => {
  it('an HTTPS postStart answered in plain HTTP is retried over http without Authorization; success, one Warning LifecycleHTTPFallback on the Pod', async () => {
    const clock = new VirtualClock();
    const http = new FakeHttpClient({ clock }).route('127.0.0.1:8443', { plainHttp: true });
    const manager = new LifecycleManager({ runtime: new FakeRuntime({ clock }), httpClient: http, clock });
    const events: KubeEvent[] = [];
    manager.on('event', (e) => events.push(e));
    const httpGet = {
      scheme: 'HTTPS',
      host: '127.0.0.1',
      port: 8443,
      path: 'bar',
      httpHeaders: [{ name: 'Authorization', value: 'secret' }],
    };
    // Go's podFoo/containerFoo are not valid API names, and the manager validates pods (DESIGN §6).
    const pod: Pod = {
      metadata: { name: 'pod-foo', namespace: 'ns-foo', uid: 'foo-bar-quux' },
      spec: { containers: [{ name: 'container-foo', image: 'busybox', lifecycle: { postStart: { httpGet } } }] },
    };
    const result = await manager.startContainer(pod, 'container-foo');
    expect(result).toMatchObject({ postStart: { outcome: 'succeeded' } });
    expect(http.requests.map((r) => [r.request.url, headerMap(r.request).Authorization])).toEqual([
      ['https://127.0.0.1:8443/bar', ['secret']],
      ['http://127.0.0.1:8443/bar', undefined],
    ]);
    expect(
      events.filter((e) => e.reason === 'LifecycleHTTPFallback').map((e) => [e.type, e.object, e.message]),
    ).toEqual([
      [
        'Warning',
        { kind: 'Pod', name: 'pod-foo', namespace: 'ns-foo' },
        'request to HTTPS lifecycle hook 127.0.0.1:8443 got HTTP response, retry with HTTP succeeded',
      ],
    ]);
    expect(events.some((e) => e.reason === 'FailedPostStartHook')).toBe(false);
  });
});

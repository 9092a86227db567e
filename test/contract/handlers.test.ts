import { describe, expect, it } from 'vitest';
import {
  buildHttpGetRequest,
  type Container,
  formatPodDesc,
  HTTP_RESPONSE_TO_HTTPS_CLIENT,
  type HTTPGetAction,
  type Pod,
} from '../../src/index.js';
import { HttpRequestError } from '../../src/node/index.js';
import { drive, execAfter, harness, makePod } from './helpers.js';

function httpPod(httpGet: HTTPGetAction, extra: Partial<Container> = {}, podIP = '10.0.0.7'): Pod {
  return makePod({ podIP, containers: [{ name: 'web', lifecycle: { preStop: { httpGet } }, ...extra }] });
}

async function runPreStop(h: ReturnType<typeof harness>, pod: Pod) {
  await drive(h.clock, h.manager.startContainer(pod, 'web'));
  return drive(h.clock, h.manager.stopContainer(pod, 'web'));
}

const header = (headers: Array<[string, string]>, name: string) =>
  headers.filter(([k]) => k === name).map(([, v]) => v);

describe('spec §5.1 exec handler', () => {
  it('failure message: command %v, CRI error with stderr, output = stdout then stderr %q', async () => {
    const h = harness();
    h.runtime.onExec('a b', () => Promise.resolve({ exitCode: 1, stdout: 'x\ty', stderr: 'fail\n' }));
    const pod = makePod({
      name: 'p',
      namespace: 'ns',
      uid: 'uid',
      containers: [{ name: 'c', lifecycle: { preStop: { exec: { command: ['a', 'b'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'c'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'c'));
    expect(result.preStop.message).toBe(
      'Exec lifecycle hook ([a b]) for Container "c" in Pod "p_ns(uid)" failed - error: command \'a b\' exited with 1: fail\n, message: "x\\tyfail\\n"',
    );
  });

  it('a runtime error passes through unchanged; no output → message: "" (spec §5.1)', async () => {
    const h = harness();
    h.runtime.onExec('a b', () => Promise.reject(new Error('rpc error: code = NotFound desc = container not found')));
    const pod = makePod({
      name: 'p',
      namespace: 'ns',
      uid: 'uid',
      containers: [{ name: 'c', lifecycle: { preStop: { exec: { command: ['a', 'b'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'c'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'c'));
    expect(result.preStop.message).toBe(
      'Exec lifecycle hook ([a b]) for Container "c" in Pod "p_ns(uid)" failed - error: rpc error: code = NotFound desc = container not found, message: ""',
    );
  });

  it('argv is passed as is, without a shell (spec §1.1 ExecAction)', async () => {
    const h = harness();
    const pod = makePod({
      containers: [
        { name: 'web', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo $HOME; exit 0', ''] } } } },
      ],
    });
    await runPreStop(h, pod);
    expect(h.runtime.of('exec')[0]?.argv).toEqual(['sh', '-c', 'echo $HOME; exit 0', '']);
  });

  it('output is Go %q-escaped: printable Unicode kept, control and non-printable runes escaped (spec §5.1)', async () => {
    const h = harness();
    h.runtime.onExec('x', () =>
      Promise.resolve({ exitCode: 1, stdout: 'é😀\x00\x7f\x1b\r', stderr: '\u00a0\u200b\\' }),
    );
    const pod = makePod({
      name: 'p',
      namespace: 'ns',
      uid: 'uid',
      containers: [{ name: 'c', lifecycle: { preStop: { exec: { command: ['x'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'c'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'c'));
    expect(result.preStop.message?.endsWith(', message: "é😀\\x00\\x7f\\x1b\\r\\u00a0\\u200b\\\\"')).toBe(true);
  });

  it('formatPodDesc is <name>_<namespace>(<uid>) (spec §5, [FMT])', () => {
    expect(formatPodDesc({ metadata: { name: 'web', namespace: 'default', uid: 'u1' } })).toBe('web_default(u1)');
  });
});

describe('spec §5.2 httpGet handler', () => {
  it('URL from the first pod IP, named port resolved through the container ports', async () => {
    const h = harness();
    const pod = httpPod(
      { port: 'http-admin', path: '/drain' },
      {
        ports: [
          { name: 'other', containerPort: 1 },
          { name: 'http-admin', containerPort: 9090 },
        ],
      },
    );
    await runPreStop(h, pod);
    expect(h.http.requests.map((r) => r.url)).toEqual(['http://10.0.0.7:9090/drain']);
  });

  it('the first of status.podIPs is used when podIP is absent', () => {
    const built = buildHttpGetRequest(
      { port: 80, path: '/' },
      { name: 'web' },
      {
        metadata: { name: 'p' },
        spec: { containers: [] },
        status: { podIPs: [{ ip: '10.1.1.1' }, { ip: 'fd00::1' }] },
      },
      '1.35',
    );
    expect(built.ok && built.request.url).toBe('http://10.1.1.1:80/');
  });

  it('httpGet.host overrides the pod IP; IPv6 hosts are bracketed', () => {
    const a = buildHttpGetRequest(
      { port: 8080, path: '/x', host: 'example.com' },
      { name: 'web' },
      httpPod({ port: 1 }),
      '1.35',
    );
    expect(a.ok && a.request.url).toBe('http://example.com:8080/x');
    const b = buildHttpGetRequest(
      { port: 8080, path: '/x' },
      { name: 'web' },
      httpPod({ port: 1 }, {}, 'fd00::7'),
      '1.35',
    );
    expect(b.ok && b.request.url).toBe('http://[fd00::7]:8080/x');
    expect(b.ok && b.hostPort).toBe('[fd00::7]:8080');
  });

  it('relative path gains a leading "/", query and fragment kept (spec §5.2 URL)', () => {
    const pod = httpPod({ port: 1 });
    const url = (path: string) => {
      const r = buildHttpGetRequest({ port: 93, path, host: 'h' }, { name: 'web' }, pod, '1.35');
      return r.ok ? r.request.url : r.error;
    };
    expect(url('foo')).toBe('http://h:93/foo');
    expect(url('/foo')).toBe('http://h:93/foo');
    expect(url('foo?k=v')).toBe('http://h:93/foo?k=v');
    expect(url('foo#frag')).toBe('http://h:93/foo#frag');
  });

  it('a numeric string port not naming a container port is parsed as a number (spec §5.2 Port)', () => {
    const r = buildHttpGetRequest({ port: '8081', path: '/' }, { name: 'web' }, httpPod({ port: 1 }), '1.35');
    expect(r.ok && r.request.url).toBe('http://10.0.0.7:8081/');
    const bad = buildHttpGetRequest({ port: 'nosuch', path: '/' }, { name: 'web' }, httpPod({ port: 1 }), '1.35');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('strconv.Atoi: parsing "nosuch": invalid syntax');
  });

  it('no pod IP and no host → failed to find networking container (spec §5.2 Host)', () => {
    const r = buildHttpGetRequest(
      { port: 80, path: '/' },
      { name: 'web' },
      makePod({ containers: [{ name: 'web' }] }),
      '1.35',
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^failed to find networking container/);
  });

  it('headers: names canonicalised, repeats kept, User-Agent kube-lifecycle/1.35 and Accept */* by default (spec §5.2 Headers)', async () => {
    const h = harness();
    const pod = httpPod({
      port: 80,
      path: '/',
      httpHeaders: [
        { name: 'x-custom-HEADER', value: 'a' },
        { name: 'X-CUSTOM-header', value: 'b' },
        { name: 'FOO-bAR', value: 'c' },
      ],
    });
    await runPreStop(h, pod);
    const headers = h.http.requests[0]!.headers;
    expect(header(headers, 'X-Custom-Header')).toEqual(['a', 'b']);
    expect(header(headers, 'Foo-Bar')).toEqual(['c']);
    expect(header(headers, 'User-Agent')).toEqual(['kube-lifecycle/1.35']);
    expect(header(headers, 'Accept')).toEqual(['*/*']);
  });

  it('the kubeletVersion option changes the User-Agent (DESIGN §6)', async () => {
    const h = harness({ kubeletVersion: '1.29' });
    await runPreStop(h, httpPod({ port: 80, path: '/' }));
    expect(header(h.http.requests[0]!.headers, 'User-Agent')).toEqual(['kube-lifecycle/1.29']);
  });

  it('a given User-Agent / Accept wins; an empty Accept removes Accept (spec §5.2 Headers)', async () => {
    const h = harness();
    await runPreStop(
      h,
      httpPod({
        port: 80,
        path: '/',
        httpHeaders: [
          { name: 'user-agent', value: 'mine' },
          { name: 'accept', value: '' },
        ],
      }),
    );
    const headers = h.http.requests[0]!.headers;
    expect(header(headers, 'User-Agent')).toEqual(['mine']);
    expect(header(headers, 'Accept')).toEqual([]);
  });

  it('status codes are ignored by default: 404 and 500 succeed (spec §5.2, §9.1, k/k#56963)', async () => {
    for (const status of [404, 500, 503]) {
      const h = harness();
      h.http.handler = () => Promise.resolve({ status });
      const result = await runPreStop(h, httpPod({ port: 80, path: '/' }));
      expect(result.preStop.outcome, String(status)).toBe('succeeded');
      expect(h.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
    }
  });

  it('same-hostname redirects are followed (port ignored), relative Location resolved (spec §5.2, [PH])', async () => {
    const h = harness();
    h.http.handler = (req) => {
      if (req.url === 'http://10.0.0.7:80/a')
        return Promise.resolve({ status: 302, headers: { location: 'http://10.0.0.7:81/b' } });
      if (req.url === 'http://10.0.0.7:81/b') return Promise.resolve({ status: 301, headers: { location: 'c' } });
      return Promise.resolve({ status: 200 });
    };
    const result = await runPreStop(h, httpPod({ port: 80, path: '/a' }));
    expect(h.http.requests.map((r) => r.url)).toEqual([
      'http://10.0.0.7:80/a',
      'http://10.0.0.7:81/b',
      'http://10.0.0.7:81/c',
    ]);
    expect(result.preStop.outcome).toBe('succeeded');
  });

  it('a redirect loop stops after 10 requests and fails with "stopped after 10 redirects" (spec §5.2)', async () => {
    const h = harness();
    h.http.handler = () => Promise.resolve({ status: 302, headers: { location: '/loop' } });
    const result = await runPreStop(h, httpPod({ port: 80, path: '/loop' }));
    expect(h.http.requests).toHaveLength(10);
    expect(result.preStop.outcome).toBe('failed');
    expect(result.preStop.message).toBe(
      // Go's client puts the raw Location value in the url.Error (ue.URL = loc)
      'HTTP lifecycle hook (/loop) for Container "web" in Pod "p_ns(uid-1)" failed - error: Get "/loop": stopped after 10 redirects',
    );
  });

  it('a redirect to another hostname is not followed: the 3xx is success (spec §5.2)', async () => {
    const h = harness();
    h.http.handler = () => Promise.resolve({ status: 302, headers: { location: 'http://elsewhere.example/x' } });
    const result = await runPreStop(h, httpPod({ port: 80, path: '/' }));
    expect(h.http.requests).toHaveLength(1);
    expect(result.preStop.outcome).toBe('succeeded');
  });

  it('HTTPS answered in plain HTTP: one retry over http without Authorization, Warning LifecycleHTTPFallback on the Pod (spec §5.2, §7)', async () => {
    const h = harness();
    h.http.handler = (req) =>
      req.url.startsWith('https:')
        ? Promise.reject(
            Object.assign(new Error(`Get "${req.url}": server gave HTTP response to HTTPS client`), {
              code: HTTP_RESPONSE_TO_HTTPS_CLIENT,
            }),
          )
        : Promise.resolve({ status: 200 });
    const pod = httpPod({
      port: 8443,
      path: '/stop',
      scheme: 'HTTPS',
      httpHeaders: [
        { name: 'Authorization', value: 'Bearer s3cret' },
        { name: 'X-A', value: '1' },
      ],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await h.clock.advance(2_000);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.http.requests.map((r) => r.url)).toEqual(['https://10.0.0.7:8443/stop', 'http://10.0.0.7:8443/stop']);
    expect(header(h.http.requests[0]!.headers, 'Authorization')).toEqual(['Bearer s3cret']);
    expect(header(h.http.requests[1]!.headers, 'Authorization')).toEqual([]);
    expect(header(h.http.requests[1]!.headers, 'X-A')).toEqual(['1']);
    expect(result.preStop.outcome).toBe('succeeded');
    const fallback = h.events.filter((e) => e.reason === 'LifecycleHTTPFallback');
    expect(fallback).toEqual([
      {
        type: 'Warning',
        reason: 'LifecycleHTTPFallback',
        message: 'request to HTTPS lifecycle hook 10.0.0.7:8443 got HTTP response, retry with HTTP succeeded',
        object: { kind: 'Pod', name: 'p', namespace: 'ns' },
        timestamp: 2_000,
      },
    ]);
  });

  it('HTTPS fallback retry failing returns the ORIGINAL https error (spec §5.2 fallback 3)', async () => {
    const h = harness();
    h.http.handler = (req) =>
      req.url.startsWith('https:')
        ? Promise.reject(
            Object.assign(new Error(`Get "${req.url}": server gave HTTP response to HTTPS client`), {
              code: HTTP_RESPONSE_TO_HTTPS_CLIENT,
            }),
          )
        : Promise.reject(
            Object.assign(new Error(`Get "${req.url}": dial tcp 10.0.0.7:8443: connect: connection refused`), {
              code: 'ECONNREFUSED',
            }),
          );
    const result = await runPreStop(h, httpPod({ port: 8443, path: '/stop', scheme: 'HTTPS' }));
    expect(result.preStop.outcome).toBe('failed');
    expect(result.preStop.message).toBe(
      'HTTP lifecycle hook (/stop) for Container "web" in Pod "p_ns(uid-1)" failed - error: Get "https://10.0.0.7:8443/stop": server gave HTTP response to HTTPS client',
    );
    expect(h.events.some((e) => e.reason === 'LifecycleHTTPFallback')).toBe(false);
  });

  it('transport failure message: HTTP lifecycle hook (<path>) … failed - error: <client error> (spec §5.2)', async () => {
    const h = harness();
    h.http.handler = (req) =>
      Promise.reject(
        Object.assign(new Error(`Get "${req.url}": dial tcp 10.0.0.7:8080: connect: connection refused`), {
          code: 'ECONNREFUSED',
        }),
      );
    const result = await runPreStop(h, httpPod({ port: 8080, path: '/x' }));
    expect(result.preStop.message).toBe(
      'HTTP lifecycle hook (/x) for Container "web" in Pod "p_ns(uid-1)" failed - error: Get "http://10.0.0.7:8080/x": dial tcp 10.0.0.7:8080: connect: connection refused',
    );
    expect(h.http.requests).toHaveLength(1); // no retry (spec §6)
  });
});

describe('spec §5.2 failure text with the package\'s own HttpRequestError (adapters.md: "the core puts [its message] into the FailedPreStopHook detail")', () => {
  it('NodeHttpClient-style HttpRequestError message is used once, not wrapped again', async () => {
    const h = harness();
    h.http.handler = (req) =>
      Promise.reject(
        new HttpRequestError(req.url, 'ECONNREFUSED', 'dial tcp 10.0.0.7:8080: connect: connection refused'),
      );
    const result = await runPreStop(h, httpPod({ port: 8080, path: '/x' }));
    expect(result.preStop.message).toBe(
      'HTTP lifecycle hook (/x) for Container "web" in Pod "p_ns(uid-1)" failed - error: Get "http://10.0.0.7:8080/x": dial tcp 10.0.0.7:8080: connect: connection refused',
    );
  });
});

describe('spec §5.3 sleep handler', () => {
  it('postStart sleep waits on the injected clock; Running after it', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { postStart: { sleep: { seconds: 3 } } } }] });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(result).toMatchObject({ outcome: 'running', runningAt: 3_000 });
  });

  it('sleep 0 returns at once (spec §5.3)', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 0 } } } }] });
    const result = await runPreStop(h, pod);
    expect(result.preStop.outcome).toBe('succeeded');
    expect(h.runtime.of('stop')[0]).toMatchObject({ at: 0, timeoutSeconds: 30 });
  });

  it('a preStop sleep longer than an override is cut by the grace timer (spec §5.3, §4.2-C.5)', async () => {
    const h = harness();
    const pod = makePod({
      tgps: 30,
      containers: [{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 20 } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web', { gracePeriodOverride: 5 }));
    expect(result.preStop.outcome).toBe('timedOut');
    expect(h.runtime.of('stop')[0]).toMatchObject({ at: 5_000, timeoutSeconds: 2 });
    expect(h.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
  });
});

describe('spec §5.4 tcpSocket', () => {
  it('postStart tcpSocket fails with "Cannot run handler: invalid handler: …"', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { postStart: { tcpSocket: { port: 80 } } } }] });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(result.outcome).toBe('postStartFailed');
    expect(result.postStart.message).toMatch(/^Cannot run handler: invalid handler: /);
    expect(h.events.find((e) => e.reason === 'FailedPostStartHook')?.detail).toMatch(
      /^Cannot run handler: invalid handler: /,
    );
  });

  it('preStop tcpSocket: FailedPreStopHook, the kill proceeds', async () => {
    const h = harness();
    h.runtime.onExec('unused', execAfter(1, { exitCode: 0 }));
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { preStop: { tcpSocket: { port: 80 } } } }] });
    const result = await runPreStop(h, pod);
    expect(result.preStop.outcome).toBe('failed');
    expect(result.outcome).toBe('stopped');
    expect(h.events.filter((e) => e.reason === 'FailedPreStopHook')).toHaveLength(1);
  });
});

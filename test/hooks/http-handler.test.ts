// httpGet handler (spec §5.2): client loop, redirects, HTTPS→HTTP fallback, status policy.
import { describe, expect, it } from 'vitest';
import type { HTTPGetAction } from '../../src/api/types.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import { MAX_HTTP_REQUESTS, runHandler } from '../../src/hooks/index.js';
import type { HttpRequest, HttpResponse } from '../../src/ports/http-client.js';
import { settle } from '../support/settle.js';
import { fakeHttp, makeCtx, schemeMismatch } from './helpers.js';

const redirect = (location: string, status = 302): Promise<HttpResponse> =>
  Promise.resolve({ status, headers: { location } });

async function run(
  httpGet: HTTPGetAction,
  answer: (request: HttpRequest, n: number) => unknown,
  extra: Parameters<typeof makeCtx>[0] = {},
) {
  let n = 0;
  const http = fakeHttp((request) => answer(request, n++));
  const ctx = makeCtx({ httpClient: http, ...extra });
  const outcome = await runHandler({ httpGet }, ctx);
  return { outcome, requests: http.requests, events: ctx.events, ctx };
}

describe('success criterion (spec §5.2)', () => {
  it('sends one GET and succeeds on any response by default (404, 500: k/k#56963)', async () => {
    for (const status of [200, 404, 500]) {
      const { outcome, requests } = await run({ host: 'foo', port: 8080, path: 'bar' }, () =>
        Promise.resolve({ status }),
      );
      expect(outcome).toEqual({ ok: true });
      expect(requests).toEqual([
        {
          method: 'GET',
          url: 'http://foo:8080/bar',
          headers: [
            ['User-Agent', 'kube-lifecycle/1.35'],
            ['Accept', '*/*'],
          ],
        },
      ]);
    }
  });

  it("policy httpStatus 'probe': only 200–399 succeed", async () => {
    const policy = { ...kubernetesPolicy, httpStatus: 'probe' as const };
    const bad = await run({ host: 'foo', port: 8080, path: '/bar' }, () => Promise.resolve({ status: 503 }), {
      policy,
    });
    expect(bad.outcome).toMatchInlineSnapshot(`
      {
        "error": "HTTP probe failed with statuscode: 503",
        "message": "HTTP lifecycle hook (/bar) for Container "containerFoo" in Pod "podFoo_nsFoo(foo-bar-quux)" failed - error: HTTP probe failed with statuscode: 503",
        "ok": false,
      }
    `);
    const good = await run({ host: 'foo', port: 8080, path: '/bar' }, () => Promise.resolve({ status: 399 }), {
      policy,
    });
    expect(good.outcome).toEqual({ ok: true });
  });
});

describe('transport errors read as Go url.Error', () => {
  it('TestRunHandlerHttpFailure [HT]', async () => {
    const { outcome } = await run({ host: 'foo', port: 8080, path: 'bar' }, () =>
      Promise.reject(new Error('fake http error')),
    );
    expect(outcome).toMatchInlineSnapshot(`
      {
        "error": "Get "http://foo:8080/bar": fake http error",
        "message": "HTTP lifecycle hook (bar) for Container "containerFoo" in Pod "podFoo_nsFoo(foo-bar-quux)" failed - error: Get "http://foo:8080/bar": fake http error",
        "ok": false,
      }
    `);
  });

  it('an unsupported scheme never reaches the client', async () => {
    const { outcome, requests } = await run({ port: 80, path: 'foo', scheme: 'baz' }, () =>
      Promise.resolve({ status: 200 }),
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: 'Get "baz://233.252.0.1:80/foo": unsupported protocol scheme "baz"',
    });
    expect(requests).toHaveLength(0);
  });

  it('a request-building error is the hook error', async () => {
    const { outcome, requests } = await run({ port: 'nope', path: '/' }, () => Promise.resolve({ status: 200 }));
    expect(outcome).toMatchObject({ ok: false, error: 'strconv.Atoi: parsing "nope": invalid syntax' });
    expect(requests).toHaveLength(0);
  });
});

describe('header values with CR/LF are never sent (Go transport check)', () => {
  it.each(['a\r\nX-Injected: 1', 'a\nb', 'a\rb', 'nul\u0000'])(
    '%j fails the hook before the client is called',
    async (value) => {
      const { outcome, requests } = await run(
        { host: 'foo', port: 80, path: '/', httpHeaders: [{ name: 'x-token', value }] },
        () => Promise.resolve({ status: 200 }),
      );
      expect(outcome).toMatchObject({
        ok: false,
        error: 'Get "http://foo:80/": net/http: invalid header field value for "X-Token"',
      });
      expect(requests).toHaveLength(0);
    },
  );
});

describe('redirects (spec §5.2 Client, RedirectChecker(false) [PH])', () => {
  it('follows same-hostname redirects (port ignored), relative Location resolved against the current URL', async () => {
    const { outcome, requests } = await run({ host: 'h', port: 80, path: '/a/b' }, (_req, n) =>
      n === 0 ? redirect('c?x=1') : n === 1 ? redirect('http://h:81/d', 307) : Promise.resolve({ status: 204 }),
    );
    expect(outcome).toEqual({ ok: true });
    expect(requests.map((r) => r.url)).toEqual(['http://h:80/a/b', 'http://h:80/a/c?x=1', 'http://h:81/d']);
    expect(requests[1]?.headers).toEqual([
      ['User-Agent', 'kube-lifecycle/1.35'],
      ['Accept', '*/*'],
      ['Referer', 'http://h:80/a/b'],
    ]);
  });

  it(`makes at most ${MAX_HTTP_REQUESTS} requests; the next redirect fails with Go's text`, async () => {
    const { outcome, requests } = await run({ host: 'h', port: 80, path: '/0' }, (_req, n) => redirect(`/${n + 1}`));
    expect(requests).toHaveLength(10);
    expect(requests.at(-1)?.url).toBe('http://h:80/9');
    expect(outcome).toMatchObject({ ok: false, error: 'Get "/10": stopped after 10 redirects' });
  });

  it('exactly 10 requests ending in a final response succeed', async () => {
    const { outcome, requests } = await run({ host: 'h', port: 80, path: '/0' }, (_req, n) =>
      n < 9 ? redirect(`/${n + 1}`) : Promise.resolve({ status: 200 }),
    );
    expect(outcome).toEqual({ ok: true });
    expect(requests).toHaveLength(10);
  });

  it('a redirect to another hostname is not followed: the 3xx is the answer (success)', async () => {
    const { outcome, requests } = await run({ host: 'h', port: 80, path: '/' }, () => redirect('http://other/x', 301));
    expect(outcome).toEqual({ ok: true });
    expect(requests).toHaveLength(1);
  });

  it('hostname comparison is case-sensitive like Go URL.Hostname()', async () => {
    const { requests } = await run({ host: 'h', port: 80, path: '/' }, () => redirect('http://H:80/x'));
    expect(requests).toHaveLength(1);
  });

  it.each([300, 304, 305, 306, 399])('status %d is not a redirect', async (status) => {
    const { outcome, requests } = await run({ host: 'h', port: 80, path: '/' }, () => redirect('/x', status));
    expect(outcome).toEqual({ ok: true });
    expect(requests).toHaveLength(1);
  });

  it('a 3xx without Location is final', async () => {
    const { outcome, requests } = await run({ host: 'h', port: 80, path: '/' }, () => Promise.resolve({ status: 302 }));
    expect(outcome).toEqual({ ok: true });
    expect(requests).toHaveLength(1);
  });

  it('a Location that does not parse fails like Go', async () => {
    const { outcome } = await run({ host: 'h', port: 80, path: '/p' }, () => redirect('/%zz'));
    expect(outcome).toMatchObject({
      ok: false,
      error: 'Get "http://h:80/p": failed to parse Location header "/%zz": parse "/%zz": invalid URL escape "%zz"',
    });
  });

  it('the virtual Host survives relative redirects only; headers (Authorization too) are copied on same host', async () => {
    const headers = [
      { name: 'Host', value: 'vhost' },
      { name: 'Authorization', value: 'secret' },
    ];
    const { requests } = await run({ host: 'h', port: 80, path: '/', httpHeaders: headers }, (_req, n) =>
      n === 0 ? redirect('/rel') : n === 1 ? redirect('http://h:80/abs') : Promise.resolve({ status: 200 }),
    );
    expect(requests.map((r) => r.headers.filter(([name]) => name === 'Host' || name === 'Authorization'))).toEqual([
      [
        ['Host', 'vhost'],
        ['Authorization', 'secret'],
      ],
      [
        ['Host', 'vhost'],
        ['Authorization', 'secret'],
      ],
      [['Authorization', 'secret']],
    ]);
  });

  it('no Referer on https → http', async () => {
    const { requests } = await run({ host: 'h', port: 443, path: '/', scheme: 'HTTPS' }, (_req, n) =>
      n === 0 ? redirect('http://h:80/') : Promise.resolve({ status: 200 }),
    );
    expect(requests[1]?.headers.some(([name]) => name === 'Referer')).toBe(false);
  });
});

describe('HTTPS→HTTP fallback (spec §5.2, TestRunHandlerHttpsFailureFallback [HT])', () => {
  const httpGet: HTTPGetAction = {
    scheme: 'HTTPS',
    host: '127.0.0.1',
    port: 8443,
    path: 'bar',
    httpHeaders: [
      { name: 'Authorization', value: 'secret' },
      { name: 'X-Keep', value: '1' },
    ],
  };

  it('retries once over http without Authorization; success emits one pod event', async () => {
    const { outcome, requests, events } = await run(httpGet, (req) =>
      req.url.startsWith('https:') ? Promise.reject(schemeMismatch()) : Promise.resolve({ status: 200 }),
    );
    expect(outcome).toEqual({ ok: true });
    expect(requests.map((r) => r.url)).toEqual(['https://127.0.0.1:8443/bar', 'http://127.0.0.1:8443/bar']);
    expect(requests[1]?.headers).toEqual([
      ['X-Keep', '1'],
      ['User-Agent', 'kube-lifecycle/1.35'],
      ['Accept', '*/*'],
    ]);
    expect(events).toEqual([
      {
        type: 'Warning',
        reason: 'LifecycleHTTPFallback',
        message: 'request to HTTPS lifecycle hook 127.0.0.1:8443 got HTTP response, retry with HTTP succeeded',
        object: { kind: 'Pod', name: 'podFoo', namespace: 'nsFoo' },
      },
    ]);
  });

  it('detects the condition by message alone, too', async () => {
    const { outcome, events } = await run(httpGet, (req) =>
      req.url.startsWith('https:')
        ? Promise.reject(new Error('oops: server gave HTTP response to HTTPS client'))
        : Promise.resolve({ status: 200 }),
    );
    expect(outcome).toEqual({ ok: true });
    expect(events).toHaveLength(1);
  });

  it('a failed retry reports the ORIGINAL https error and emits nothing', async () => {
    const { outcome, requests, events } = await run(httpGet, (req) =>
      req.url.startsWith('https:')
        ? Promise.reject(Object.assign(new Error(''), { code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT' }))
        : Promise.reject(new Error('connection refused')),
    );
    expect(outcome).toMatchInlineSnapshot(`
      {
        "error": "Get "https://127.0.0.1:8443/bar": http: server gave HTTP response to HTTPS client",
        "message": "HTTP lifecycle hook (bar) for Container "containerFoo" in Pod "podFoo_nsFoo(foo-bar-quux)" failed - error: Get "https://127.0.0.1:8443/bar": http: server gave HTTP response to HTTPS client",
        "ok": false,
      }
    `);
    expect(requests).toHaveLength(2);
    expect(events).toEqual([]);
  });

  it('other errors are not retried', async () => {
    const { requests } = await run(httpGet, () => Promise.reject(new Error('tls: handshake failure')));
    expect(requests).toHaveLength(1);
  });

  it('a throwing event sink does not change the outcome', async () => {
    const { outcome } = await run(
      httpGet,
      (req) => (req.url.startsWith('https:') ? Promise.reject(schemeMismatch()) : Promise.resolve({ status: 200 })),
      {
        emit: () => {
          throw new Error('listener');
        },
      },
    );
    expect(outcome).toEqual({ ok: true });
  });
});

describe('abort and malformed responses', () => {
  it('an abort settles a request the client never answers', async () => {
    const controller = new AbortController();
    const http = fakeHttp(() => new Promise(() => undefined));
    const ctx = makeCtx({ httpClient: http, signal: controller.signal });
    const pending = runHandler({ httpGet: { host: 'h', port: 80, path: '/x' } }, ctx);
    await settle();
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, error: 'Get "http://h:80/x": context canceled' });
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it.each<[string, unknown, string]>([
    ['status 1.5', { status: 1.5 }, 'Get "http://h:80/": malformed HTTP status code "1.5"'],
    ['status 99', { status: 99 }, 'Get "http://h:80/": malformed HTTP status code "99"'],
    ['status 1000', { status: 1000 }, 'Get "http://h:80/": malformed HTTP status code "1000"'],
    ['status as string', { status: '200' }, 'Get "http://h:80/": malformed HTTP status code "200"'],
    ['null response', null, 'Get "http://h:80/": malformed HTTP response null'],
  ])('%s is a failure', async (_name, response, error) => {
    const { outcome } = await run({ host: 'h', port: 80, path: '/' }, () => Promise.resolve(response));
    expect(outcome).toMatchObject({ ok: false, error });
  });
});

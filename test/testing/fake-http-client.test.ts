import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/ports/http-client.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const signal = new AbortController().signal;
const get = (url: string): HttpRequest => ({ method: 'GET', url, headers: [] });

function setup(options: { unmatched?: 'refuse' | { status: number } } = {}) {
  const clock = new VirtualClock();
  const http = new FakeHttpClient({ clock, ...options });
  return { clock, http };
}

describe('FakeHttpClient: routes', () => {
  it('matches by path, full URL, host, host:port, RegExp and predicate, first route first', async () => {
    const { http } = setup();
    http
      .route('/drain?fast=1', { status: 201 })
      .route('http://10.0.0.5:8080/x', { status: 202 })
      .route('10.0.0.6:9000', { status: 203 })
      .route('10.0.0.7', { status: 204 })
      .route(/\/metrics$/, { status: 205 })
      .route((req) => req.headers.some(([n]) => n === 'X-Probe'), { status: 206 });
    const status = async (url: string, headers: Array<[string, string]> = []): Promise<number> =>
      (await http.request({ method: 'GET', url, headers }, { signal })).status;
    expect(await status('http://any:1/drain?fast=1')).toBe(201);
    expect(await status('http://10.0.0.5:8080/x')).toBe(202);
    expect(await status('http://10.0.0.6:9000/y')).toBe(203);
    expect(await status('https://10.0.0.7/z')).toBe(204);
    expect(await status('http://h/metrics')).toBe(205);
    expect(await status('http://h/other', [['X-Probe', '1']])).toBe(206);
  });

  it('lower-cases response header names and exposes redirects through location', async () => {
    const { http } = setup();
    http.route('/old', { status: 302, headers: { Location: '/new', 'X-Trace': 'a' } });
    expect(await http.request(get('http://h/old'), { signal })).toEqual({
      status: 302,
      headers: { location: '/new', 'x-trace': 'a' },
    });
  });

  it("returns a route's body only to a request that asks for it, cut to readBodyBytes on a character boundary", async () => {
    const { http } = setup();
    http.route('/moved', { status: 301, body: 'gone → here' });
    expect(await http.request(get('http://h/moved'), { signal })).toEqual({ status: 301, headers: {} });
    const asked = { ...get('http://h/moved'), readBodyBytes: 10_240 };
    expect(await http.request(asked, { signal })).toEqual({ status: 301, headers: {}, body: 'gone → here' });
    expect((await http.request({ ...asked, readBodyBytes: 6 }, { signal })).body).toBe('gone ');
  });

  it('honours times, then falls through to later routes', async () => {
    const { http } = setup();
    http.route('/flaky', { status: 503 }, { times: 1 }).route('/flaky', { status: 200 });
    expect((await http.request(get('http://h/flaky'), { signal })).status).toBe(503);
    expect((await http.request(get('http://h/flaky'), { signal })).status).toBe(200);
  });

  it('delays on the clock, rejects with the scripted error, hangs until aborted', async () => {
    const { clock, http } = setup();
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    http
      .route('/slow', { status: 200, delayMs: 2_000 })
      .route('/reset', { error: reset })
      .route('/hang', { hang: true });
    let done = false;
    const slow = http.request(get('http://h/slow'), { signal }).then(() => (done = true));
    await clock.advance(1_999);
    expect(done).toBe(false);
    await clock.advance(1);
    await slow;
    await expect(http.request(get('http://h/reset'), { signal })).rejects.toBe(reset);
    const controller = new AbortController();
    const hung = http.request(get('http://h/hang'), { signal: controller.signal });
    await clock.advance(60_000);
    controller.abort(new Error('grace over'));
    await expect(hung).rejects.toThrow('grace over');
    await expect(http.request(get('http://h/slow'), { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow(
      'early',
    );
  });

  it('maps plain HTTP on an HTTPS port to HTTP_RESPONSE_TO_HTTPS_CLIENT, and answers plain http', async () => {
    const { http } = setup();
    http.route('10.0.0.5:8443', { plainHttp: true });
    await expect(http.request(get('https://10.0.0.5:8443/hook'), { signal })).rejects.toMatchObject({
      code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT',
      message: 'Get "https://10.0.0.5:8443/hook": http: server gave HTTP response to HTTPS client',
    });
    expect((await http.request(get('http://10.0.0.5:8443/hook'), { signal })).status).toBe(200);
  });

  it('computes responses with a function route', async () => {
    const { http } = setup();
    http.route('/echo', (req) => ({
      status: 200,
      headers: { 'x-host': req.headers.find(([n]) => n === 'Host')?.[1] ?? '' },
    }));
    expect(
      await http.request({ method: 'GET', url: 'http://h/echo', headers: [['Host', 'v.example']] }, { signal }),
    ).toEqual({
      status: 200,
      headers: { 'x-host': 'v.example' },
    });
  });
});

describe('FakeHttpClient: unmatched requests and assertions', () => {
  it('refuses an unmatched request like a closed port, naming the URL', async () => {
    const { http } = setup();
    await expect(http.request(get('http://10.0.0.9:8080/x'), { signal })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
      message:
        'Get "http://10.0.0.9:8080/x": dial tcp 10.0.0.9:8080: connect: connection refused (FakeHttpClient: no route matches this request; add one with route())',
    });
  });

  it('answers unmatched requests with a configured script', async () => {
    const { http } = setup({ unmatched: { status: 404 } });
    expect((await http.request(get('http://h/x'), { signal })).status).toBe(404);
    expect(() => http.assertNoUnmatchedRequests()).toThrow(/1 request\(s\) matched no route/);
  });

  it('records requests with the answering route and the outcome', async () => {
    const { http } = setup();
    http.route('/a', { status: 204 });
    await http.request(get('http://h/a'), { signal });
    await http.request(get('http://h/b'), { signal }).catch(() => undefined);
    expect(http.requests.map(({ at, routeIndex, outcome }) => ({ at, routeIndex, outcome }))).toEqual([
      { at: 0, routeIndex: 0, outcome: { status: 204 } },
      { at: 0, routeIndex: undefined, outcome: { error: expect.stringContaining('connection refused') } },
    ]);
  });

  it('lists routes never hit and unmatched requests as tables', async () => {
    const { clock, http } = setup();
    http.route('/drain', { status: 200, delayMs: 500 }).route('/used', { status: 200 }).route(/never/, { hang: true });
    await http.request(get('http://h/used'), { signal });
    await clock.advance(1_250);
    await http.request(get('http://10.0.0.1:80/drian'), { signal }).catch(() => undefined);
    expect(() => http.assertAllRoutesHit()).toThrowErrorMatchingInlineSnapshot(`
      [TestingError: FakeHttpClient: 2 route(s) never hit:

      | # | route       | answers          | hits |
      |---|-------------|------------------|------|
      | 0 | path /drain | 200 after 500 ms | 0    |
      | 2 | /never/     | never answers    | 0    |

      Requests made:

      | at ms | method | url                      |
      |-------|--------|--------------------------|
      | 0     | GET    | http://h/used            |
      | 1250  | GET    | http://10.0.0.1:80/drian |]
    `);
    expect(() => http.assertNoUnmatchedRequests()).toThrowErrorMatchingInlineSnapshot(`
      [TestingError: FakeHttpClient: 1 request(s) matched no route (routes: path /drain, path /used, /never/):

      | at ms | method | url                      |
      |-------|--------|--------------------------|
      | 1250  | GET    | http://10.0.0.1:80/drian |]
    `);
  });

  it('passes both assertions when every route was hit and every request matched', async () => {
    const { http } = setup();
    http.route('/a', { status: 200 });
    await http.request(get('http://h/a'), { signal });
    expect(() => http.assertAllRoutesHit()).not.toThrow();
    expect(() => http.assertNoUnmatchedRequests()).not.toThrow();
  });
});

describe('FakeHttpClient: abort listener hygiene (the manager passes one signal to many calls)', () => {
  /** Abort listeners really attached to `s` (Node's own bookkeeping, not a wrapper). */
  const listeners = (s: AbortSignal): number => getEventListeners(s, 'abort').length;

  it("leaves no abort listener on the caller's signal once a request has settled, whatever the outcome", async () => {
    const { clock, http } = setup();
    const shared = new AbortController().signal; // never aborted: every request must clean up by itself
    const boom = new Error('boom');
    let answer!: (status: number) => void;
    http
      .route('/ok', { status: 200 })
      .route('/slow', { status: 204, delayMs: 100 })
      .route('/error', { error: boom })
      .route('/slow-error', { error: boom, delayMs: 100 })
      .route('10.0.0.5:8443', { plainHttp: true })
      .route('/fn', () => ({ status: 201 }))
      .route('/fn-async', async () => ({ status: 202 }))
      .route('/fn-reject', async () => Promise.reject(boom))
      .route('/fn-throw', () => {
        throw boom;
      })
      .route('/fn-later', () => new Promise((resolve) => (answer = (status) => resolve({ status }))));
    const urls = [
      'http://h/ok',
      'http://h/slow',
      'http://h/error',
      'http://h/slow-error',
      'https://10.0.0.5:8443/x',
      'http://h/fn',
      'http://h/fn-async',
      'http://h/fn-reject',
      'http://h/fn-throw',
      'http://nothing.test/refused',
      'not a url',
    ];
    for (const url of urls) {
      const pending = http.request(get(url), { signal: shared });
      await clock.advance(100);
      await pending.then(
        () => undefined,
        () => undefined,
      );
      expect({ url, left: listeners(shared) }).toEqual({ url, left: 0 });
    }
    const later = http.request(get('http://h/fn-later'), { signal: shared });
    await clock.advance(0);
    expect(listeners(shared)).toBe(1); // attached while the request is in flight
    answer(203);
    expect(await later).toEqual({ status: 203 });
    expect(listeners(shared)).toBe(0);
  });

  it('leaves none once a hung, delayed or function request has been aborted', async () => {
    const { clock, http } = setup();
    http
      .route('/hang', { hang: true })
      .route('/slow', { status: 200, delayMs: 60_000 })
      .route('/fn', () => new Promise(() => undefined));
    for (const url of ['http://h/hang', 'http://h/slow', 'http://h/fn']) {
      const controller = new AbortController();
      const pending = http.request(get(url), { signal: controller.signal });
      await clock.advance(500);
      expect(listeners(controller.signal)).toBeGreaterThan(0);
      controller.abort(new Error('grace over'));
      await expect(pending).rejects.toThrow('grace over');
      expect({ url, left: listeners(controller.signal) }).toEqual({ url, left: 0 });
    }
  });
});

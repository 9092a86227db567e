import { errorText } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import {
  HTTP_RESPONSE_TO_HTTPS_CLIENT,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../../ports/http-client.js';
import { VirtualClock } from '../virtual-clock.js';
import {
  type ConformanceCase,
  checkAbortListeners,
  conformanceFailure,
  describeError,
  pass,
  type Settlement,
  track,
} from './conformance-case.js';

/** One route the harness's test server must serve for {@link httpClientConformanceCases}. */
export interface HttpConformanceRoute {
  readonly path: string;
  readonly status: number;
  /** Response headers, as the server should send them (mixed case on purpose). */
  readonly headers: Readonly<Record<string, string>>;
  /** Size of the response body in bytes (any content). */
  readonly bodyBytes: number;
  /** Minimum time before the server answers; `Infinity` = never. */
  readonly delayMs: number;
}

/**
 * The routes a conformance server serves, as data, so a harness can build its server (or its
 * fake) from this table. Every other path may answer 404.
 */
export const HTTP_CONFORMANCE_ROUTES: readonly HttpConformanceRoute[] = Object.freeze([
  { path: '/ok', status: 200, headers: { 'X-Conformance': 'yes' }, bodyBytes: 2, delayMs: 0 },
  { path: '/redirect', status: 302, headers: { Location: '/ok' }, bodyBytes: 0, delayMs: 0 },
  { path: '/not-found', status: 404, headers: {}, bodyBytes: 9, delayMs: 0 },
  {
    path: '/large',
    status: 200,
    headers: { 'Content-Type': 'application/octet-stream' },
    bodyBytes: 4 * 1024 * 1024,
    delayMs: 0,
  },
  { path: '/slow', status: 200, headers: {}, bodyBytes: 0, delayMs: Infinity },
]);

/**
 * What an {@link HttpClient} adapter author provides to run {@link httpClientConformanceCases}.
 * The factory is called once per case and `cleanup` after it, even when the case fails.
 *
 * - `clock`: a `VirtualClock` is advanced by the suite; any other clock means real time.
 * - `server.url(path)`: an `http:` URL of `path` on a server serving {@link HTTP_CONFORMANCE_ROUTES}.
 * - `server.httpsUrlSpeakingPlainHttp(path)`: an `https:` URL whose port answers in plain HTTP
 *   (typically the same server: `https://127.0.0.1:<port of the http server><path>`).
 * - `server.refusedUrl(path)`: a URL where nothing listens (e.g. a port just closed).
 *
 * @example
 * ```ts
 * const harness = async (): Promise<HttpConformanceHarness> => {
 *   const server = await startServer(HTTP_CONFORMANCE_ROUTES); // node:http
 *   const { port } = server.address();
 *   return {
 *     client: new NodeHttpClient(), clock: systemClock,
 *     server: {
 *       url: (p) => `http://127.0.0.1:${port}${p}`,
 *       httpsUrlSpeakingPlainHttp: (p) => `https://127.0.0.1:${port}${p}`,
 *       refusedUrl: (p) => `http://127.0.0.1:${closedPort}${p}`,
 *     },
 *     cleanup: () => server.close(),
 *   };
 * };
 * ```
 */
export interface HttpConformanceHarness {
  readonly client: HttpClient;
  readonly clock: Clock;
  readonly server: {
    url(path: string): string;
    httpsUrlSpeakingPlainHttp(path: string): string;
    refusedUrl(path: string): string;
  };
  cleanup?(): void | Promise<void>;
}

const SUITE = 'HttpClient';

/**
 * The conformance cases every {@link HttpClient} adapter must pass, independent of the test
 * runner: status and lower-cased headers, no redirect following (`location` exposed), non-2xx
 * resolved, a large body discarded, abort honoured, plain HTTP on HTTPS mapped to
 * `HTTP_RESPONSE_TO_HTTPS_CLIENT`, connection refused naming the URL, no abort listener left on
 * a signal once a request has settled (the manager passes one signal to many calls).
 * Register them with {@link registerConformanceCases}.
 */
export function httpClientConformanceCases(
  factory: () => HttpConformanceHarness | Promise<HttpConformanceHarness>,
  options: { promptMs?: number } = {},
): ConformanceCase[] {
  const define = (name: string, body: (h: HttpConformanceHarness, c: Ctx) => Promise<void>): ConformanceCase => ({
    name,
    run: async () => {
      const harness = await factory();
      const prompt = harness.clock instanceof VirtualClock ? 0 : (options.promptMs ?? 2_000);
      const fail = (detail: string, cause?: unknown): Error => conformanceFailure(SUITE, name, detail, cause);
      const get = async (
        url: string,
        signal: AbortSignal = new AbortController().signal,
      ): Promise<Settlement<HttpResponse>> => {
        const request: HttpRequest = { method: 'GET', url, headers: [['User-Agent', 'kube-lifecycle/conformance']] };
        const promise = harness.client.request(request, { signal });
        const state = track(promise);
        await pass(harness.clock, prompt, promise);
        return state();
      };
      try {
        await body(harness, { fail, prompt, get });
      } finally {
        await harness.cleanup?.();
      }
    },
  });
  return [
    define('resolves with the status and lower-cased header names', async (h, c) => {
      const res = expectResponse(c, await c.get(h.server.url('/ok')), 'GET /ok');
      if (res.status !== 200 || res.headers?.['x-conformance'] !== 'yes')
        throw c.fail(`expected 200 with header "x-conformance: yes", got ${JSON.stringify(res)}`);
      const upper = Object.keys(res.headers).filter((k) => k !== k.toLowerCase());
      if (upper.length > 0) throw c.fail(`header names must be lower-cased, got ${JSON.stringify(upper)}`);
    }),
    define('does not follow redirects: the 3xx comes back with its location', async (h, c) => {
      const res = expectResponse(c, await c.get(h.server.url('/redirect')), 'GET /redirect');
      if (res.status !== 302 || res.headers?.['location'] !== '/ok')
        throw c.fail(`expected 302 with location "/ok" (not followed), got ${JSON.stringify(res)}`);
    }),
    define('resolves non-2xx statuses instead of rejecting', async (h, c) => {
      const res = expectResponse(c, await c.get(h.server.url('/not-found')), 'GET /not-found');
      if (res.status !== 404) throw c.fail(`expected 404, got ${JSON.stringify(res)}`);
    }),
    define('discards a large body and still resolves', async (h, c) => {
      const res = expectResponse(c, await c.get(h.server.url('/large')), 'GET /large (4 MiB body)');
      if (res.status !== 200) throw c.fail(`expected 200, got ${JSON.stringify(res)}`);
    }),
    define('rejects promptly when the signal aborts an in-flight request', async (h, c) => {
      const controller = new AbortController();
      const promise = h.client.request(
        { method: 'GET', url: h.server.url('/slow'), headers: [] },
        { signal: controller.signal },
      );
      const state = track(promise);
      await pass(h.clock, 50, promise);
      if (state().settled) throw c.fail(`GET /slow settled before the abort: ${JSON.stringify(state())}`);
      controller.abort(new Error('hook deadline'));
      await pass(h.clock, c.prompt, promise);
      expectRejection(c, state(), 'GET /slow aborted after 50 ms');
    }),
    define('rejects a request whose signal is already aborted', async (h, c) => {
      expectRejection(
        c,
        await c.get(h.server.url('/ok'), AbortSignal.abort(new Error('too late'))),
        'GET /ok with an aborted signal',
      );
    }),
    define(`maps plain HTTP on an HTTPS port to code ${HTTP_RESPONSE_TO_HTTPS_CLIENT}`, async (h, c) => {
      const url = h.server.httpsUrlSpeakingPlainHttp('/ok');
      const error = expectRejection(c, await c.get(url), `GET ${url}`);
      const code = (error as { code?: unknown } | null)?.code;
      if (code !== HTTP_RESPONSE_TO_HTTPS_CLIENT)
        throw c.fail(
          `expected an error with code "${HTTP_RESPONSE_TO_HTTPS_CLIENT}", got ${describeError(error)}`,
          error,
        );
    }),
    define('rejects a refused connection with a message naming the URL', async (h, c) => {
      const url = h.server.refusedUrl('/hook');
      const error = expectRejection(c, await c.get(url), `GET ${url}`);
      const message = errorText(error);
      if (!message.includes(url))
        throw c.fail(`expected the error message to name ${url}, got ${JSON.stringify(message)}`, error);
    }),
    define('removes its abort listeners once a call settles', async (h, c) => {
      // One signal for several requests, as the manager passes a container's signal to its hooks.
      await checkAbortListeners(c.fail, async (signal, counted) => {
        const calls = [
          { call: 'request GET /ok (resolves)', url: h.server.url('/ok'), expect: 'resolve' },
          { call: 'request to a refused URL (rejects)', url: h.server.refusedUrl('/hook'), expect: 'reject' },
        ] as const;
        for (const { call, url, expect } of calls) {
          const state = await counted(call, () => c.get(url, signal));
          if (expect === 'resolve') expectResponse(c, state, call);
          else expectRejection(c, state, call);
        }
      });
    }),
  ];
}

interface Ctx {
  readonly fail: (detail: string, cause?: unknown) => Error;
  readonly prompt: number;
  readonly get: (url: string, signal?: AbortSignal) => Promise<Settlement<HttpResponse>>;
}

function expectResponse(
  c: Ctx,
  state: Settlement<HttpResponse>,
  what: string,
): HttpResponse & { headers: Readonly<Record<string, string>> } {
  if (!state.settled) throw c.fail(`${what} did not settle within ${c.prompt} ms`);
  if (!state.ok) throw c.fail(`${what} rejected: ${describeError(state.error)}`, state.error);
  return { ...state.value, headers: state.value.headers ?? {} };
}

function expectRejection(c: Ctx, state: Settlement<HttpResponse>, what: string): unknown {
  if (!state.settled) throw c.fail(`${what} did not settle within ${c.prompt} ms; expected a rejection`);
  if (state.ok) throw c.fail(`${what} resolved with ${JSON.stringify(state.value)}; expected a rejection`);
  return state.error;
}

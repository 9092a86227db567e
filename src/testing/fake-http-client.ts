import { errorText } from '../errors.js';
import { capExecOutput } from '../hooks/exec-handler.js';
import { type Clock, sleepOn } from '../ports/clock.js';
import {
  HTTP_RESPONSE_TO_HTTPS_CLIENT,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../ports/http-client.js';
import { TestingError } from './errors.js';
import {
  describeRouteMatcher,
  describeRouteScript,
  type HttpRouteMatcher,
  type HttpRouteScript,
  matchesRoute,
  type RecordedHttpRequest,
  renderTable,
} from './fake-http-routes.js';
import { raceAbort, untilAborted } from './internal.js';

/** Options of {@link FakeHttpClient}. */
export interface FakeHttpClientOptions {
  /** Clock for scripted delays (normally a `VirtualClock`). */
  readonly clock: Clock;
  /**
   * How a request that matches no route is answered. `'refuse'` rejects like a closed port
   * (`code: 'ECONNREFUSED'`, the message names the URL); or give a route script, e.g. `{ status: 404 }`.
   * Either way the request is listed by {@link FakeHttpClient.assertNoUnmatchedRequests}.
   * @default 'refuse'
   */
  readonly unmatched?: 'refuse' | HttpRouteScript | undefined;
}

interface Route {
  readonly matcher: HttpRouteMatcher;
  readonly script: HttpRouteScript;
  left: number;
  hits: number;
}

/**
 * A scripted {@link HttpClient} on an injected clock: routes by URL, host or path answer with a
 * status and headers (redirects via `location`), after a delay, with an error, never, or as a
 * plain-HTTP port hit over HTTPS. Every request is recorded. Routes are tried in the order they
 * were added; the first matching one with `times` left answers.
 *
 * `assertAllRoutesHit()` and `assertNoUnmatchedRequests()` fail a test with a readable table
 * of routes never hit and requests nothing matched (like undici's MockAgent).
 *
 * @example
 * ```ts
 * const http = new FakeHttpClient({ clock })
 *   .route('/drain', { status: 200, delayMs: 2_000 })
 *   .route('/old', { status: 302, headers: { location: '/new' } });
 * // … run the manager …
 * http.assertAllRoutesHit();
 * http.assertNoUnmatchedRequests();
 * ```
 */
export class FakeHttpClient implements HttpClient {
  readonly #clock: Clock;
  readonly #unmatched: 'refuse' | HttpRouteScript;
  readonly #routes: Route[] = [];
  readonly #requests: Array<{ -readonly [K in keyof RecordedHttpRequest]: RecordedHttpRequest[K] }> = [];

  constructor(options: FakeHttpClientOptions) {
    this.#clock = options.clock;
    this.#unmatched = options.unmatched ?? 'refuse';
  }

  /** Every request, in arrival order, with the route that answered and the outcome. */
  get requests(): readonly RecordedHttpRequest[] {
    return this.#requests;
  }

  /** Answer requests selected by `matcher` with `script`, at most `times` times. */
  route(matcher: HttpRouteMatcher, script: HttpRouteScript, options: { times?: number } = {}): this {
    this.#routes.push({ matcher, script, left: options.times ?? Infinity, hits: 0 });
    return this;
  }

  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse> {
    const at = this.#clock.now();
    const record: { -readonly [K in keyof RecordedHttpRequest]: RecordedHttpRequest[K] } = {
      at,
      atMs: at,
      request,
    };
    this.#requests.push(record);
    const settle = <T>(promise: Promise<T>): Promise<T> =>
      promise.then(
        (response) => {
          record.outcome = { status: (response as Partial<HttpResponse> | undefined)?.status as number };
          return response;
        },
        (error: unknown) => {
          record.outcome = { error: errorText(error) };
          throw error;
        },
      );
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (cause) {
      return settle(
        Promise.reject(
          new TestingError(
            'ERR_FAKE_MISUSE',
            `FakeHttpClient: request.url ${JSON.stringify(request.url)} is not an absolute URL`,
            { cause },
          ),
        ),
      );
    }
    const index = this.#routes.findIndex((r) => r.left > 0 && matchesRoute(r.matcher, request, url));
    const route = this.#routes[index];
    if (route !== undefined) {
      route.left--;
      route.hits++;
      record.routeIndex = index;
    }
    const script = route?.script ?? (this.#unmatched === 'refuse' ? refuse(request.url, url) : this.#unmatched);
    return settle(this.#answer(script, request, url, options.signal));
  }

  /** Throws, with a table, when a route was never hit. */
  assertAllRoutesHit(): void {
    const missed = this.#routes.map((r, i) => [r, i] as const).filter(([r]) => r.hits === 0);
    if (missed.length === 0) return;
    const table = renderTable(
      ['#', 'route', 'answers', 'hits'],
      missed.map(([r, i]) => [String(i), describeRouteMatcher(r.matcher), describeRouteScript(r.script), '0']),
    );
    throw new TestingError(
      'ERR_FAKE_EXPECTATION',
      `FakeHttpClient: ${missed.length} route(s) never hit:\n\n${table}\n\n${this.#seen()}`,
    );
  }

  /** Throws, with a table, when a request matched no route. */
  assertNoUnmatchedRequests(): void {
    const unmatched = this.#requests.filter((r) => r.routeIndex === undefined);
    if (unmatched.length === 0) return;
    const table = renderTable(
      ['at ms', 'method', 'url'],
      unmatched.map((r) => [String(r.at), r.request.method, r.request.url]),
    );
    const routes =
      this.#routes.length === 0
        ? 'no routes are defined'
        : `routes: ${this.#routes.map((r) => describeRouteMatcher(r.matcher)).join(', ')}`;
    throw new TestingError(
      'ERR_FAKE_EXPECTATION',
      `FakeHttpClient: ${unmatched.length} request(s) matched no route (${routes}):\n\n${table}`,
    );
  }

  #seen(): string {
    if (this.#requests.length === 0) return 'No request was made.';
    return `Requests made:\n\n${renderTable(
      ['at ms', 'method', 'url'],
      this.#requests.map((r) => [String(r.at), r.request.method, r.request.url]),
    )}`;
  }

  async #answer(script: HttpRouteScript, request: HttpRequest, url: URL, signal: AbortSignal): Promise<HttpResponse> {
    signal.throwIfAborted();
    // raceAbort removes its abort listener once settled: the caller's signal may be long-lived.
    if (typeof script === 'function') return raceAbort(signal, () => script(request, { signal }));
    if ('delayMs' in script && script.delayMs !== undefined && script.delayMs > 0)
      await sleepOn(this.#clock, script.delayMs, signal);
    if ('hang' in script) return untilAborted(signal).promise; // ends only with the abort (once listener)
    if ('error' in script) throw script.error;
    if ('plainHttp' in script) {
      if (url.protocol === 'https:') {
        throw Object.assign(new Error(`Get "${request.url}": http: server gave HTTP response to HTTPS client`), {
          code: HTTP_RESPONSE_TO_HTTPS_CLIENT,
        });
      }
      return { status: script.status ?? 200, headers: {} };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(script.headers ?? {})) headers[name.toLowerCase()] = value;
    const keep = request.readBodyBytes;
    if (script.body === undefined || keep === undefined || !(keep > 0)) return { status: script.status, headers };
    return { status: script.status, headers, body: capExecOutput(script.body, keep).text };
  }
}

function refuse(href: string, url: URL): HttpRouteScript {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const error = Object.assign(
    new Error(
      `Get "${href}": dial tcp ${url.hostname}:${port}: connect: connection refused (FakeHttpClient: no route matches this request; add one with route())`,
    ),
    { code: 'ECONNREFUSED' },
  );
  return { error };
}

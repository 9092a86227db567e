/**
 * The httpGet handler (spec §5.2): the kubelet's HTTP client loop on top of the one-request
 * `HttpClient` port. It reproduces Go's `http.Client.Do` with the kubelet's
 * `RedirectChecker(false)` (`pkg/probe/http/http.go`) and the HTTPS→HTTP fallback of
 * `pkg/kubelet/lifecycle/handlers.go`:
 *
 * - Redirects: 301, 302, 303, 307 and 308 with a non-empty `location` are followed when the new
 *   URL's hostname equals the first request's (port ignored, case-sensitive as Go's
 *   `URL.Hostname()`), while fewer than 10 requests were made; the next one fails with
 *   `Get "<Location>": stopped after 10 redirects`. Another hostname is not followed and the 3xx
 *   response is the answer. Other 3xx statuses, or a 3xx without `location`, are final too.
 * - Each redirected request carries the first request's headers (Go copies them; the same hostname
 *   keeps even `Authorization`), `Referer: <previous URL>` unless https→http or a Referer was
 *   given, and the virtual `Host` only when the Location is relative (Go issue 22233).
 * - Before each send, Go's transport checks: scheme http/https (`unsupported protocol scheme "x"`),
 *   header names and values (`net/http: invalid header field value for "X"`: such a request is
 *   never handed to the client), a host (`http: no Host in request URL`).
 * - Errors read as Go's `*url.Error`: `Get "<url>": <cause>`.
 * - Fallback: when the client reports `HTTP_RESPONSE_TO_HTTPS_CLIENT` (or a message containing
 *   `server gave HTTP response to HTTPS client`), the original request is sent once more over
 *   http without `Authorization`; success emits `LifecycleHTTPFallback` on the pod, failure
 *   reports the original error. As in Go, the retry is decided on the error alone.
 *
 * Deliberate difference: every request (not only the fallback retry) is bound to `ctx.signal`; an
 * abort fails the hook with `Get "<url>": context canceled` without waiting for the client.
 *
 * @module
 */

import type { HTTPGetAction } from '../api/types.js';
import type { HttpRequest } from '../ports/http-client.js';
import { HTTP_RESPONSE_TO_HTTPS_CLIENT } from '../ports/http-client.js';
import { EventMessages } from './events.js';
import { describeError, describeValue, formatPodDesc, goQuote } from './format.js';
import { goUrlForError, goUrlHostname, goUrlString, parseGoUrl, resolveGoUrl } from './go-url.js';
import { type Hop, headerValue, hopProblem, redirectHeaders } from './http-redirect.js';
import { buildHttpGetRequest } from './http-request.js';
import { contextErrorText, settle } from './settle.js';
import type { HandlerOutcome, HandlerRunContext } from './types.js';

/** Go's `http.Client` redirect limit as applied by the kubelet's redirect checker. */
export const MAX_HTTP_REQUESTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SCHEME_MISMATCH_TEXT = 'server gave HTTP response to HTTPS client';

type Response = { readonly status: number; readonly headers: unknown };
type DoResult =
  | { readonly ok: true; readonly response: Response }
  | { readonly ok: false; readonly error: string; readonly isSchemeMismatch: boolean };

/**
 * Run an httpGet handler: build the request (see `buildHttpGetRequest`), send it with the
 * kubelet's redirect policy and HTTPS→HTTP fallback, then judge the status by
 * `ctx.policy.httpStatus` (`'ignore'`: any response succeeds, k/k#56963; `'probe'`: only
 * 200–399, else `HTTP probe failed with statuscode: <n>`). Never rejects.
 */
export async function runHttpGetHandler(httpGet: HTTPGetAction, ctx: HandlerRunContext): Promise<HandlerOutcome> {
  const error = await httpGetError(httpGet, ctx);
  if (error === undefined) return { ok: true };
  const path = typeof httpGet.path === 'string' ? httpGet.path : '';
  const message =
    `HTTP lifecycle hook (${path}) for Container ${goQuote(ctx.container.name)} ` +
    `in Pod ${goQuote(formatPodDesc(ctx.pod))} failed - error: ${error}${noUrlExplanation(error, httpGet, ctx)}`;
  return { ok: false, error, message };
}

/**
 * For the failures that happen before any URL exists, a plain reason after the kubelet's text
 * (which stays as spec §5.2 pins it): the kubelet's `failed to find networking container: &{…}`
 * is a Go struct dump of the pod's network status, and a port error does not say which field.
 * Failures with a URL already read `Get "<url>": <why>` and get nothing more.
 */
function noUrlExplanation(error: string, httpGet: HTTPGetAction, ctx: HandlerRunContext): string {
  const container = goQuote(String(ctx.container.name));
  if (error.startsWith('failed to find networking container:')) {
    return (
      '; no URL was requested: the pod has no IP (status.podIP / status.podIPs are empty) and httpGet.host is ' +
      'not set. Set httpGet.host, or give the pod an IP in status.podIP as the kubelet would'
    );
  }
  if (error.startsWith('invalid port number:') || error.startsWith('strconv.Atoi:')) {
    return (
      `; no URL was requested: httpGet.port ${describeValue(httpGet.port)} is neither the name of a port of ` +
      `container ${container} nor a port number from 1 to 65535`
    );
  }
  return '';
}

async function httpGetError(httpGet: HTTPGetAction, ctx: HandlerRunContext): Promise<string | undefined> {
  const built = buildHttpGetRequest(httpGet, ctx.container, ctx.pod, ctx.kubeletVersion);
  if (!built.ok) return built.error;
  const parsed = parseGoUrl(built.request.url);
  if (!parsed.ok) return parsed.error; // unreachable: the builder already parsed it
  const initial: Hop = { url: parsed.url, headers: built.request.headers };

  let result = await clientDo(initial, ctx);
  if (!result.ok && result.isSchemeMismatch) {
    const retry = await clientDo(
      {
        url: { ...initial.url, scheme: 'http' },
        headers: initial.headers.filter(([name]) => name !== 'Authorization'),
      },
      ctx,
    );
    if (retry.ok) {
      emitFallback(ctx, built.hostPort);
      result = retry;
    }
  }
  if (!result.ok) return result.error;
  const { status } = result.response;
  if (ctx.policy.httpStatus === 'probe' && !(status >= 200 && status < 400)) {
    return `HTTP probe failed with statuscode: ${status}`;
  }
  return undefined;
}

function emitFallback(ctx: HandlerRunContext, hostPort: string): void {
  const meta = ctx.pod.metadata ?? {};
  try {
    ctx.emit({
      type: 'Warning',
      reason: 'LifecycleHTTPFallback',
      message: EventMessages.httpFallback(hostPort),
      object: { kind: 'Pod', name: meta.name ?? '', namespace: meta.namespace ?? '' },
    });
  } catch {
    // An event sink that throws must not change the hook's outcome.
  }
}

/** Go's `Client.Do` with the kubelet's `CheckRedirect`, over the one-request port. */
async function clientDo(initial: Hop, ctx: HandlerRunContext): Promise<DoResult> {
  const via: Hop[] = [];
  let req = initial;
  let last: Response | undefined;
  for (;;) {
    if (last !== undefined) {
      const loc = headerValue(last.headers, 'location');
      if (loc === undefined || loc === '') return { ok: true, response: last };
      const ref = parseGoUrl(loc);
      if (!ref.ok) {
        return fail(
          `Get ${goQuote(goUrlForError(req.url))}: failed to parse Location header ${goQuote(loc)}: ${ref.error}`,
        );
      }
      const url = resolveGoUrl(req.url, ref.url);
      const next: Hop = { url, headers: redirectHeaders(initial, req, url, ref.url.scheme === '') };
      if (goUrlHostname(url) !== goUrlHostname((via[0] ?? initial).url)) return { ok: true, response: last };
      if (via.length >= MAX_HTTP_REQUESTS)
        return fail(`Get ${goQuote(loc)}: stopped after ${MAX_HTTP_REQUESTS} redirects`);
      req = next;
    }
    const wrap = (cause: string): string => `Get ${goQuote(goUrlForError(req.url))}: ${cause}`;
    const problem = hopProblem(req);
    if (problem !== undefined) return fail(wrap(problem));
    via.push(req);

    const request: HttpRequest = {
      method: 'GET',
      url: goUrlString(req.url),
      headers: req.headers.map(([n, v]) => [n, v] as const),
    };
    const settled = await settle(() => ctx.httpClient.request(request, { signal: ctx.signal }), ctx.signal);
    if (settled.kind === 'aborted') return fail(wrap(contextErrorText(ctx.signal)));
    if (settled.kind === 'rejected') {
      const isSchemeMismatch = isSchemeMismatchError(settled.error);
      const cause = describeError(settled.error);
      // Flagged by `code` alone: use the text Go's client gives (http.ErrSchemeMismatch).
      const text = isSchemeMismatch && !cause.includes(SCHEME_MISMATCH_TEXT) ? `http: ${SCHEME_MISMATCH_TEXT}` : cause;
      // A client that already reports Go's `Get "<url>": <cause>` form (NodeHttpClient, the
      // testing kit's FakeHttpClient) is not wrapped a second time.
      return fail(text.startsWith(wrap('')) ? text : wrap(text), isSchemeMismatch);
    }
    const response = settled.value as unknown;
    if (response === null || typeof response !== 'object')
      return fail(wrap(`malformed HTTP response ${describeValue(response)}`));
    const status = (response as { status?: unknown }).status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) {
      return fail(wrap(`malformed HTTP status code ${goQuote(describeError(status))}`));
    }
    last = { status, headers: (response as { headers?: unknown }).headers };
    if (!REDIRECT_STATUSES.has(status)) return { ok: true, response: last };
  }
}

function fail(error: string, isSchemeMismatch = false): DoResult {
  return { ok: false, error, isSchemeMismatch };
}

function isSchemeMismatchError(error: unknown): boolean {
  try {
    if (
      error !== null &&
      typeof error === 'object' &&
      (error as { code?: unknown }).code === HTTP_RESPONSE_TO_HTTPS_CLIENT
    ) {
      return true;
    }
  } catch {
    // a hostile getter: fall through to the message
  }
  return describeError(error).includes(SCHEME_MISMATCH_TEXT);
}

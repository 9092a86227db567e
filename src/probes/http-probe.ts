/**
 * The httpGet probe (spec pod §6.2), after the kubelet's `pkg/probe/http/http.go` and
 * `request.go` (`NewRequestForHTTPGetAction(..., "probe")`) on top of the one-request
 * `HttpClient` port:
 *
 * - request as for hooks (`buildHttpGetRequest`), but `User-Agent: kube-probe/<major.minor>`
 *   unless the probe sets one, and the host defaults to the pod IP;
 * - Go's `http.Client{Timeout: timeoutSeconds}` with `RedirectChecker(false)`: 301/302/303/307/308
 *   with a `location` on the same hostname are followed, at most 10 requests
 *   (`stopped after 10 redirects`); another hostname is not followed and the 3xx is the answer;
 *   no HTTPS→HTTP fallback (that is the hook handler's alone);
 * - 200–299 → success; 300–399 → warning `Probe terminated redirects, Response body: <body>`, with
 *   the first 10 KiB of the body the request asks the port for (`readBodyBytes`; empty from an
 *   adapter that does not return it); else failure
 *   `HTTP probe failed with statuscode: <code>` (never the body);
 * - transport errors and the timeout are failures with Go's text, e.g.
 *   `Get "http://10.0.0.7:80/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
 *   a request that cannot be built (an unresolvable port, a URL that does not parse) is the
 *   errored path (`unknown`), as `NewRequestForHTTPGetAction` fails before the prober runs.
 *
 * @module
 */

import type { HTTPGetAction, HTTPHeader } from '../api/types.js';
import { describeError, describeValue, goQuote } from '../hooks/format.js';
import { goUrlForError, goUrlHostname, goUrlString, parseGoUrl, resolveGoUrl } from '../hooks/go-url.js';
import { type Hop, headerValue, hopProblem, redirectHeaders } from '../hooks/http-redirect.js';
import { buildHttpGetRequest, canonicalHeaderKey } from '../hooks/http-request.js';
import { settle } from '../hooks/settle.js';
import { capProbeOutput } from './exec-probe.js';
import type { ProbeOutcome, ProbeRunContext } from './probe-outcome.js';
import { noPodIPError, withDeadline } from './probe-outcome.js';

const MAX_REQUESTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CLIENT_TIMEOUT = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';

type DoResult =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly error: string };

/** `maxRespBodyLength`: the body bytes `DoHTTPProbe` reads (`utilio.ReadAtMost`), 10 KiB. */
export const MAX_PROBE_BODY_BYTES = 10 * 1024;

/** The probe's headers: its own, then `User-Agent: kube-probe/<version>` unless one is given. */
function probeHeaders(httpGet: HTTPGetAction, kubeletVersion: string): HTTPHeader[] {
  const given = (Array.isArray(httpGet.httpHeaders) ? httpGet.httpHeaders : []).filter(
    (h) => h !== null && typeof h === 'object',
  );
  const hasAgent = given.some((h) => canonicalHeaderKey(String(h.name ?? '')) === 'User-Agent');
  return hasAgent ? given : [...given, { name: 'User-Agent', value: `kube-probe/${kubeletVersion}` }];
}

/** Run an httpGet probe (see the module comment). Never rejects. */
export async function runHttpGetProbe(
  httpGet: HTTPGetAction,
  timeoutSeconds: number,
  ctx: ProbeRunContext,
): Promise<ProbeOutcome> {
  const host = typeof httpGet.host === 'string' ? httpGet.host : '';
  if (host === '' && ctx.podIP === '') return { result: 'unknown', output: '', error: noPodIPError(ctx.pod) };
  const pod = { ...ctx.pod, status: { ...(ctx.pod.status ?? {}), podIP: ctx.podIP, podIPs: [{ ip: ctx.podIP }] } };
  const action = { ...httpGet, httpHeaders: probeHeaders(httpGet, ctx.kubeletVersion) };
  const built = buildHttpGetRequest(action, ctx.container, pod, ctx.kubeletVersion);
  // NewRequestForHTTPGetAction resolves the port and builds the request (`http.NewRequest`
  // parses the URL) before the prober runs: either failing is a prober error (unknown).
  if (!built.ok) return { result: 'unknown', output: '', error: built.error };
  const parsed = parseGoUrl(built.request.url);
  if (!parsed.ok) return { result: 'unknown', output: '', error: parsed.error };
  const initial: Hop = { url: parsed.url, headers: built.request.headers };

  const done = await withDeadline(ctx.clock, timeoutSeconds * 1000, ctx.signal, (signal, hasTimedOut) =>
    clientDo(initial, ctx, signal, hasTimedOut),
  );
  if (!done.ok) return { result: 'failure', output: done.error };
  if (done.status >= 200 && done.status < 300) return { result: 'success', output: '' };
  if (done.status >= 300 && done.status < 400) {
    return { result: 'warning', output: `Probe terminated redirects, Response body: ${done.body}` };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${done.status}` };
}

/** Go's `Client.Do` with the kubelet's probe redirect checker, over the one-request port. */
async function clientDo(
  initial: Hop,
  ctx: ProbeRunContext,
  signal: AbortSignal,
  hasTimedOut: () => boolean,
): Promise<DoResult> {
  let req = initial;
  let requests = 0;
  for (;;) {
    const wrap = (cause: string): string => `Get ${goQuote(goUrlForError(req.url))}: ${cause}`;
    const problem = hopProblem(req);
    if (problem !== undefined) return fail(wrap(problem));
    requests++;

    const request = {
      method: 'GET' as const,
      url: goUrlString(req.url),
      headers: req.headers.map(([n, v]) => [n, v] as const),
      readBodyBytes: MAX_PROBE_BODY_BYTES,
    };
    const settled = await settle(() => ctx.httpClient.request(request, { signal }), signal);
    if (settled.kind === 'aborted') return fail(wrap(hasTimedOut() ? CLIENT_TIMEOUT : 'context canceled'));
    if (settled.kind === 'rejected') {
      const text = describeError(settled.error);
      return fail(text.startsWith(wrap('')) ? text : wrap(text));
    }
    const response = settled.value as unknown;
    if (response === null || typeof response !== 'object') {
      return fail(wrap(`malformed HTTP response ${describeValue(response)}`));
    }
    const status = (response as { status?: unknown }).status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) {
      return fail(wrap(`malformed HTTP status code ${goQuote(describeError(status))}`));
    }
    const location = headerValue((response as { headers?: unknown }).headers, 'location');
    const answer: DoResult = { ok: true, status, body: bodyOf(response) };
    if (!REDIRECT_STATUSES.has(status) || location === undefined || location === '') return answer;
    const ref = parseGoUrl(location);
    if (!ref.ok) {
      return fail(wrap(`failed to parse Location header ${goQuote(location)}: ${ref.error}`));
    }
    const url = resolveGoUrl(req.url, ref.url);
    // RedirectChecker(false): another hostname ends the chain with this 3xx (ErrUseLastResponse).
    if (goUrlHostname(url) !== goUrlHostname(initial.url)) return answer;
    if (requests >= MAX_REQUESTS) return fail(`Get ${goQuote(location)}: stopped after ${MAX_REQUESTS} redirects`);
    req = { url, headers: redirectHeaders(initial, req, url, ref.url.scheme === '') };
  }
}

/** The body an adapter returned (a string, at most {@link MAX_PROBE_BODY_BYTES} of UTF-8), else empty. */
function bodyOf(response: object): string {
  const body = (response as { body?: unknown }).body;
  // The same 10 KiB of UTF-8 as an exec probe's output (maxReadLength = maxRespBodyLength).
  return typeof body === 'string' ? capProbeOutput(body) : '';
}

function fail(error: string): DoResult {
  return { ok: false, error };
}

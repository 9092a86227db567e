/**
 * Pure request building for httpGet handlers (spec §5.2), after the kubelet's
 * `pkg/probe/http/request.go` `NewRequestForHTTPGetAction(..., "lifecycle")`, `pkg/probe/util.go`
 * `ResolveContainerPort`, Go's `textproto.CanonicalMIMEHeaderKey` and the header checks of Go's
 * HTTP transport.
 *
 * @module
 */

import type { Container, HTTPGetAction, Pod } from '../api/types.js';
import type { HttpRequest } from '../ports/http-client.js';
import { goQuote } from './format.js';
import { goUrlString, joinHostPort, parseGoUrl } from './go-url.js';
import { escapeGoPath } from './go-url-escape.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Go's `http.CanonicalHeaderKey`: first letter and every letter after `-` upper case, the rest
 * lower case (`FOO-bAR` → `Foo-Bar`). A name with a space or any byte that is not an RFC 7230
 * token character (`:`, `@`, non-ASCII, …) is returned unchanged, as Go does.
 */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN.test(name)) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** Go's `httpguts.ValidHeaderFieldValue`: no control bytes (CR, LF, NUL, DEL, …) other than tab. */
export function isValidHeaderValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\x00-\x08\x0a-\x1f\x7f]/.test(value);
}

/**
 * The check Go's HTTP transport makes before sending anything (http and https only): every header
 * name must be an RFC 7230 token and no value may hold a control byte. Returns Go's error text
 * (`net/http: invalid header field value for "X-Foo"`; the value is never echoed) or undefined.
 */
export function checkRequestHeaders(headers: ReadonlyArray<readonly [string, string]>): string | undefined {
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) return `net/http: invalid header field name ${goQuote(name)}`;
    if (!isValidHeaderValue(value)) return `net/http: invalid header field value for ${goQuote(name)}`;
  }
  return undefined;
}

/** Go's `strconv.Atoi` on a 64-bit platform: the value, or its error text. */
function goAtoi(s: string): bigint | string {
  const syntax = `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`;
  const range = `strconv.Atoi: parsing ${goQuote(s)}: value out of range`;
  const negative = s.startsWith('-');
  const digits = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  if (digits === '') return syntax;
  let n = 0n;
  for (const ch of digits) {
    if (ch < '0' || ch > '9') return syntax;
    n = n * 10n + BigInt(ch.charCodeAt(0) - 48);
    if (n > 0xffff_ffff_ffff_ffffn) return range; // ParseUint stops at the first overflow
  }
  if (negative ? n > 1n << 63n : n >= 1n << 63n) return range;
  return negative ? -n : n;
}

/**
 * `ResolveContainerPort`: a number is used as is; a string is first looked up as a container
 * port **name** (Go's zero value: a port without a name matches `""`), then parsed as a decimal
 * number. The result must be 1–65535 (`invalid port number: <n>`).
 */
export function resolveContainerPort(
  port: unknown,
  container: Container,
): { ok: true; port: number } | { ok: false; error: string } {
  let value: bigint | number;
  if (typeof port === 'string') {
    const named = (Array.isArray(container.ports) ? container.ports : []).find((p) => (p?.name ?? '') === port);
    if (named !== undefined) {
      value = named.containerPort;
    } else {
      const parsed = goAtoi(port);
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      value = parsed;
    }
  } else {
    value = typeof port === 'number' ? port : 0; // Go's zero IntOrString is the int 0
  }
  const n = Number(value);
  if (Number.isInteger(n) && n > 0 && n < 65536) return { ok: true, port: n };
  return { ok: false, error: `invalid port number: ${String(value)}` };
}

/** Every pod IP, first one first: `status.podIPs[].ip`, else `status.podIP`. */
function podIPs(pod: Pod): string[] {
  const status = pod.status ?? {};
  const ips = (Array.isArray(status.podIPs) ? status.podIPs : [])
    .map((p) => p?.ip)
    .filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  if (ips.length === 0 && typeof status.podIP === 'string' && status.podIP !== '') ips.push(status.podIP);
  return ips;
}

/** The outcome of {@link buildHttpGetRequest}. */
export type BuildHttpGetRequestResult =
  | {
      readonly ok: true;
      readonly request: HttpRequest;
      /** `host:port` as in the URL (IPv6 bracketed): the `LifecycleHTTPFallback` event names it. */
      readonly hostPort: string;
    }
  | { readonly ok: false; readonly error: string };

/**
 * Build the GET request the kubelet sends for an httpGet handler (spec §5.2). Pure.
 *
 * - host: `httpGet.host`, else the first pod IP; none → `failed to find networking container: …`
 * - scheme lower-cased (empty → `http`); other schemes are passed through (the send then fails);
 * - port: see {@link resolveContainerPort};
 * - URL as Go's `url.URL` renders it (`foo` → `/foo`, `?foo` → `http://h:93?foo`, query and
 *   fragment kept, IPv6 bracketed); a path that does not parse is taken verbatim, escaped;
 * - headers added in order with canonical names; `User-Agent: kube-lifecycle/<kubeletVersion>`
 *   and `Accept: *\/*` appended unless given; an `Accept` whose first value is empty removes
 *   every `Accept`. Like Go's wire format, only the first `Host` and `User-Agent` are kept and an
 *   empty one is dropped (`Host` then defaults to the URL's host).
 *
 * Header values are not checked here: Go's client does that when sending
 * ({@link checkRequestHeaders}), so the runner does too.
 *
 * @example
 * buildHttpGetRequest({ port: 8080, path: 'healthz' }, container, pod, '1.35')
 * // → { ok: true, hostPort: '10.0.0.7:8080', request: { method: 'GET', url: 'http://10.0.0.7:8080/healthz', headers: [...] } }
 */
export function buildHttpGetRequest(
  httpGet: HTTPGetAction,
  container: Container,
  pod: Pod,
  kubeletVersion: string,
): BuildHttpGetRequestResult {
  let host = typeof httpGet.host === 'string' ? httpGet.host : '';
  if (host === '') {
    const ips = podIPs(pod);
    if (ips.length === 0) {
      const meta = pod.metadata ?? {};
      return {
        ok: false,
        error: `failed to find networking container: &{ID:${meta.uid ?? ''} Name:${meta.name ?? ''} Namespace:${meta.namespace ?? ''} IPs:[]}`,
      };
    }
    host = ips[0] as string;
  }
  const scheme = (typeof httpGet.scheme === 'string' ? httpGet.scheme : '').toLowerCase() || 'http';
  const port = resolveContainerPort(httpGet.port, container);
  if (!port.ok) return port;

  // formatURL: parse the path as a URL reference, then force scheme and host.
  const path = typeof httpGet.path === 'string' ? httpGet.path : '';
  const hostPort = joinHostPort(host, String(port.port));
  const parsedPath = parseGoUrl(path);
  const base = parsedPath.ok
    ? parsedPath.url
    : {
        scheme: '',
        opaque: '',
        user: undefined,
        host: '',
        path: escapeGoPath(path),
        omitHost: false,
        forceQuery: false,
        rawQuery: '',
        fragment: '',
      };
  const formatted = goUrlString({ ...base, scheme, host: hostPort });
  // http.NewRequest parses the rendered URL again; that can fail (e.g. an invalid host).
  const reparsed = parseGoUrl(formatted);
  if (!reparsed.ok) return { ok: false, error: reparsed.error };

  return {
    ok: true,
    hostPort: reparsed.url.host,
    request: { method: 'GET', url: goUrlString(reparsed.url), headers: buildHeaders(httpGet, kubeletVersion) },
  };
}

function buildHeaders(httpGet: HTTPGetAction, kubeletVersion: string): Array<readonly [string, string]> {
  let headers: Array<readonly [string, string]> = (Array.isArray(httpGet.httpHeaders) ? httpGet.httpHeaders : [])
    .filter((h) => h !== null && typeof h === 'object')
    .map((h) => [canonicalHeaderKey(String(h.name ?? '')), String(h.value ?? '')] as const);
  const first = (name: string): string | undefined => headers.find(([n]) => n === name)?.[1];

  if (first('User-Agent') === undefined) headers.push(['User-Agent', `kube-lifecycle/${kubeletVersion}`]);
  const accept = first('Accept');
  if (accept === undefined) headers.push(['Accept', '*/*']);
  else if (accept === '') headers = headers.filter(([n]) => n !== 'Accept');

  // On the wire Go sends a single Host (req.Host) and a single User-Agent (Header.Get).
  for (const single of ['Host', 'User-Agent']) {
    const index = headers.findIndex(([n]) => n === single);
    headers = headers.filter(([n], i) => n !== single || (i === index && headers[i]?.[1] !== ''));
  }
  return headers;
}

import type { HttpRequest, HttpResponse } from '../ports/http-client.js';

/**
 * Which requests a route answers:
 * - a string starting with `/`: the path and query (`/drain?fast=1`), any host;
 * - a string with `://`: the whole URL (`http://10.0.0.5:8080/drain`);
 * - any other string: the host, with or without port (`10.0.0.5`, `10.0.0.5:8080`);
 * - a RegExp tested against the whole URL; or a predicate.
 */
export type HttpRouteMatcher = string | RegExp | ((request: HttpRequest, url: URL) => boolean);

/**
 * How a matched request is answered. `delayMs` waits on the clock first (abortable).
 * - `{ status, headers?, body? }`: respond (header names are lower-cased; `location` makes a
 *   redirect); `body` is returned only to a request that sets `readBodyBytes` (the httpGet
 *   probe), cut to that many bytes of UTF-8 on a character boundary.
 * - `{ error }`: reject with exactly that value (give it any `message` and `code`).
 * - `{ hang: true }`: never settle, except through the abort signal.
 * - `{ plainHttp: true }`: a port that speaks plain HTTP: an `https:` request rejects with
 *   `code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT'`, an `http:` one gets `status` (default 200).
 * - a function computing the response; may be async.
 *
 * @example
 * ```ts
 * http.route('/drain', { status: 200, delayMs: 2_000 });
 * http.route('/old', { status: 302, headers: { Location: '/new' } });
 * http.route('10.0.0.9', { error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
 * http.route(/:8443\//, { plainHttp: true });
 * ```
 */
export type HttpRouteScript =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
      readonly delayMs?: number;
    }
  | { readonly error: unknown; readonly delayMs?: number }
  | { readonly hang: true }
  | { readonly plainHttp: true; readonly status?: number; readonly delayMs?: number }
  | ((request: HttpRequest, options: { readonly signal: AbortSignal }) => HttpResponse | Promise<HttpResponse>);

/** One request seen by a {@link FakeHttpClient}, with what became of it. */
export interface RecordedHttpRequest {
  /** The instant the request arrived, on the client's clock. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
  readonly request: HttpRequest;
  /** Index of the route that answered (in `route()` order), or undefined when none matched. */
  readonly routeIndex?: number;
  /** Filled in once the request settles. */
  readonly outcome?: { readonly status: number } | { readonly error: string };
}

/** Whether `matcher` selects the request. */
export function matchesRoute(matcher: HttpRouteMatcher, request: HttpRequest, url: URL): boolean {
  if (typeof matcher === 'function') return matcher(request, url);
  if (matcher instanceof RegExp) {
    matcher.lastIndex = 0;
    return matcher.test(request.url);
  }
  if (matcher.startsWith('/')) return url.pathname + url.search === matcher;
  if (matcher.includes('://')) return sameUrl(matcher, request.url);
  return url.host === matcher || url.hostname === matcher || url.hostname === `[${matcher}]`;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/** Renders a matcher for tables. */
export function describeRouteMatcher(matcher: HttpRouteMatcher): string {
  if (typeof matcher === 'function') return 'predicate';
  if (matcher instanceof RegExp) return String(matcher);
  if (matcher.startsWith('/')) return `path ${matcher}`;
  return matcher.includes('://') ? `url ${matcher}` : `host ${matcher}`;
}

/** Renders a script for tables. */
export function describeRouteScript(script: HttpRouteScript): string {
  if (typeof script === 'function') return 'function';
  const delay = 'delayMs' in script && script.delayMs ? ` after ${script.delayMs} ms` : '';
  if ('hang' in script) return 'never answers';
  if ('plainHttp' in script) return `plain HTTP${delay}`;
  if ('error' in script) return `error${delay}`;
  return `${script.status}${delay}`;
}

/** A plain-text table (header row, separator, rows), as in undici MockAgent's failure messages. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

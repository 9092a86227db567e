/**
 * Go's `http.Client` rules for each request of a redirect chain (the checks before it goes out,
 * the headers a redirect carries), shared by httpGet hooks and httpGet probes.
 *
 * @module
 */
import { goQuote } from './format.js';
import type { GoUrl } from './go-url.js';
import { goUrlString } from './go-url.js';
import { checkRequestHeaders } from './http-request.js';

/** One request of a redirect chain: its URL and the headers sent. */
export type Hop = { readonly url: GoUrl; readonly headers: ReadonlyArray<readonly [string, string]> };

/**
 * Headers of a redirected request as Go's `http.Client` builds them (hooks and httpGet probes alike):
 * the first request's headers, `Host` kept only for a relative Location, then `Referer` (none on an
 * https → http downgrade).
 */
export function redirectHeaders(
  initial: Hop,
  current: Hop,
  next: GoUrl,
  isRelative: boolean,
): Array<readonly [string, string]> {
  const vhost = current.headers.find(([name]) => name === 'Host')?.[1];
  const keepHost = vhost !== undefined && vhost !== current.url.host && isRelative;
  const headers = initial.headers.flatMap(
    ([name, value]): Array<readonly [string, string]> =>
      name === 'Host' ? (keepHost ? [['Host', vhost]] : []) : [[name, value]],
  );
  const explicit = headers.find(([name]) => name === 'Referer')?.[1] ?? '';
  let referer = '';
  if (!(current.url.scheme === 'https' && next.scheme === 'http')) {
    referer = explicit !== '' ? explicit : goUrlString({ ...current.url, user: undefined });
  }
  if (referer === '') return headers;
  return [...headers.filter(([name]) => name !== 'Referer'), ['Referer', referer]];
}

/** A response header by name (the port promises lower-case names; other spellings are tolerated). */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const record = headers as Record<string, unknown>;
  const key = name in record ? name : Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * What Go's `http.Client` refuses before a request of the chain goes out (the scheme, header
 * names and values, an empty host), as its error text without the `Get "<url>": ` prefix;
 * undefined when the request may go.
 */
export function hopProblem(hop: Hop): string | undefined {
  const { scheme, host } = hop.url;
  if (scheme !== 'http' && scheme !== 'https') return `unsupported protocol scheme ${goQuote(scheme)}`;
  const badHeader = checkRequestHeaders(hop.headers);
  if (badHeader !== undefined) return badHeader;
  if (host === '') return 'http: no Host in request URL';
  return undefined;
}

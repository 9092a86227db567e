/**
 * Go's redirect rules for request headers, shared by httpGet hooks and httpGet probes.
 *
 * @module
 */
import type { GoUrl } from './go-url.js';
import { goUrlString } from './go-url.js';

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

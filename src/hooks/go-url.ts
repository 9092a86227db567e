/**
 * The parts of Go's `net/url` the kubelet's HTTP handler relies on (spec §5.2): `url.Parse`,
 * `URL.String`, `URL.ResolveReference` (redirect Locations) and `URL.Hostname` (redirect policy).
 * The WHATWG `URL` normalises differently (it would turn `?foo` into `/?foo`, lower-case hosts,
 * resolve dots in the request path), so the kubelet's exact URLs need Go's own rules.
 *
 * Simplifications, none reachable from a valid pod spec: userinfo is kept as written (Go
 * re-escapes it), IPv6 zones are unescaped like the rest of the host, and IP literals are not
 * checked for being well formed.
 *
 * @module
 */
import { goQuote } from './format.js';
import { escapedForm, goEscape, goUnescape } from './go-url-escape.js';

/** A parsed URL in Go's model. `path` and `fragment` hold their escaped forms (`EscapedPath`). */
export interface GoUrl {
  readonly scheme: string;
  readonly opaque: string;
  /** Userinfo as written (`user:password`), or undefined. */
  readonly user: string | undefined;
  /** Host (and `:port`), unescaped, IPv6 bracketed: Go's `URL.Host`. */
  readonly host: string;
  readonly path: string;
  readonly omitHost: boolean;
  readonly forceQuery: boolean;
  readonly rawQuery: string;
  readonly fragment: string;
}

/** The result of {@link parseGoUrl}: the URL, or Go's `*url.Error` text (`parse "x": …`). */
export type GoUrlParse = { readonly ok: true; readonly url: GoUrl } | { readonly ok: false; readonly error: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function parseHost(host: string): string | { error: string } {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return { error: `invalid port ${goQuote(colonPort)} after host` };
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) {
      return { error: `invalid port ${goQuote(host.slice(i))} after host` };
    }
  }
  const bytes = goUnescape(host, 'host');
  return typeof bytes === 'string' ? { error: bytes } : decoder.decode(bytes);
}

function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) return { error: 'missing protocol scheme' };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

// eslint-disable-next-line no-control-regex
const CTL = /[\x00-\x1f\x7f]/;

function parseNoFragment(raw: string): GoUrl | { error: string } {
  if (CTL.test(raw)) return { error: 'net/url: invalid control character in URL' };
  const empty: GoUrl = {
    scheme: '',
    opaque: '',
    user: undefined,
    host: '',
    path: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
  };
  if (raw === '') return empty;
  if (raw === '*') return { ...empty, path: '*' };
  const schemed = getScheme(raw);
  if ('error' in schemed) return schemed;
  const scheme = schemed.scheme.toLowerCase();
  let rest = schemed.rest;
  let forceQuery = false;
  let rawQuery = '';
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  const base = { ...empty, scheme, forceQuery, rawQuery };
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...base, opaque: rest };
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) return { error: 'first path segment in URL cannot contain colon' };
  }
  let user: string | undefined;
  let host = '';
  let omitHost = false;
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    const parsedHost = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (typeof parsedHost !== 'string') return parsedHost;
    host = parsedHost;
    if (at >= 0) {
      user = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(user)) return { error: 'net/url: invalid userinfo' };
    }
  } else if (scheme !== '' && rest.startsWith('/')) {
    omitHost = true;
  }
  const path = escapedForm(rest, 'path');
  if (typeof path !== 'string') return path;
  return { ...base, user, host, omitHost, path };
}

/** Go's `url.Parse`. */
export function parseGoUrl(raw: string): GoUrlParse {
  const hash = raw.indexOf('#');
  const head = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  const url = parseNoFragment(head);
  if ('error' in url) return { ok: false, error: `parse ${goQuote(head)}: ${url.error}` };
  if (frag === '') return { ok: true, url };
  const fragment = escapedForm(frag, 'fragment');
  if (typeof fragment !== 'string') return { ok: false, error: `parse ${goQuote(raw)}: ${fragment.error}` };
  return { ok: true, url: { ...url, fragment } };
}

/** Go's `URL.String`. */
export function goUrlString(u: GoUrl): string {
  let out = '';
  if (u.scheme !== '') out += `${u.scheme}:`;
  if (u.opaque !== '') {
    out += u.opaque;
  } else {
    if (
      (u.scheme !== '' || u.host !== '' || u.user !== undefined) &&
      !(u.omitHost && u.host === '' && u.user === undefined)
    ) {
      if (u.host !== '' || u.path !== '' || u.user !== undefined) out += '//';
      if (u.user !== undefined) out += `${u.user}@`;
      if (u.host !== '') out += goEscape(encoder.encode(u.host), 'host');
    }
    if (u.path !== '' && !u.path.startsWith('/') && u.host !== '') out += '/';
    if (out === '' && (u.path.split('/')[0] ?? '').includes(':')) out += './';
    out += u.path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += `?${u.rawQuery}`;
  if (u.fragment !== '') out += `#${u.fragment}`;
  return out;
}

/** The URL as Go's HTTP client prints it in errors (`stripPassword`: the password becomes `***`). */
export function goUrlForError(u: GoUrl): string {
  if (u.user === undefined || !u.user.includes(':')) return goUrlString(u);
  return goUrlString({ ...u, user: `${u.user.slice(0, u.user.indexOf(':'))}:***` });
}

/** Go's `URL.Hostname`: the host without port and brackets (case kept). */
export function goUrlHostname(u: GoUrl): string {
  let host = u.host;
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) host = host.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host;
}

function resolvePath(base: string, ref: string): string {
  const full = ref === '' ? base : ref[0] !== '/' ? base.slice(0, base.lastIndexOf('/') + 1) + ref : ref;
  if (full === '') return '';
  let dst = '/';
  let first = true;
  let elem = '';
  const parts = full.split('/');
  for (const part of parts) {
    elem = part;
    if (elem === '.') {
      first = false;
      continue;
    }
    if (elem === '..') {
      const str = dst.slice(1);
      const index = str.lastIndexOf('/');
      dst = '/';
      if (index === -1) first = true;
      else dst += str.slice(0, index);
    } else {
      if (!first) dst += '/';
      dst += elem;
      first = false;
    }
  }
  if (elem === '.' || elem === '..') dst += '/';
  return dst.length > 1 && dst[1] === '/' ? dst.slice(1) : dst;
}

/** Go's `URL.ResolveReference` (how a redirect `Location` is resolved against the request URL). */
export function resolveGoUrl(base: GoUrl, ref: GoUrl): GoUrl {
  const scheme = ref.scheme === '' ? base.scheme : ref.scheme;
  if (ref.scheme !== '' || ref.host !== '' || ref.user !== undefined) {
    return { ...ref, scheme, path: resolvePath(ref.path, '') };
  }
  if (ref.opaque !== '') return { ...ref, scheme, user: undefined, host: '', path: '' };
  let { rawQuery, fragment } = ref;
  if (ref.path === '' && !ref.forceQuery && ref.rawQuery === '') {
    rawQuery = base.rawQuery;
    if (ref.fragment === '') fragment = base.fragment;
  }
  if (ref.path === '' && base.opaque !== '') {
    return { ...ref, scheme, rawQuery, fragment, opaque: base.opaque, user: undefined, host: '', path: '' };
  }
  return {
    ...ref,
    scheme,
    rawQuery,
    fragment,
    host: base.host,
    user: base.user,
    path: resolvePath(base.path, ref.path),
  };
}

/** Go's `net.JoinHostPort`: brackets a host that contains a colon (IPv6). */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

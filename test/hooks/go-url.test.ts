// Go net/url behaviour the redirect loop relies on (spec §5.2 Client).
import { describe, expect, it } from 'vitest';
import { goUrlHostname, goUrlString, parseGoUrl, resolveGoUrl } from '../../src/hooks/index.js';

function parse(raw: string) {
  const parsed = parseGoUrl(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.url;
}

describe('parseGoUrl + goUrlString round trip', () => {
  it.each([
    'http://h:80/a/b?c=d#e',
    'https://[2001:db8::1]:443/',
    'http://u:p@h/x',
    '/rel/path',
    'rel',
    '?q',
    '#f',
    'mailto:someone',
    'http://h:80',
    'http://h:80?x',
    '/a%2Fb',
    'http:/omit-host',
  ])('%s', (raw) => {
    expect(goUrlString(parse(raw))).toBe(raw);
  });

  it.each([
    ['/%zz', 'parse "/%zz": invalid URL escape "%zz"'],
    ['http://h:x/', 'parse "http://h:x/": invalid port ":x" after host'],
    [':nope', 'parse ":nope": missing protocol scheme'],
    ['1a:b/c', 'parse "1a:b/c": first path segment in URL cannot contain colon'],
    ['/x\ny', 'parse "/x\\ny": net/url: invalid control character in URL'],
    ['http://[::1/', `parse "http://[::1/": missing ']' in host`],
    ['/ok#%z', 'parse "/ok#%z": invalid URL escape "%z"'],
  ])('%j fails: %s', (raw, error) => {
    expect(parseGoUrl(raw)).toEqual({ ok: false, error });
  });
});

describe('resolveGoUrl (RFC 3986 §5.2 as Go)', () => {
  const base = parse('http://a:1/b/c/d;p?q');
  it.each([
    ['g', 'http://a:1/b/c/g'],
    ['./g', 'http://a:1/b/c/g'],
    ['g/', 'http://a:1/b/c/g/'],
    ['/g', 'http://a:1/g'],
    ['//g', 'http://g'],
    ['?y', 'http://a:1/b/c/d;p?y'],
    ['g?y', 'http://a:1/b/c/g?y'],
    ['#s', 'http://a:1/b/c/d;p?q#s'],
    ['', 'http://a:1/b/c/d;p?q'],
    ['.', 'http://a:1/b/c/'],
    ['..', 'http://a:1/b/'],
    ['../..', 'http://a:1/'],
    ['../../../g', 'http://a:1/g'],
    ['https://x/y/../z', 'https://x/z'],
  ])('%j → %s', (ref, expected) => {
    expect(goUrlString(resolveGoUrl(base, parse(ref)))).toBe(expected);
  });
});

describe('goUrlHostname', () => {
  it.each([
    ['http://h:80/', 'h'],
    ['http://[::1]:80/', '::1'],
    ['http://H/', 'H'],
    ['http://h:/', 'h'],
  ])('%s → %s', (raw, host) => {
    expect(goUrlHostname(parse(raw))).toBe(host);
  });
});

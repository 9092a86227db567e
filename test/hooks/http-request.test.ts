// Request building for httpGet handlers (spec §5.2), with the tables of
// pkg/probe/http/request_test.go [PRT] and pkg/kubelet/lifecycle/handlers_test.go [HT] ported.
import { describe, expect, it } from 'vitest';
import type { Container, HTTPGetAction, HTTPHeader, Pod } from '../../src/api/types.js';
import {
  buildHttpGetRequest,
  canonicalHeaderKey,
  checkRequestHeaders,
  resolveContainerPort,
} from '../../src/hooks/index.js';
import { container, pod } from './helpers.js';

const UA = 'kube-lifecycle/1.35';

function build(httpGet: HTTPGetAction, options: { container?: Container; pod?: Pod } = {}) {
  return buildHttpGetRequest(httpGet, options.container ?? container, options.pod ?? pod, '1.35');
}
function urlOf(httpGet: HTTPGetAction, options: { container?: Container; pod?: Pod } = {}): string {
  const built = build(httpGet, options);
  if (!built.ok) throw new Error(built.error);
  return built.request.url;
}
function headersOf(httpHeaders: HTTPHeader[]): Array<readonly [string, string]> {
  const built = build({ port: 80, host: 'h', httpHeaders });
  if (!built.ok) throw new Error(built.error);
  return [...built.request.headers];
}

describe('URL building (spec §5.2 URL) — TestFormatURL [PRT]', () => {
  it.each([
    ['http', 'localhost', 93, '', 'http://localhost:93'],
    ['https', 'localhost', 93, '/path', 'https://localhost:93/path'],
    ['http', 'localhost', 93, '?foo', 'http://localhost:93?foo'],
    ['https', 'localhost', 93, '/path?bar', 'https://localhost:93/path?bar'],
    ['http', 'localhost', 93, '/path#foo', 'http://localhost:93/path#foo'],
  ])('%s %s:%d path %j → %s', (scheme, host, port, path, expected) => {
    expect(urlOf({ scheme, host, port, path })).toBe(expected);
  });
});

describe('TestRunHTTPHandler [HT] (consistent behaviour): URL and headers', () => {
  const defaults = [
    ['User-Agent', UA],
    ['Accept', '*/*'],
  ] as const;
  it.each<[string, HTTPGetAction, string, ReadonlyArray<readonly [string, string]>]>([
    [
      'missing pod IP',
      { path: 'foo', port: '42', host: 'example.test', scheme: 'http', httpHeaders: [] },
      'http://example.test:42/foo',
      defaults,
    ],
    ['missing host', { path: 'foo', port: '42', scheme: 'http' }, 'http://233.252.0.1:42/foo', defaults],
    ['path with leading slash', { path: '/foo', port: '42', scheme: 'http' }, 'http://233.252.0.1:42/foo', defaults],
    ['path without leading slash', { path: 'foo', port: '42', scheme: 'http' }, 'http://233.252.0.1:42/foo', defaults],
    ['port resolution', { path: 'foo', port: 'quux', scheme: 'http' }, 'http://233.252.0.1:8080/foo', defaults],
    ['https', { path: 'foo', port: '4430', scheme: 'https' }, 'https://233.252.0.1:4430/foo', defaults],
    ['unknown scheme', { path: 'foo', port: '80', scheme: 'baz' }, 'baz://233.252.0.1:80/foo', defaults],
    ['query param', { path: 'foo?k=v', port: '80', scheme: 'http' }, 'http://233.252.0.1:80/foo?k=v', defaults],
    ['fragment', { path: 'foo#frag', port: '80', scheme: 'http' }, 'http://233.252.0.1:80/foo#frag', defaults],
    [
      'headers',
      { path: 'foo', port: '80', scheme: 'http', httpHeaders: [{ name: 'Foo', value: 'bar' }] },
      'http://233.252.0.1:80/foo',
      [['Foo', 'bar'], ...defaults],
    ],
    [
      'host header',
      {
        host: 'example.test',
        path: 'foo',
        port: '80',
        scheme: 'http',
        httpHeaders: [{ name: 'Host', value: 'from.header' }],
      },
      'http://example.test:80/foo',
      [['Host', 'from.header'], ...defaults],
    ],
  ])('%s', (_name, httpGet, url, headers) => {
    const built = build(httpGet);
    expect(built).toEqual({ ok: true, hostPort: url.split('/')[2], request: { method: 'GET', url, headers } });
  });

  it('TestRunHandlerHttp / TestRunHandlerHttps: host foo, path bar', () => {
    expect(urlOf({ host: 'foo', port: 8080, path: 'bar' })).toBe('http://foo:8080/bar');
    expect(urlOf({ host: 'foo', port: '70', path: 'bar', scheme: 'HTTPS' })).toBe('https://foo:70/bar');
  });
});

describe('TestNewRequestForHTTPGetAction [PRT]', () => {
  it.each<[string, HTTPGetAction, string | null, ReadonlyArray<readonly [string, string]>]>([
    [
      'valid request with default scheme',
      {
        port: 8080,
        path: '/health',
        host: 'localhost',
        scheme: '',
        httpHeaders: [{ name: 'X-Custom-Header', value: 'value' }],
      },
      'http://localhost:8080/health',
      [
        ['X-Custom-Header', 'value'],
        ['User-Agent', UA],
        ['Accept', '*/*'],
      ],
    ],
    [
      'valid request with https scheme',
      { port: 8443, path: '/secure', host: 'secure.example.com', scheme: 'HTTPS' },
      'https://secure.example.com:8443/secure',
      [
        ['User-Agent', UA],
        ['Accept', '*/*'],
      ],
    ],
    [
      'default host to podIP when not provided',
      { port: 9090, path: '/metrics', scheme: 'HTTP' },
      'http://233.252.0.1:9090/metrics',
      [
        ['User-Agent', UA],
        ['Accept', '*/*'],
      ],
    ],
    [
      'custom headers override default ones',
      {
        port: 8080,
        path: '/health',
        host: 'localhost',
        httpHeaders: [
          { name: 'Accept', value: 'application/json' },
          { name: 'User-Agent', value: 'custom-agent' },
        ],
      },
      'http://localhost:8080/health',
      [
        ['Accept', 'application/json'],
        ['User-Agent', 'custom-agent'],
      ],
    ],
    ['invalid port - too low', { port: -1, path: '/health', host: 'localhost' }, null, []],
    ['invalid port - too high', { port: 65536, path: '/health', host: 'localhost' }, null, []],
  ])('%s', (_name, httpGet, url, headers) => {
    const built = build(httpGet);
    if (url === null) {
      expect(built.ok).toBe(false);
      return;
    }
    expect(built).toMatchObject({ ok: true, request: { url, headers } });
  });
});

describe('header canonicalisation — Test_v1HeaderToHTTPHeader, TestHeaderConversion [PRT]', () => {
  it.each<[string, HTTPHeader[], Array<[string, string]>]>([
    [
      'not empty input',
      [
        { name: 'Connection', value: 'Keep-Alive' },
        { name: 'Content-Type', value: 'text/html' },
        { name: 'Accept-Ranges', value: 'bytes' },
      ],
      [
        ['Connection', 'Keep-Alive'],
        ['Content-Type', 'text/html'],
        ['Accept-Ranges', 'bytes'],
      ],
    ],
    [
      'case insensitive',
      [
        { name: 'HOST', value: 'example.com' },
        { name: 'FOO-bAR', value: 'value' },
      ],
      [
        ['Host', 'example.com'],
        ['Foo-Bar', 'value'],
      ],
    ],
    ['empty input', [], []],
    ['Accept', [{ name: 'Accept', value: 'application/json' }], [['Accept', 'application/json']]],
    ['accept', [{ name: 'accept', value: 'application/json' }], [['Accept', 'application/json']]],
    [
      'repeats kept in order',
      [
        { name: 'accept', value: 'application/json' },
        { name: 'Accept', value: '*/*' },
        { name: 'pragma', value: 'no-cache' },
        { name: 'X-forwarded-for', value: 'username' },
      ],
      [
        ['Accept', 'application/json'],
        ['Accept', '*/*'],
        ['Pragma', 'no-cache'],
        ['X-Forwarded-For', 'username'],
      ],
    ],
  ])('%s', (_name, input, expected) => {
    const got = headersOf(input).filter(
      ([n, v]) =>
        !(n === 'User-Agent' && v === UA) && !(n === 'Accept' && v === '*/*' && !input.some((h) => h.value === '*/*')),
    );
    expect(got).toEqual(expected);
  });

  it.each([
    ['HOST', 'Host'],
    ['FOO-bAR', 'Foo-Bar'],
    ['x-forwarded-for', 'X-Forwarded-For'],
    ['content-md5', 'Content-Md5'],
    ['a--b', 'A--B'],
    ['-x', '-X'],
    ['foo_bar', 'Foo_bar'],
    ['x.y', 'X.y'],
    // not RFC 7230 tokens: left exactly as written (Go returns them unchanged)
    ['foo bar', 'foo bar'],
    ['foo:bar', 'foo:bar'],
    ['ünï', 'ünï'],
    ['', ''],
    ['x@y', 'x@y'],
  ])('canonicalHeaderKey(%j) === %j', (name, expected) => {
    expect(canonicalHeaderKey(name)).toBe(expected);
  });
});

describe('default headers (spec §5.2 Headers)', () => {
  it('an Accept header whose first value is empty removes every Accept', () => {
    expect(
      headersOf([
        { name: 'Accept', value: '' },
        { name: 'accept', value: 'x' },
      ]),
    ).toEqual([['User-Agent', UA]]);
  });
  it('an empty Accept after a non-empty one is kept (Go checks the first value only)', () => {
    expect(
      headersOf([
        { name: 'Accept', value: 'x' },
        { name: 'Accept', value: '' },
      ]),
    ).toEqual([
      ['Accept', 'x'],
      ['Accept', ''],
      ['User-Agent', UA],
    ]);
  });
  it('an empty User-Agent suppresses the default and is not sent (Go sends none)', () => {
    expect(headersOf([{ name: 'user-agent', value: '' }])).toEqual([['Accept', '*/*']]);
  });
  it('only the first Host and User-Agent reach the wire', () => {
    expect(
      headersOf([
        { name: 'Host', value: 'a' },
        { name: 'host', value: 'b' },
        { name: 'User-Agent', value: 'u1' },
        { name: 'User-Agent', value: 'u2' },
      ]),
    ).toEqual([
      ['Host', 'a'],
      ['User-Agent', 'u1'],
      ['Accept', '*/*'],
    ]);
  });
  it('User-Agent carries the kubelet version', () => {
    const built = buildHttpGetRequest({ port: 80, host: 'h' }, container, pod, '1.31');
    expect(built.ok && built.request.headers).toContainEqual(['User-Agent', 'kube-lifecycle/1.31']);
  });
});

describe('port resolution — TestResolvePort, TestRunHandlerHTTPPort [HT], ResolveContainerPort [PU]', () => {
  const withFoo: Container = { name: 'c', ports: [{ name: 'foo', containerPort: 80 }] };
  it.each<[string, unknown, Container, string | number]>([
    ['named port', 'foo', withFoo, 80],
    ['number as string', '80', { name: 'c' }, 80],
    [
      'unknown name',
      'foo',
      { name: 'c', ports: [{ name: 'bar', containerPort: 80 }] },
      'strconv.Atoi: parsing "foo": invalid syntax',
    ],
    ['empty string, no ports', '', { name: 'c' }, 'strconv.Atoi: parsing "": invalid syntax'],
    ['empty string matches an unnamed port (Go zero value)', '', { name: 'c', ports: [{ containerPort: 9000 }] }, 9000],
    ['int', 8080, { name: 'c' }, 8080],
    ['zero', 0, { name: 'c' }, 'invalid port number: 0'],
    ['missing port (Go zero IntOrString)', undefined, { name: 'c' }, 'invalid port number: 0'],
    ['too high', 65536, { name: 'c' }, 'invalid port number: 65536'],
    ['negative string', '-1', { name: 'c' }, 'invalid port number: -1'],
    ['plus sign', '+80', { name: 'c' }, 80],
    ['leading zeros', '0080', { name: 'c' }, 80],
    ['sign only', '-', { name: 'c' }, 'strconv.Atoi: parsing "-": invalid syntax'],
    ['space', ' 80', { name: 'c' }, 'strconv.Atoi: parsing " 80": invalid syntax'],
    ['19 digits in int64', '1000000000000000000', { name: 'c' }, 'invalid port number: 1000000000000000000'],
    [
      'beyond int64',
      '99999999999999999999',
      { name: 'c' },
      'strconv.Atoi: parsing "99999999999999999999": value out of range',
    ],
    ['quoted in the error', 'a"b', { name: 'c' }, 'strconv.Atoi: parsing "a\\"b": invalid syntax'],
    [
      'named port out of range',
      'big',
      { name: 'c', ports: [{ name: 'big', containerPort: 70000 }] },
      'invalid port number: 70000',
    ],
  ])('%s', (_name, port, c, expected) => {
    const result = resolveContainerPort(port, c);
    expect(result).toEqual(
      typeof expected === 'number' ? { ok: true, port: expected } : { ok: false, error: expected },
    );
  });

  it('a failed resolution fails the build with that error', () => {
    expect(build({ scheme: 'HTTPS', host: 'foo', port: '', path: 'bar' })).toEqual({
      ok: false,
      error: 'strconv.Atoi: parsing "": invalid syntax',
    });
    expect(urlOf({ scheme: 'HTTPS', host: 'foo', port: '70', path: 'bar' })).toBe('https://foo:70/bar');
  });
});

describe('host (spec §5.2 Host)', () => {
  it('uses the first pod IP, brackets IPv6', () => {
    const v6: Pod = { ...pod, status: { podIPs: [{ ip: '2001:db8::1' }, { ip: '10.0.0.1' }] } };
    expect(build({ port: 80, path: '/x' }, { pod: v6 })).toMatchObject({
      ok: true,
      hostPort: '[2001:db8::1]:80',
      request: { url: 'http://[2001:db8::1]:80/x' },
    });
  });
  it('falls back to status.podIP', () => {
    expect(urlOf({ port: 80, path: '/' }, { pod: { ...pod, status: { podIP: '10.1.2.3' } } })).toBe(
      'http://10.1.2.3:80/',
    );
  });
  it('escapes an IPv6 zone as Go does', () => {
    expect(urlOf({ host: 'fe80::1%eth0', port: 80, path: '/' })).toBe('http://[fe80::1%25eth0]:80/');
  });
  it('no pod IP → failed to find networking container', () => {
    expect(build({ port: 80 }, { pod: { metadata: pod.metadata ?? {}, status: {} } })).toMatchInlineSnapshot(`
      {
        "error": "failed to find networking container: &{ID:foo-bar-quux Name:podFoo Namespace:nsFoo IPs:[]}",
        "ok": false,
      }
    `);
  });
  it('a host that Go cannot re-parse fails like http.NewRequest', () => {
    expect(build({ host: 'a b', port: 80, path: '/' })).toEqual({
      ok: false,
      error: 'parse "http://a%20b:80/": invalid URL escape "%20"',
    });
  });
});

describe('path handling as Go url.Parse + URL.String', () => {
  it.each([
    ['/foo bar', 'http://h:1/foo%20bar'],
    ['/a%2Fb', 'http://h:1/a%2Fb'],
    ['/%zz', 'http://h:1/%25zz'], // does not parse: taken verbatim and escaped
    ['//evil.example/x', 'http://h:1/x'], // an authority in the path is replaced by host:port
    ['http://other:9/y?q', 'http://h:1/y?q'],
    ['/ünï', 'http://h:1/%C3%BCn%C3%AF'],
    ['/x?', 'http://h:1/x?'],
    ['#only', 'http://h:1#only'],
    ['/*', 'http://h:1/*'], // RawPath kept: validly encoded
    ['*', 'http://h:1/*'],
    ['/a/../b/./c', 'http://h:1/a/../b/./c'], // the request path is not cleaned
  ])('%j → %s', (path, url) => {
    expect(urlOf({ host: 'h', port: 1, path })).toBe(url);
  });
});

describe('checkRequestHeaders (Go transport checks)', () => {
  it.each<[Array<[string, string]>, string | undefined]>([
    [[['X-Ok', 'tab\tis fine']], undefined],
    [[['X-Bad', 'a\r\nInjected: yes']], 'net/http: invalid header field value for "X-Bad"'],
    [[['X-Bad', 'a\nb']], 'net/http: invalid header field value for "X-Bad"'],
    [[['X-Bad', 'nul\u0000']], 'net/http: invalid header field value for "X-Bad"'],
    [[['X-Bad', 'del\u007f']], 'net/http: invalid header field value for "X-Bad"'],
    [[['foo bar', 'v']], 'net/http: invalid header field name "foo bar"'],
    [[['', 'v']], 'net/http: invalid header field name ""'],
    [[['X-Ok', 'ünïcode is fine']], undefined],
  ])('%j → %s', (headers, expected) => {
    expect(checkRequestHeaders(headers)).toBe(expected);
  });
});

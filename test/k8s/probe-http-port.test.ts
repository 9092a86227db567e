/**
 * Port of Kubernetes' `pkg/probe/http/http_test.go` (kubernetes/kubernetes, stored copy @121460de:
 * the 1.35-era `NewProbeRequest` cases; its `TestProbeH2C_*` tests belong to an h2c prober that the
 * 1.35 `http.go` (spec [PH], id 56192744) does not have, so they are not ported) against
 * `runHttpGetProbe` over the real `NodeHttpClient` and loopback `node:http` servers (spec pod §6.2).
 *
 * Mapping: Go's `prober.Probe(req, timeout)` with `New(false)` (the kubelet's `newProber` always
 * passes `followNonLocalRedirects = false`, so the `-nonlocal` subtests are not ported). Go's echo
 * handlers write `r.Header` into the body, which the test reads from the success output; the
 * kubelet never shows a success output, and our port drains bodies, so here the server records
 * what it received instead (Go's `r.Header`: canonical names, `Host` excluded).
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Container, HTTPGetAction, HTTPHeader } from '../../src/api/types.js';
import { canonicalHeaderKey } from '../../src/hooks/http-request.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { systemClock } from '../../src/ports/system-clock.js';
import { runHttpGetProbe } from '../../src/probes/http-probe.js';
import type { ProbeOutcome } from '../../src/probes/probe-outcome.js';
import { startHttpServer, type TestServer } from '../node/helpers/servers.js';
import { makeContext } from '../probes/helpers.js';

const client = new NodeHttpClient();
const app: Container = { name: 'app' };
const servers: TestServer[] = [];
const timers = new Set<ReturnType<typeof setTimeout>>();
afterEach(async () => {
  for (const t of timers) clearTimeout(t);
  timers.clear();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
async function serve(handler: Handler): Promise<TestServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

/** The kubelet's probe of `127.0.0.1:<port>` (the pod IP), real clock and real HTTP client. */
function probe(port: number, httpGet: Partial<HTTPGetAction> = {}, timeoutSeconds = 30): Promise<ProbeOutcome> {
  const ctx = makeContext(app, { httpClient: client, clock: systemClock as never, podIP: '127.0.0.1' });
  return runHttpGetProbe({ port, path: '/', ...httpGet }, timeoutSeconds, ctx);
}

/** Go's `r.Header` as `name: value` lines (canonical names, no Host), sorted. */
function goHeaderLines(server: TestServer, index = 0): string[] {
  const raw = server.seen[index]?.rawHeaders ?? [];
  const lines: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = canonicalHeaderKey(raw[i] as string);
    if (name !== 'Host') lines.push(`${name}: ${raw[i + 1]}`);
  }
  return lines.sort();
}

/** Go's `http.Redirect` for a GET: Location, status, and the short HTML body. */
function goRedirect(res: http.ServerResponse, location: string, code: number): void {
  res.writeHead(code, { Location: location, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<a href="${location}">${res.statusMessage}</a>.\n\n`);
}
const handleReq =
  (status: number, body: string): Handler =>
  (_q, res) => {
    res.writeHead(status);
    res.end(body);
  };
const redirectHandler =
  (code: number, bad: boolean): Handler =>
  (req, res) => {
    if (req.url === '/') goRedirect(res, '/new', code);
    else if (bad && req.url === '/new') handleReq(500, '\n')(req, res);
    else res.end();
  };
const redirectHandlerWithBody =
  (code: number, body: string): Handler =>
  (req, res) => {
    if (req.url === '/') goRedirect(res, '/new', code);
    else handleReq(code, body)(req, res);
  };
const headers = (h: Record<string, string>): HTTPHeader[] =>
  Object.entries(h).map(([name, value]) => ({ name, value }));

describe('TestHTTPProbeChecker (pkg/probe/http/http_test.go; spec pod §6.2)', () => {
  it('case 0: 200 "ok body" → Success', async () => {
    const s = await serve(handleReq(200, 'ok body'));
    expect(await probe(s.port, {}, 1)).toEqual({ result: 'success', output: '' });
  });

  it('case 1–2: no headers given → the server sees 3 headers: Accept, Connection, User-Agent', async () => {
    const s = await serve(handleReq(200, ''));
    expect((await probe(s.port, {}, 1)).result).toBe('success');
    expect(goHeaderLines(s).map((l) => l.split(':')[0])).toEqual(['Accept', 'Connection', 'User-Agent']);
  });

  it.each<[string, Record<string, string>, string | undefined, string | undefined]>([
    [
      'case 3: Accept-Encoding gzip is sent as given',
      { 'Accept-Encoding': 'gzip' },
      'Accept-Encoding: gzip',
      undefined,
    ],
    ['case 4: Accept-Encoding foo', { 'Accept-Encoding': 'foo' }, 'Accept-Encoding: foo', undefined],
    ['case 5: an empty Accept-Encoding is sent empty', { 'Accept-Encoding': '' }, 'Accept-Encoding: ', undefined],
    ['case 6: a custom header', { 'X-Muffins-Or-Cupcakes': 'muffins' }, 'X-Muffins-Or-Cupcakes: muffins', undefined],
    ['case 7: a given User-Agent', { 'User-Agent': 'foo/1.0' }, 'User-Agent: foo/1.0', undefined],
    ['case 8: an empty User-Agent sends none', { 'User-Agent': '' }, undefined, 'User-Agent'],
    ['case 9: default User-Agent kube-probe/<major.minor>', {}, 'User-Agent: kube-probe/1.35', undefined],
    ['case 10: given Accept', { 'User-Agent': 'foo/1.0', Accept: 'text/html' }, 'Accept: text/html', undefined],
    ['case 11: given UA with Accept', { 'User-Agent': 'foo/1.0', Accept: 'foo/*' }, 'User-Agent: foo/1.0', undefined],
    [
      'case 12: custom with Accept',
      { 'X-Muffins-Or-Cupcakes': 'muffins', Accept: 'foo/*' },
      'X-Muffins-Or-Cupcakes: muffins',
      undefined,
    ],
    ['case 13: Accept foo/*', { Accept: 'foo/*' }, 'Accept: foo/*', undefined],
    ['case 14: an empty Accept removes Accept', { Accept: '' }, undefined, 'Accept'],
    ['case 15: UA and an empty Accept', { 'User-Agent': 'foo/1.0', Accept: '' }, undefined, 'Accept'],
    ['case 16: default Accept */*', {}, 'Accept: */*', undefined],
  ])('%s → Success', async (_name, given, accLine, notName) => {
    const s = await serve(handleReq(200, ''));
    expect((await probe(s.port, { httpHeaders: headers(given) }, 1)).result).toBe('success');
    const lines = goHeaderLines(s);
    if (accLine !== undefined) expect(lines).toContain(accLine);
    if (notName !== undefined) expect(lines.filter((l) => l.startsWith(`${notName}:`))).toEqual([]);
  });

  it('case 17: a Host header is the request Host (r.Host)', async () => {
    const s = await serve(handleReq(200, ''));
    expect((await probe(s.port, { httpHeaders: headers({ Host: 'muffins.cupcakes.org' }) }, 1)).result).toBe('success');
    expect(s.seen[0]?.host).toBe('muffins.cupcakes.org');
  });

  it('case 18: the handler panics (WriteHeader(-1): connection dropped) → Failure', async () => {
    const s = await serve((req) => req.socket.destroy());
    expect(await probe(s.port, {}, 1)).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${s.port}/": EOF` });
  });

  it('case 19: 500 → Failure (HTTP probe failed with statuscode, never the body)', async () => {
    const s = await serve(handleReq(500, 'fail body'));
    expect(await probe(s.port, {}, 1)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  it('case 20: a handler slower than the 1 s timeout → Failure (Client.Timeout)', async () => {
    const s = await serve((_q, res) => void timers.add(setTimeout(() => res.end(), 3000)));
    expect(await probe(s.port, {}, 1)).toEqual({
      result: 'failure',
      output: `Get "http://127.0.0.1:${s.port}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });

  it.each([
    ['21–22', 301],
    ['23–24', 302],
    ['25–26', 307],
    ['27–28', 308],
  ])('cases %s: %i to /new is followed: Success, or Failure when /new answers 500', async (_n, code) => {
    const good = await serve(redirectHandler(code, false));
    expect((await probe(good.port, {}, 1)).result).toBe('success');
    expect(good.seen.map((r) => r.url)).toEqual(['/', '/new']);
    const bad = await serve(redirectHandler(code, true));
    expect(await probe(bad.port, {}, 1)).toEqual({
      result: 'failure',
      output: 'HTTP probe failed with statuscode: 500',
    });
  });

  it('case 29: a 308 without Location and an empty body → Warning "Probe terminated redirects, Response body:"', async () => {
    const s = await serve(redirectHandlerWithBody(308, ''));
    const outcome = await probe(s.port, {}, 1);
    expect(outcome.result).toBe('warning');
    expect(outcome.output).toContain('Probe terminated redirects, Response body:');
  });

  // The probe asks the port for the body's first 10 KiB (`readBodyBytes`) and quotes it.
  it('case 30: a 308 without Location with body "ok body" → Warning "…Response body: ok body" (spec pod §6.2)', async () => {
    const s = await serve(redirectHandlerWithBody(308, 'ok body'));
    expect(await probe(s.port, {}, 1)).toEqual({
      result: 'warning',
      output: 'Probe terminated redirects, Response body: ok body',
    });
  });
});

describe('TestHTTPProbeChecker_NonLocalRedirects, -local subtests (spec pod §6.2 redirects)', () => {
  const handler: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/redirect') goRedirect(res, url.searchParams.get('loc') ?? '', 302);
    else if (url.pathname === '/loop') goRedirect(res, '/loop', 302);
    else if (url.pathname === '/success') res.end();
    else handleReq(500, '\n')(req, res);
  };
  it.each<[string, (other: number) => string, ProbeOutcome['result']]>([
    ['local success', () => '/success', 'success'],
    ['local fail', () => '/fail', 'failure'],
    ['newport success (same hostname, other port: followed)', (p) => `http://127.0.0.1:${p}/success`, 'success'],
    ['newport fail', (p) => `http://127.0.0.1:${p}/fail`, 'failure'],
    ['bogus nonlocal (other hostname: not followed, the 302 is a Warning)', () => 'http://0.0.0.0/fail', 'warning'],
    ['redirect loop (stopped after 10 redirects)', () => '/loop', 'failure'],
  ])('%s', async (_name, redirect, expected) => {
    const server = await serve(handler);
    const newport = await serve(handler);
    const path = `/redirect?loc=${encodeURIComponent(redirect(newport.port))}`;
    expect((await probe(server.port, { path })).result).toBe(expected);
  });
});

describe('TestHTTPProbeChecker_HostHeaderPreservedAfterRedirect, local (spec pod §6.2)', () => {
  it.each([
    ['success', 'www.success.com', 'success'],
    ['fail', 'www.fail.com', 'failure'],
  ])('%s: Host %s is kept across a relative redirect', async (_name, host, expected) => {
    const s = await serve((req, res) => {
      if (req.url === '/redirect') goRedirect(res, '/success', 302);
      else if (req.url === '/success') handleReq(req.headers.host === 'www.success.com' ? 200 : 400, '')(req, res);
      else handleReq(500, '')(req, res);
    });
    const outcome = await probe(s.port, { path: '/redirect', httpHeaders: headers({ Host: host }) });
    expect(outcome.result).toBe(expected);
    expect(s.seen.map((r) => r.host)).toEqual([host, host]);
  });
});

describe('TestHTTPProbeChecker_PayloadTruncated / _PayloadNormal (spec pod §6.2: body ≤ 10 KiB)', () => {
  // Go also asserts the success output (the body, cut to 10 KiB); the kubelet never shows a
  // success output (prober.go probe: Success records nothing), so only result and error are ported.
  it.each([
    ['truncated payload (maxRespBodyLength+1): truncation is not an error', 10 * 1024 + 1],
    ['normal payload (maxRespBodyLength-1)', 10 * 1024 - 1],
  ])('%s → Success', async (_name, size) => {
    const s = await serve((req, res) => {
      if (req.url === '/success' && req.headers.host === 'www.success.com') handleReq(200, 'a'.repeat(size))(req, res);
      else handleReq(req.url === '/success' ? 400 : 500, '')(req, res);
    });
    const outcome = await probe(s.port, { path: '/success', httpHeaders: headers({ Host: 'www.success.com' }) });
    expect(outcome).toEqual({ result: 'success', output: '' });
  });
});

describe('TestHTTPProbeProxy (spec pod §6.2: no proxy)', () => {
  it('http_proxy/HTTP_PROXY in the environment are not used', async () => {
    const proxy = await serve(handleReq(200, 'welcome to http probe proxy'));
    const target = await serve(handleReq(200, 'target'));
    const saved = { ...process.env };
    process.env.http_proxy = `http://127.0.0.1:${proxy.port}`;
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
    delete process.env.no_proxy;
    delete process.env.NO_PROXY;
    try {
      expect((await probe(target.port, {}, 3)).result).toBe('success');
    } finally {
      for (const key of ['http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
    expect(proxy.seen).toEqual([]);
    expect(target.seen).toHaveLength(1);
  });
});

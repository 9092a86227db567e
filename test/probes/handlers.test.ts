import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import type { GrpcHealthChecker } from '../../src/ports/grpc-health-checker.js';
import { expandProbeCommand, MAX_EXEC_OUTPUT_BYTES, runExecProbe } from '../../src/probes/exec-probe.js';
import { runGrpcProbe } from '../../src/probes/grpc-probe.js';
import { runHttpGetProbe } from '../../src/probes/http-probe.js';
import { goDurationSeconds } from '../../src/probes/probe-outcome.js';
import { runTcpSocketProbe } from '../../src/probes/tcp-probe.js';
import { execRuntime, hang, makeContext, POD_IP, stubHttp } from './helpers.js';

const app: Container = {
  name: 'app',
  env: [{ name: 'FILE', value: '/tmp/healthy' }],
  ports: [{ name: 'http', containerPort: 8080 }],
};

describe('exec probe (spec pod §6.2)', () => {
  it('exit 0 succeeds; $(VAR) is expanded from the literal env only', async () => {
    const runtime = execRuntime(() => Promise.resolve({ exitCode: 0, stdout: 'ok' }));
    const outcome = await runExecProbe(['cat', '$(FILE)', '$(POD_NAME)', '$$(FILE)'], 1, makeContext(app, { runtime }));
    expect(outcome).toEqual({ result: 'success', output: 'ok' });
    expect(runtime.calls).toEqual([['cat', '/tmp/healthy', '$(POD_NAME)', '$(FILE)']]);
  });

  it('a non-zero exit fails with stdout then stderr as output', async () => {
    const runtime = execRuntime(() => Promise.resolve({ exitCode: 3, stdout: 'out|', stderr: 'err' }));
    expect(await runExecProbe(['check'], 1, makeContext(app, { runtime }))).toEqual({
      result: 'failure',
      output: 'out|err',
    });
  });

  it('output is capped at 10 KiB (maxReadLength)', async () => {
    const runtime = execRuntime(() => Promise.resolve({ exitCode: 1, stdout: 'x'.repeat(20_000) }));
    const outcome = await runExecProbe(['check'], 1, makeContext(app, { runtime }));
    expect(outcome.output).toHaveLength(MAX_EXEC_OUTPUT_BYTES);
  });

  it("timeoutSeconds exceeded is a failure with the CRI client's text, and the exec is aborted (spec pod §6.2)", async () => {
    let seen: AbortSignal | undefined;
    const runtime = execRuntime((_c, signal) => {
      seen = signal;
      return hang(signal);
    });
    const ctx = makeContext(app, { runtime });
    const pending = runExecProbe(['sh', '-c', 'sleep 5'], 2, ctx);
    await ctx.clock.advance(1999);
    expect(seen?.aborted).toBe(false);
    await ctx.clock.advance(1);
    expect(await pending).toEqual({
      result: 'failure',
      output: 'command timed out: "sh -c sleep 5" timed out after 2s',
    });
    expect(seen?.aborted).toBe(true);
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('a runtime error is the errored path (unknown + error)', async () => {
    const runtime = execRuntime(() => Promise.reject(new Error('container not running')));
    expect(await runExecProbe(['x'], 1, makeContext(app, { runtime }))).toEqual({
      result: 'unknown',
      output: '',
      error: 'container not running',
    });
  });

  it('expandProbeCommand keeps unknown refs and unclosed $(', () => {
    expect(expandProbeCommand(['$(A)-$(B)', '$(A', 'a$b'], [{ name: 'A', value: '1' }])).toEqual([
      '1-$(B)',
      '$(A',
      'a$b',
    ]);
  });
});

describe('httpGet probe (spec pod §6.2)', () => {
  it('sends GET to the pod IP with User-Agent kube-probe/<major.minor> and Accept */*, asking for 10 KiB of body; 200 succeeds', async () => {
    const httpClient = stubHttp(() => Promise.resolve({ status: 200 }));
    const outcome = await runHttpGetProbe({ port: 'http', path: '/healthz' }, 1, makeContext(app, { httpClient }));
    expect(outcome).toEqual({ result: 'success', output: '' });
    expect(httpClient.requests).toEqual([
      {
        method: 'GET',
        url: `http://${POD_IP}:8080/healthz`,
        headers: [
          ['User-Agent', 'kube-probe/1.35'],
          ['Accept', '*/*'],
        ],
        readBodyBytes: 10_240,
      },
    ]);
  });

  it('a 3xx it does not follow is a warning quoting the body, cut to 10 KiB (spec pod §6.2, DoHTTPProbe)', async () => {
    const moved = '<a href="http://other.example/">Moved Permanently</a>.\n\n';
    const answer = (body?: unknown) =>
      runHttpGetProbe(
        { port: 80 },
        1,
        makeContext(app, { httpClient: stubHttp(() => Promise.resolve({ status: 301, body } as never)) }),
      );
    expect(await answer(moved)).toEqual({
      result: 'warning',
      output: `Probe terminated redirects, Response body: ${moved}`,
    });
    expect((await answer('x'.repeat(20_000))).output).toBe(
      `Probe terminated redirects, Response body: ${'x'.repeat(10_240)}`,
    );
    // An adapter that returns no body (or not a string): an empty one, as before.
    expect((await answer()).output).toBe('Probe terminated redirects, Response body: ');
    expect((await answer(42)).output).toBe('Probe terminated redirects, Response body: ');
  });

  it('a given User-Agent is kept', async () => {
    const httpClient = stubHttp(() => Promise.resolve({ status: 204 }));
    await runHttpGetProbe(
      { port: 80, httpHeaders: [{ name: 'user-agent', value: 'me' }] },
      1,
      makeContext(app, { httpClient }),
    );
    expect(httpClient.requests[0]?.headers).toEqual([
      ['User-Agent', 'me'],
      ['Accept', '*/*'],
    ]);
  });

  it.each([399, 301])('%i without a followable location is a warning: Probe terminated redirects', async (status) => {
    const httpClient = stubHttp(() => Promise.resolve({ status }));
    expect(await runHttpGetProbe({ port: 80 }, 1, makeContext(app, { httpClient }))).toEqual({
      result: 'warning',
      output: 'Probe terminated redirects, Response body: ',
    });
  });

  it.each([400, 404, 500, 199])('%i fails with HTTP probe failed with statuscode (never the body)', async (status) => {
    const httpClient = stubHttp(() => Promise.resolve({ status }));
    expect(await runHttpGetProbe({ port: 80 }, 1, makeContext(app, { httpClient }))).toEqual({
      result: 'failure',
      output: `HTTP probe failed with statuscode: ${status}`,
    });
  });

  it('follows a redirect to the same hostname, not to another one (RedirectChecker(false))', async () => {
    const same = stubHttp((r) =>
      Promise.resolve(r.url.endsWith('/a') ? { status: 302, headers: { location: '/b' } } : { status: 200 }),
    );
    expect((await runHttpGetProbe({ port: 80, path: '/a' }, 1, makeContext(app, { httpClient: same }))).result).toBe(
      'success',
    );
    expect(same.requests.map((r) => r.url)).toEqual([`http://${POD_IP}:80/a`, `http://${POD_IP}:80/b`]);

    const other = stubHttp(() => Promise.resolve({ status: 302, headers: { location: 'http://example.com/' } }));
    expect((await runHttpGetProbe({ port: 80 }, 1, makeContext(app, { httpClient: other }))).result).toBe('warning');
    expect(other.requests).toHaveLength(1);
  });

  it('stops after 10 redirects', async () => {
    const loop = stubHttp(() => Promise.resolve({ status: 302, headers: { location: '/again' } }));
    expect(await runHttpGetProbe({ port: 80 }, 1, makeContext(app, { httpClient: loop }))).toEqual({
      result: 'failure',
      output: 'Get "/again": stopped after 10 redirects',
    });
    expect(loop.requests).toHaveLength(10);
  });

  it('the timeout fails with Go client text and aborts the request', async () => {
    const slow = stubHttp((_r, signal) => hang(signal));
    const ctx = makeContext(app, { httpClient: slow });
    const pending = runHttpGetProbe({ port: 80, path: '/' }, 1, ctx);
    await ctx.clock.advance(1000);
    expect(await pending).toEqual({
      result: 'failure',
      output: `Get "http://${POD_IP}:80/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });

  it('a transport error fails with its text, wrapped as Go url.Error', async () => {
    const refused = stubHttp(() => Promise.reject(new Error(`dial tcp ${POD_IP}:9999: connect: connection refused`)));
    expect(
      await runHttpGetProbe({ port: 9999, path: '/healthz' }, 1, makeContext(app, { httpClient: refused })),
    ).toEqual({
      result: 'failure',
      output: `Get "http://${POD_IP}:9999/healthz": dial tcp ${POD_IP}:9999: connect: connection refused`,
    });
  });

  it('an unknown named port is the errored path', async () => {
    const outcome = await runHttpGetProbe({ port: 'metrics' }, 1, makeContext(app));
    expect(outcome).toEqual({
      result: 'unknown',
      output: '',
      error: 'strconv.Atoi: parsing "metrics": invalid syntax',
    });
  });
});

describe('tcpSocket probe (spec pod §6.2)', () => {
  it('connecting succeeds; host defaults to the pod IP; named ports resolve', async () => {
    const calls: unknown[] = [];
    const tcpDialer = {
      connect: (host: string, port: number) => {
        calls.push([host, port]);
        return Promise.resolve();
      },
    };
    expect(await runTcpSocketProbe({ port: 'http', host: '' }, 1, makeContext(app, { tcpDialer }))).toEqual({
      result: 'success',
      output: '',
    });
    expect(calls).toEqual([[POD_IP, 8080]]);
  });

  it('a dial error fails with its text; the timeout fails with i/o timeout', async () => {
    const refused = { connect: () => Promise.reject(new Error('dial tcp 10.0.0.1:81: connect: connection refused')) };
    expect(
      await runTcpSocketProbe({ port: 81, host: '10.0.0.1' }, 1, makeContext(app, { tcpDialer: refused })),
    ).toEqual({
      result: 'failure',
      output: 'dial tcp 10.0.0.1:81: connect: connection refused',
    });
    const slow = { connect: (_h: string, _p: number, o: { signal: AbortSignal }) => hang<void>(o.signal) };
    const ctx = makeContext(app, { tcpDialer: slow });
    const pending = runTcpSocketProbe({ port: 81, host: '' }, 3, ctx);
    await ctx.clock.advance(3000);
    expect(await pending).toEqual({ result: 'failure', output: `dial tcp ${POD_IP}:81: i/o timeout` });
  });
});

describe('grpc probe (spec pod §6.2)', () => {
  const checker = (answer: () => Promise<string>) => ({ check: answer });

  it('SERVING succeeds with output "service healthy"; other statuses fail', async () => {
    const ok = await runGrpcProbe(
      { port: 9090, service: '' },
      1,
      makeContext(app, { grpcHealthChecker: checker(() => Promise.resolve('SERVING')) }),
    );
    expect(ok).toEqual({ result: 'success', output: 'service healthy' });
    const bad = await runGrpcProbe(
      { port: 9090, service: '' },
      1,
      makeContext(app, { grpcHealthChecker: checker(() => Promise.resolve('NOT_SERVING')) }),
    );
    expect(bad).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  });

  it('UNIMPLEMENTED, other errors and the timeout get the kubelet texts', async () => {
    const unimplemented = Object.assign(new Error('12 UNIMPLEMENTED: unknown service'), {
      code: 12,
      details: 'unknown service grpc.health.v1.Health',
    });
    const a = await runGrpcProbe(
      { port: 1, service: '' },
      1,
      makeContext(app, { grpcHealthChecker: checker(() => Promise.reject(unimplemented)) }),
    );
    expect(a.output).toBe(
      'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    );
    const b = await runGrpcProbe(
      { port: 1, service: '' },
      1,
      makeContext(app, {
        grpcHealthChecker: checker(() => Promise.reject(new Error('rpc error: code = Unavailable'))),
      }),
    );
    expect(b.output).toBe('error: health rpc probe failed: rpc error: code = Unavailable');
    const ctx = makeContext(app, { grpcHealthChecker: { check: (_h, _p, _s, o) => hang<string>(o.signal) } });
    const pending = runGrpcProbe({ port: 1, service: '' }, 60, ctx);
    await ctx.clock.advance(60_000);
    expect(await pending).toEqual({ result: 'failure', output: 'timeout: health rpc did not complete within 1m0s' });
  });

  it("a checker that reports its connection: a timeout before it connected is the blocking dial's (spec pod §6.2)", async () => {
    const dialling: GrpcHealthChecker = { reportsConnection: true, check: (_h, _p, _s, o) => hang<string>(o.signal) };
    const ctx = makeContext(app, { grpcHealthChecker: dialling });
    const pending = runGrpcProbe({ port: 9090, service: '' }, 1, ctx);
    await ctx.clock.advance(1_000);
    expect(await pending).toEqual({
      result: 'failure',
      output: `timeout: failed to connect service "${POD_IP}:9090" within 1s: context deadline exceeded`,
    });
    const connects: GrpcHealthChecker = {
      reportsConnection: true,
      check: (_h, _p, _s, o) => {
        o.onConnected?.();
        return hang<string>(o.signal);
      },
    };
    const ctx2 = makeContext(app, { grpcHealthChecker: connects });
    const pending2 = runGrpcProbe({ port: 9090, service: '' }, 1, ctx2);
    await ctx2.clock.advance(1_000);
    expect((await pending2).output).toBe('timeout: health rpc did not complete within 1s');
  });

  it('goDurationSeconds renders as Go time.Duration', () => {
    expect([1, 59, 60, 90, 3661].map(goDurationSeconds)).toEqual(['1s', '59s', '1m0s', '1m30s', '1h1m1s']);
  });
});

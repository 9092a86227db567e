/**
 * Port of Kubernetes' `pkg/kubelet/prober/prober_test.go` (two ktesting-era stored copies, ≈1.33–1.35:
 * id 911851919 with `TestGetURLParts`/`TestGetTCPAddrParts`, id 7087527410 with the http/tcp/grpc
 * `TestProbe` cases) against the 1.35 `prober.go` (spec [PRB]) — spec pod §6.2–§6.3.
 *
 * Mapping: Go's `prober.probe(ctx, type, pod, status, container, id)` → `(results.Result, error)` is
 * `judgeProbeOutcome(type, await runProbeWithRetries(resolveProbe(container, type), ctx, attempt))`
 * → `{ result, isError }`. Go's fake sub-probers are a scripted `attempt`; where our handlers can give
 * the same answer from a stub port, the real `runProbeAttempt` runs instead. Go's `v1.PodStatus{}`
 * has no pod IP; here the pod IP is set, and the empty-IP variant is its own (skipped) case.
 * Not ported: `TestNewProber` (Go struct wiring) and the "unsupported probe type" case (666 is not a
 * `ProbeType`).
 */
import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { runExecProbe } from '../../src/probes/exec-probe.js';
import { runHttpGetProbe } from '../../src/probes/http-probe.js';
import type { ProbeOutcome, ProbeRunContext } from '../../src/probes/probe-outcome.js';
import { type ProbeSpec, type ProbeType, probeTypeLabel, resolveProbe } from '../../src/probes/probe-spec.js';
import {
  judgeProbeOutcome,
  MAX_PROBE_RETRIES,
  type ProbeAttempt,
  type ProbeRunResult,
  runProbeAttempt,
  runProbeWithRetries,
} from '../../src/probes/run-probe.js';
import { runTcpSocketProbe } from '../../src/probes/tcp-probe.js';
import { execRuntime, makeContext, makeRef, stubHttp } from '../probes/helpers.js';

const TYPES: readonly ProbeType[] = ['liveness', 'readiness', 'startup'];
const FIELD = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' } as const;
const containerWith = (type: ProbeType, probe: ProbeSpec, extra: Partial<Container> = {}): Container =>
  ({ name: 'app', ...extra, [FIELD[type]]: probe }) as Container;

const answer =
  (outcome: ProbeOutcome): ProbeAttempt =>
  () =>
    Promise.resolve(outcome);

async function probeOnce(
  type: ProbeType,
  container: Container,
  ctx: Partial<ProbeRunContext> = {},
  attempt: ProbeAttempt = runProbeAttempt,
): Promise<ProbeRunResult> {
  const probe = resolveProbe(container, type);
  if (probe === undefined) throw new Error('no probe');
  return judgeProbeOutcome(type, await runProbeWithRetries(probe, makeContext(container, ctx), attempt));
}

const execProbe: ProbeSpec = { exec: { command: [] } };
const httpProbe: ProbeSpec = { httpGet: { path: '/healthz', port: 8080 } };
const tcpProbe: ProbeSpec = { tcpSocket: { port: 8081 } };
const grpcProbe: ProbeSpec = { grpc: { port: 8082, service: '' } };
const S = { result: 'Success', isError: false };
const F = { result: 'Failure', isError: false };
const E = { result: 'Failure', isError: true };

describe('TestProbe (prober_test.go; spec pod §6.2–§6.3)', () => {
  it.each(TYPES)('No probe (%s): no probe, nothing to run (Go: Success)', (type) => {
    expect(resolveProbe({ name: 'app' }, type)).toBeUndefined();
  });

  // runProbe's default branch returns Unknown with `missing probe handler for <pod>:<c>` (an
  // error: the errored path and its event).
  it.each(TYPES)('No handler (%s): Failure with an error (spec pod §6.1 step 10)', async (type) => {
    const r = await probeOnce(type, containerWith(type, {}));
    expect(r).toMatchObject(E);
    expect(r.event?.message).toMatch(/^\w+ probe errored and resulted in unknown state: missing probe handler for /);
  });

  it.each(TYPES)('exec (%s): Failure→Failure, Success→Success, Warning→Success, Unknown→Failure', async (type) => {
    const c = containerWith(type, execProbe);
    expect(await probeOnce(type, c, {}, answer({ result: 'failure', output: '' }))).toMatchObject(F);
    expect(await probeOnce(type, c, {}, answer({ result: 'success', output: '' }))).toEqual(S);
    const warned = await probeOnce(type, c, {}, answer({ result: 'warning', output: 'w' }));
    expect(warned).toMatchObject({ ...S, event: { reason: 'ProbeWarning' } });
    expect(await probeOnce(type, c, {}, answer({ result: 'unknown', output: '' }))).toEqual(F);
    expect(await probeOnce(type, c, {}, answer({ result: 'bogus' as never, output: '' }))).toEqual(F);
  });

  it.each(TYPES)('exec (%s): Unknown with an error → Failure with an error, after maxProbeRetries', async (type) => {
    let n = 0;
    const r = await probeOnce(type, containerWith(type, execProbe), {}, () => {
      n++;
      return Promise.resolve({ result: 'unknown', output: '', error: 'exec error' });
    });
    expect(r).toMatchObject({ ...E, event: { reason: 'Unhealthy' } });
    expect(n).toBe(MAX_PROBE_RETRIES);
  });

  it.each(TYPES)('exec (%s): probe arguments are passed through, $(A) from the env, $(B) kept', async (type) => {
    for (const [command, env, expected] of [
      [['/bin/bash', '-c', 'some script'], [], ['/bin/bash', '-c', 'some script']],
      [
        ['/bin/bash', '-c', 'some $(A) $(B)'],
        [{ name: 'A', value: 'script' }],
        ['/bin/bash', '-c', 'some script $(B)'],
      ],
    ] as const) {
      const runtime = execRuntime(() => Promise.resolve({ exitCode: 0 }));
      const c = containerWith(type, { exec: { command: [...command] } }, { env: [...env] });
      expect(await probeOnce(type, c, { runtime })).toEqual(S);
      expect(runtime.calls).toEqual([expected]);
    }
  });

  it.each(TYPES)(
    'http (%s): 200 Success, 500 Failure, 302 elsewhere Warning→Success, port "abc" errors',
    async (type) => {
      const c = containerWith(type, httpProbe);
      const http = (status: number, location?: string) =>
        stubHttp(() => Promise.resolve(location ? { status, headers: { location } } : { status }));
      expect(await probeOnce(type, c, { httpClient: http(200) })).toEqual(S);
      expect(await probeOnce(type, c, { httpClient: http(500) })).toMatchObject(F);
      const warned = await probeOnce(type, c, { httpClient: http(302, 'http://example.com/') });
      expect(warned).toMatchObject({ ...S, event: { reason: 'ProbeWarning' } });
      expect(await probeOnce(type, c, {}, answer({ result: 'unknown', output: '' }))).toEqual(F);
      const bad = containerWith(type, { httpGet: { path: '/healthz', port: 'abc' } });
      expect(await probeOnce(type, bad)).toMatchObject(E);
    },
  );

  // 1.35 builds the request (http.NewRequest) inside NewRequestForHTTPGetAction, so any build error
  // is the "request generation fail" branch (Unknown + error).
  it('http "request generation fail" from the host (`a b`), not the port → Failure with an error (spec pod §6.2)', async () => {
    const c = containerWith('liveness', { httpGet: { path: '/', port: 80, host: 'a b' } });
    const r = await probeOnce('liveness', c);
    expect(r).toMatchObject(E);
    expect(r.event?.message).toBe(
      'Liveness probe errored and resulted in unknown state: parse "http://a%20b:80/": invalid URL escape "%20"',
    );
  });

  it.each(TYPES)('tcp (%s): connect Success, refused Failure, Warning→Success, port "abc" errors', async (type) => {
    const c = containerWith(type, tcpProbe);
    const dialer = (fail: boolean) => ({
      connect: () => (fail ? Promise.reject(new Error('refused')) : Promise.resolve()),
    });
    expect(await probeOnce(type, c, { tcpDialer: dialer(false) })).toEqual(S);
    expect(await probeOnce(type, c, { tcpDialer: dialer(true) })).toMatchObject(F);
    expect(await probeOnce(type, c, {}, answer({ result: 'warning', output: '' }))).toMatchObject(S);
    expect(await probeOnce(type, c, {}, answer({ result: 'unknown', output: '' }))).toEqual(F);
    const bad = containerWith(type, { tcpSocket: { port: 'abc' } });
    expect(await probeOnce(type, bad, { tcpDialer: dialer(false) })).toMatchObject(E);
  });

  it.each(TYPES)('grpc (%s): SERVING Success, NOT_SERVING Failure, Warning→Success, Unknown→Failure', async (type) => {
    const c = containerWith(type, grpcProbe);
    const checker = (status: string) => ({ check: () => Promise.resolve(status) });
    expect(await probeOnce(type, c, { grpcHealthChecker: checker('SERVING') })).toEqual(S);
    expect(await probeOnce(type, c, { grpcHealthChecker: checker('NOT_SERVING') })).toMatchObject(F);
    expect(await probeOnce(type, c, {}, answer({ result: 'warning', output: '' }))).toMatchObject(S);
    expect(await probeOnce(type, c, {}, answer({ result: 'unknown', output: '' }))).toEqual(F);
  });

  // Divergence: Go's TestProbe runs with `v1.PodStatus{}` (no pod IP): the request/dial just targets
  // host "" and the sub-prober's answer stands; src/probes/{http,tcp,grpc}-probe.ts return the errored
  // path `failed to find networking container: …` (the hook handler's text) instead.
  it.skip("http/tcp/grpc with an empty pod IP (Go: v1.PodStatus{}) → the sub-prober's Success — DIVERGENCE: errored", async () => {
    const ctx = {
      podIP: '',
      httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
      tcpDialer: { connect: () => Promise.resolve() },
      grpcHealthChecker: { check: () => Promise.resolve('SERVING') },
    };
    for (const probe of [httpProbe, tcpProbe, grpcProbe]) {
      expect(await probeOnce('liveness', containerWith('liveness', probe), ctx)).toEqual(S);
    }
  });
});

describe('TestGetURLParts (spec pod §6.2 httpGet; ResolveContainerPort, host = pod IP)', () => {
  const container: Container = { name: 'app', ports: [{ name: 'found', containerPort: 93 }] };
  it.each<[string, string | number, string, string | undefined]>([
    ['', -1, '', undefined],
    ['', '', '', undefined],
    ['', '-1', '', undefined],
    ['', 'not-found', '', undefined],
    ['', 'found', '', 'http://127.0.0.1:93'],
    ['', 76, '', 'http://127.0.0.1:76'],
    ['', '118', '', 'http://127.0.0.1:118'],
    ['hostname', 76, 'path', 'http://hostname:76/path'],
  ])('host %j port %j path %j → %s', async (host, port, path, url) => {
    const httpClient = stubHttp(() => Promise.resolve({ status: 200 }));
    const ctx = makeContext(container, { httpClient, podIP: '127.0.0.1' });
    const outcome = await runHttpGetProbe({ host, port, path }, 1, ctx);
    if (url === undefined) {
      expect(outcome).toMatchObject({ result: 'unknown', output: '' });
      expect(outcome.error).toBeDefined();
      expect(httpClient.requests).toEqual([]);
    } else {
      expect(outcome.result).toBe('success');
      expect(httpClient.requests.map((r) => r.url)).toEqual([url]);
    }
  });
});

describe('TestGetTCPAddrParts (spec pod §6.2 tcpSocket)', () => {
  const container: Container = { name: 'app', ports: [{ name: 'found', containerPort: 93 }] };
  it.each<[string | number, number | undefined]>([
    [-1, undefined],
    ['', undefined],
    ['-1', undefined],
    ['not-found', undefined],
    ['found', 93],
    [76, 76],
    ['118', 118],
  ])('port %j → 1.2.3.4:%s', async (port, expected) => {
    const dialed: Array<[string, number]> = [];
    const tcpDialer = { connect: (h: string, p: number) => Promise.resolve(void dialed.push([h, p])) };
    const outcome = await runTcpSocketProbe(
      { port, host: '' },
      1,
      makeContext(container, { tcpDialer, podIP: '1.2.3.4' }),
    );
    if (expected === undefined) {
      expect(outcome).toMatchObject({ result: 'unknown' });
      expect(dialed).toEqual([]);
    } else expect(dialed).toEqual([['1.2.3.4', expected]]);
  });
});

describe('TestNewExecInContainer (spec pod §6.2 exec: ExecSync output reaches the exec prober)', () => {
  const tenKilobyte = 'logs-123'.repeat(128 * 10);
  it.each<[string, string, string, Error | undefined]>([
    ['no error', 'foo', 'foo', undefined],
    ['no error (10 KiB passes whole; the prober caps at maxReadLength)', `${tenKilobyte}x`, tenKilobyte, undefined],
    ['error - the error surfaces (the kubelet then drops the output: Unknown, "")', 'foo', '', new Error('bad')],
  ])('%s', async (_name, stdout, expected, err) => {
    const runtime = execRuntime(() => (err ? Promise.reject(err) : Promise.resolve({ exitCode: 0, stdout })));
    const calls: string[] = [];
    const ctx = makeContext({ name: 'app' }, { runtime, ref: makeRef('app', 'containerID') });
    const spy = runtime.exec;
    runtime.exec = (ref, command, options) => {
      calls.push(ref.id);
      return spy(ref, command, options);
    };
    const outcome = await runExecProbe(['/foo', 'bar'], 1, ctx);
    expect([calls, runtime.calls]).toEqual([['containerID'], [['/foo', 'bar']]]);
    expect(outcome.output).toBe(expected);
    expect(outcome.error).toBe(err?.message);
  });
});

describe('TestRecordContainerEventUnknownStatus (spec pod §6.3 event texts)', () => {
  it.each([
    ['readiness', 'Readiness'],
    ['liveness', 'Liveness'],
    ['startup', 'Startup'],
  ] as const)('%s: "%s probe warning: probe output"; the result prints as "unknown"', (type, label) => {
    expect(probeTypeLabel(type)).toBe(label);
    const warned = judgeProbeOutcome(type, { result: 'warning', output: 'probe output' });
    expect(warned.event?.message).toBe(`${label} probe warning: probe output`);
    const errored = judgeProbeOutcome(type, { result: 'unknown', output: '', error: 'x' });
    expect(errored.event?.message).toBe(`${label} probe errored and resulted in unknown state: x`);
  });
});

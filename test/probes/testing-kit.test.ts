import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { ContainerProbes } from '../../src/probes/container-probes.js';
import { PROBE_TYPES, resolveProbe } from '../../src/probes/probe-spec.js';
import { FakeGrpcHealthChecker, FakeTcpDialer } from '../../src/testing/fake-probe-ports.js';
import { probeArbitrary, probeVerdictsArbitrary } from '../../src/testing/probe-arbitraries.js';
import { checkNoLivenessKillBeforeStartup, ProbeTraceRecorder } from '../../src/testing/probe-invariants.js';
import { failFrom, flapEvery, hangFrom, passFrom, scriptedProbeAttempt } from '../../src/testing/probe-scripts.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { execRuntime, makePod, makeRef, stubHttp } from './helpers.js';

describe('probe scripts', () => {
  it('failFrom, passFrom, hangFrom and flapEvery answer by elapsed time', () => {
    expect([0, 29_999, 30_000].map(failFrom(30_000))).toEqual(['pass', 'pass', 'fail']);
    expect([0, 5000].map(passFrom(5000))).toEqual(['fail', 'pass']);
    expect([0, 5000].map(hangFrom(5000))).toEqual(['pass', 'hang']);
    expect([0, 19_999, 20_000, 39_999, 40_000].map(flapEvery(2, 10))).toEqual(['pass', 'pass', 'fail', 'fail', 'pass']);
  });
});

describe('FakeTcpDialer and FakeGrpcHealthChecker', () => {
  it('answer per target script, record calls, and hang until aborted', async () => {
    const clock = new VirtualClock();
    const dialer = new FakeTcpDialer({ clock }).script('10.0.0.1', 80, failFrom(10_000)).script('*', 81, hangFrom(0));
    await expect(dialer.connect('10.0.0.1', 80, { signal: new AbortController().signal })).resolves.toBeUndefined();
    await clock.advance(10_000);
    await expect(dialer.connect('10.0.0.1', 80, { signal: new AbortController().signal })).rejects.toThrow(
      'dial tcp 10.0.0.1:80: connect: connection refused',
    );
    const controller = new AbortController();
    const hung = dialer.connect('10.9.9.9', 81, { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(hung).rejects.toThrow('gave up');
    expect(dialer.calls.map((c) => [c.host, c.port, c.at, c.verdict])).toEqual([
      ['10.0.0.1', 80, 0, 'pass'],
      ['10.0.0.1', 80, 10_000, 'fail'],
      ['10.9.9.9', 81, 10_000, 'hang'],
    ]);

    const checker = new FakeGrpcHealthChecker({ clock, latencyMs: 500 }).script('*', 9090, 'svc', failFrom(0));
    const answer = checker.check('10.0.0.1', 9090, 'svc', { signal: new AbortController().signal });
    await clock.advance(500);
    await expect(answer).resolves.toBe('NOT_SERVING');
    await expect(
      (async () => {
        const p = checker.check('10.0.0.1', 9090, '', { signal: new AbortController().signal });
        await clock.advance(500);
        return p;
      })(),
    ).resolves.toBe('SERVING'); // another service: the default script
  });
});

describe('checkNoLivenessKillBeforeStartup (spec pod §6.1 step 9)', () => {
  it('reports a liveness kill of an instance whose startup probe has not succeeded', () => {
    expect(
      checkNoLivenessKillBeforeStartup([
        { kind: 'started', at: 0, container: 'web', hasStartupProbe: true },
        { kind: 'kill', at: 30_000, container: 'web', reason: 'LivenessProbe' },
      ]),
    ).toEqual(['web: LivenessProbe kill at 30000 ms before its startup probe succeeded (instance started at 0 ms)']);
  });

  it('accepts kills after startup Success, startup kills, and containers without a startup probe', () => {
    expect(
      checkNoLivenessKillBeforeStartup([
        { kind: 'started', at: 0, container: 'a', hasStartupProbe: true },
        { kind: 'kill', at: 5, container: 'a', reason: 'StartupProbe' },
        { kind: 'started', at: 10, container: 'a', hasStartupProbe: true },
        { kind: 'result', at: 20, container: 'a', probeType: 'startup', result: 'Success' },
        { kind: 'kill', at: 30, container: 'a', reason: 'LivenessProbe' },
        { kind: 'started', at: 0, container: 'b', hasStartupProbe: false },
        { kind: 'kill', at: 30, container: 'b', reason: 'LivenessProbe' },
      ]),
    ).toEqual([]);
  });

  it('a restart re-arms the gate', () => {
    expect(
      checkNoLivenessKillBeforeStartup([
        { kind: 'started', at: 0, container: 'a', hasStartupProbe: true },
        { kind: 'result', at: 1, container: 'a', probeType: 'startup', result: 'Success' },
        { kind: 'started', at: 2, container: 'a', hasStartupProbe: true },
        { kind: 'kill', at: 3, container: 'a', reason: 'LivenessProbe' },
      ]),
    ).toHaveLength(1);
  });
});

describe('probe arbitraries', () => {
  test.prop([
    fc.constantFrom(...PROBE_TYPES).chain((type) => fc.tuple(fc.constant(type), probeArbitrary(fc, { type }))),
  ])('generate probes with one handler, positive timings and success 1 for liveness/startup', ([type, probe]) => {
    const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((k) => k in probe);
    expect(handlers).toHaveLength(1);
    const resolved = resolveProbe({ name: 'c', [`${type}Probe`]: probe } as Container, type);
    expect(resolved?.action.kind).toBe(handlers[0]);
    if (type !== 'readiness') expect(resolved?.successThreshold).toBe(1);
    else expect(probe.terminationGracePeriodSeconds).toBeUndefined();
  });

  // The invariant over real workers: whatever the scripts, no liveness kill precedes startup success.
  test.prop([
    probeArbitrary(fc, { type: 'startup', handlers: ['tcpSocket'], maxPeriodSeconds: 5 }),
    probeArbitrary(fc, { type: 'liveness', handlers: ['tcpSocket'], maxPeriodSeconds: 5 }),
    probeVerdictsArbitrary(fc, 20),
    probeVerdictsArbitrary(fc, 20),
  ])('no liveness kill before the startup probe succeeded, across restarts', async (startup, liveness, sv, lv) => {
    const clock = new VirtualClock();
    const container = { name: 'app', startupProbe: startup, livenessProbe: liveness } as Container;
    const recorder = new ProbeTraceRecorder(clock);
    const trace = recorder.container('app', true);
    let restarts = 0;
    const at = (verdicts: boolean[]) => (ms: number) =>
      (verdicts[Math.floor(ms / 1000) % verdicts.length] ?? true) ? 'pass' : 'fail';
    const probes: ContainerProbes = new ContainerProbes({
      pod: makePod(container),
      container,
      clock,
      runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
      httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
      attempt: scriptedProbeAttempt(clock, { startup: at(sv), liveness: at(lv) }),
      onResult: trace.onResult,
      onKill: (kill) => {
        trace.onKill(kill);
        if (restarts++ < 3) {
          trace.started();
          probes.containerStarted({ ref: makeRef('app', `c${restarts + 1}`) });
        }
      },
    });
    trace.started();
    probes.containerStarted({ ref: makeRef('app', 'c1') });
    await clock.advance(120_000);
    probes.stop();
    expect(checkNoLivenessKillBeforeStartup(recorder.trace)).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});

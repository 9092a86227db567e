import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario, type ScenarioTrace } from '../../src/testing/index.js';
import { shop } from './scenario-fixtures.js';

/** Start `web` and `api` at 0, stop the one named at 1 s (grace 30 s). */
const stopAt1s = (container: 'web' | 'api' | 'proxy', faults: Omit<Scenario, 'actions'>): Promise<ScenarioTrace> =>
  runScenario(shop, { actions: [{ start: container }, { at: 1_000, stop: container }], ...faults });
const stop = (trace: ScenarioTrace) => trace.results[1]?.stop;
const runtime = (trace: ScenarioTrace, container: string): string[] =>
  trace.runtime
    .filter((e) => e.container === container && e.kind !== 'start' && e.kind !== 'started')
    .map(
      (e) =>
        `${e.kind}${e.signal ? `:${e.signal}` : ''}${e.exitCode === undefined ? '' : `:${e.exitCode}`}${e.error ? `:${e.error}` : ''}@${e.at}`,
    );

describe('exec faults reach the trace', () => {
  it('an exit code with stdout and stderr, after a delay', async () => {
    const trace = await stopAt1s('web', {
      hooks: { 'web.preStop': { exitCode: 1, stdout: 'draining', stderr: 'refused', delayMs: 2_500 } },
    });
    expect(runtime(trace, 'web').slice(0, 4)).toEqual(['exec@0', 'exec-result:0@0', 'exec@1000', 'exec-result:1@3500']);
    expect(stop(trace)?.preStop).toMatchObject({ outcome: 'failed', elapsedMs: 2_500 });
    expect(stop(trace)?.preStop.message).toContain('refused');
    expect(trace.events.map((e) => e.reason)).toContain('FailedPreStopHook');
  });

  it('a hang is cut by the grace', async () => {
    const trace = await stopAt1s('web', { hooks: { 'web.preStop': { hang: true } } });
    expect(stop(trace)?.preStop).toMatchObject({ outcome: 'timedOut', elapsedMs: 30_000 });
    expect(stop(trace)?.stopTimeoutSeconds).toBe(2);
  });

  it('a rejection and a synchronous throw are hook failures, not crashes', async () => {
    const rejected = await stopAt1s('web', {
      hooks: { 'web.preStop': { reject: 'rpc error: code = Unavailable', delayMs: 10 } },
    });
    expect(runtime(rejected, 'web')).toContain('exec-failed:rpc error: code = Unavailable@1010');
    expect(stop(rejected)?.preStop.outcome).toBe('failed');
    const thrown = await stopAt1s('web', { hooks: { 'web.preStop': { throw: 'adapter bug' } } });
    expect(runtime(thrown, 'web')).toContain('exec-failed:adapter bug@1000');
    expect(stop(thrown)?.preStop.outcome).toBe('failed');
  });

  it('a postStart failure kills the container; `times` makes it fail once', async () => {
    const trace = await runScenario(shop, {
      actions: [{ start: 'web' }, { at: 1_000, start: 'web' }],
      hooks: { 'web.postStart': { exitCode: 7, times: 1 } },
    });
    expect(trace.results.map((r) => r.start?.outcome)).toEqual(['postStartFailed', 'running']);
    expect(trace.events.map((e) => e.reason)).toContain('FailedPostStartHook');
  });

  it('by argv, tried after the hooks', async () => {
    const trace = await stopAt1s('web', { exec: { '/bin/drain': { exitCode: 0, delayMs: 4_000 } } });
    expect(stop(trace)?.preStop).toMatchObject({ outcome: 'succeeded', elapsedMs: 4_000 });
  });
});

describe('HTTP faults reach the trace', () => {
  it('a status after a delay (judged by policy.httpStatus)', async () => {
    const faults = { hooks: { 'api.preStop': { status: 500, delayMs: 1_500 } } };
    const ignored = await stopAt1s('api', faults);
    expect(ignored.http.map((r) => [r.at, r.request.url, r.outcome])).toEqual([
      [1_000, 'https://10.0.0.7:8080/drain', { status: 500 }],
    ]);
    expect(stop(ignored)?.preStop).toMatchObject({ outcome: 'succeeded', elapsedMs: 1_500 });
    const probed = await stopAt1s('api', { ...faults, policy: { httpStatus: 'probe' } });
    expect(stop(probed)?.preStop.outcome).toBe('failed');
  });

  it('an error with a code, a hang, a redirect', async () => {
    const error = await stopAt1s('api', {
      hooks: { 'api.preStop': { error: 'read ECONNRESET', errorCode: 'ECONNRESET' } },
    });
    expect(error.http[0]?.outcome).toEqual({ error: 'read ECONNRESET' });
    expect(stop(error)?.preStop.outcome).toBe('failed');
    const hang = await stopAt1s('api', { hooks: { 'api.preStop': { hang: true } } });
    expect(stop(hang)?.preStop.outcome).toBe('timedOut');
    const redirect = await stopAt1s('api', {
      hooks: { 'api.preStop': { status: 302, headers: { location: '/moved' } } },
    });
    expect(redirect.http.map((r) => r.request.url)).toEqual([
      'https://10.0.0.7:8080/drain',
      'https://10.0.0.7:8080/moved',
    ]);
  });

  it('plain HTTP on an HTTPS port falls back to HTTP (LifecycleHTTPFallback)', async () => {
    const trace = await stopAt1s('api', { hooks: { 'api.preStop': { plainHttp: true } } });
    expect(trace.http.map((r) => r.request.url)).toEqual(['https://10.0.0.7:8080/drain', 'http://10.0.0.7:8080/drain']);
    expect(trace.events.map((e) => e.reason)).toContain('LifecycleHTTPFallback');
  });

  it('by route, tried after the hooks', async () => {
    const trace = await stopAt1s('proxy', { http: { '/quit': { status: 200, delayMs: 6_000 } } });
    expect(stop(trace)?.preStop).toMatchObject({ outcome: 'succeeded', elapsedMs: 6_000 });
  });
});

describe('stop and start faults reach the trace', () => {
  it('ignoring SIGTERM, exiting on another signal only, exiting late with a code', async () => {
    const ignores = await stopAt1s('web', { stops: { web: { ignoreSigterm: true } } });
    expect(runtime(ignores, 'web').slice(-5)).toEqual([
      'stop@1000',
      'signal:SIGTERM@1000',
      'signal:SIGKILL@31000',
      'exit:137@31000',
      'stopped@31000',
    ]);
    const other = await stopAt1s('web', { stops: { web: { exitsOn: ['SIGQUIT'] } } });
    expect(runtime(other, 'web')).toContain('signal:SIGKILL@31000');
    const late = await stopAt1s('web', { stops: { web: { exitDelayMs: 4_000, exitCode: 0 } } });
    expect(runtime(late, 'web').slice(-2)).toEqual(['exit:0@5000', 'stopped@5000']);
  });

  it('a rejected stop is stopFailed', async () => {
    const trace = await stopAt1s('web', { stops: { web: { reject: 'rpc error: code = DeadlineExceeded' } } });
    expect(stop(trace)).toMatchObject({ outcome: 'stopFailed', error: expect.stringContaining('DeadlineExceeded') });
  });

  it('start failures: reject, throw, hang (cut by the runtime request timeout), delay', async () => {
    const start = async (fault: NonNullable<Scenario['starts']>[string]) =>
      (await runScenario(shop, { actions: [{ start: 'web' }], starts: { web: fault } })).results[0]?.start;
    expect(await start({ reject: 'image pull back-off' })).toMatchObject({
      outcome: 'startFailed',
      message: expect.stringContaining('image pull back-off'),
    });
    expect(await start({ throw: 'runtime bug' })).toMatchObject({ outcome: 'startFailed' });
    expect(await start({ hang: true })).toMatchObject({ outcome: 'startFailed' });
    expect(await start({ delayMs: 2_000 })).toMatchObject({ outcome: 'running', runningAt: 2_000 });
  });
});

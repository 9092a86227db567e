import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario, type ScenarioTrace } from '../../src/testing/index.js';
import { shop } from './scenario-fixtures.js';

const at = (trace: ScenarioTrace, kind: string, container?: string): number[] =>
  trace.runtime
    .filter((e) => e.kind === kind && (container === undefined || e.container === container))
    .map((e) => e.at);
const steps = (trace: ScenarioTrace, container: string): string[] =>
  trace.steps
    .filter((s) => s.container === container)
    .map((s) => `${s.kind}${s.outcome === undefined ? '' : `:${s.outcome}`}@${s.time}`);

describe('runScenario actions', () => {
  it('startAll starts init containers (to completion) and sidecars in order, then the regular containers', async () => {
    const trace = await runScenario(shop, { actions: [{ startAll: true }], init: { migrate: { exitAfterMs: 3_000 } } });
    expect(trace.runtime.filter((e) => e.kind === 'started').map((e) => `${e.container}@${e.at}`)).toEqual([
      'migrate@0',
      'proxy@3000',
      'web@3000',
      'api@3000',
    ]);
    expect(trace.results[0]).toMatchObject({ index: 0, kind: 'startAll', status: 'fulfilled', settledAt: 3_000 });
    expect(trace.results[0]?.starts?.map((s) => `${s.container}:${s.outcome}`)).toEqual([
      'migrate:running',
      'proxy:running',
      'web:running',
      'api:running',
    ]);
    expect(trace.statuses).toMatchObject({
      migrate: { state: 'Terminated', exitCode: 0 },
      proxy: { state: 'Running' },
      web: { state: 'Running' },
    });
    expect(trace).toMatchObject({ endReason: 'settled', endAt: 3_000, pendingTimers: [], violations: [] });
  });

  it('startAll stops at a failing init container, and starts nothing in a terminating pod', async () => {
    const failed = await runScenario(shop, {
      actions: [{ startAll: true }],
      init: { migrate: { exitAfterMs: 1_000, exitCode: 2 } },
    });
    expect(failed.results[0]?.starts?.map((s) => s.container)).toEqual(['migrate']);
    expect(failed.notes).toEqual([
      'actions[0] (startAll): init container migrate failed (exit 2); later containers were not started',
    ]);

    const deleted = await runScenario(shop, {
      actions: [{ startAll: true }, { at: 500, delete: true }],
      starts: { proxy: { delayMs: 2_000 } },
    });
    expect(deleted.results[0]?.starts?.map((s) => s.container)).toEqual(['migrate', 'proxy']);
    // The delete at 500 cancels proxy's start still in flight (the kubelet cancels the pod sync in
    // flight: pod_workers.go UpdatePod), so startAll stops there and starts nothing later.
    expect(deleted.notes).toEqual([
      'actions[0] (startAll): sidecar container proxy did not become Running (startFailed); later containers were not started',
    ]);
  });

  it('start, stop with an override and a reason, crash, delete: one result per action, in input order', async () => {
    const trace = await runScenario(shop, {
      actions: [
        { at: 4_000, delete: true, gracePeriodSeconds: 10 },
        { at: 1_000, start: 'web' },
        { at: 1_000, start: 'api' },
        { at: 2_000, stop: 'web', gracePeriodOverride: 5, reason: 'LivenessProbe' },
        { at: 3_000, crash: 'api', exitCode: 3 },
        { at: 3_500, crash: 'api' },
      ],
    });
    expect(trace.results.map((r) => `${r.index}:${r.kind}:${r.status}@${r.at}`)).toEqual([
      '0:delete:fulfilled@4000',
      '1:start:fulfilled@1000',
      '2:start:fulfilled@1000',
      '3:stop:fulfilled@2000',
      '4:crash:fulfilled@3000',
      '5:crash:ignored@3500',
    ]);
    expect(trace.results[1]?.start).toMatchObject({ outcome: 'running', runningAt: 1_000 });
    expect(trace.results[3]?.stop).toMatchObject({
      outcome: 'stopped',
      reason: 'LivenessProbe',
      gracePeriodSeconds: 5,
      startedAt: 2_000,
    });
    expect(trace.runtime.find((e) => e.kind === 'exit' && e.container === 'api')).toMatchObject({
      at: 3_000,
      exitCode: 3,
      reason: 'crash',
    });
    expect(trace.statuses['api']).toMatchObject({ state: 'Terminated', exitCode: 3 });
    expect(trace.results[5]?.note).toBe(
      'actions[5]: crash of api at 3500 ms ignored: the container was not running then',
    );
    expect(trace.results[0]?.termination).toMatchObject({
      gracePeriodSeconds: 10,
      deletionGracePeriodSeconds: 10,
      startedAt: 4_000,
    });
    expect(trace.violations).toEqual([]);
  });

  it('after: an action runs when an earlier one settles (delete once the pod is up)', async () => {
    const trace = await runScenario(shop, {
      actions: [
        { startAll: true },
        { after: 0, delete: true },
        { after: 1, start: 'web' },
        { at: 1, crash: 'web' },
        { after: 3, stop: 'api' },
      ],
      init: { migrate: { exitAfterMs: 2_000 } },
    });
    expect(trace.results[1]).toMatchObject({ after: 0, at: 2_000, status: 'fulfilled' });
    expect(trace.results[2]).toMatchObject({ after: 1, status: 'rejected', error: { code: 'ERR_INVALID_STATE' } });
    expect(trace.results[3]).toMatchObject({ status: 'ignored' }); // web was not running at 1 ms
    expect(trace.results[4]).toMatchObject({ after: 3, at: 1, status: 'fulfilled', stop: { outcome: 'notRunning' } });
  });

  it('after: an action whose predecessor never settles never runs, with a note', async () => {
    const trace = await runScenario(shop, {
      actions: [{ start: 'web' }, { after: 0, delete: true }],
      hooks: { 'web.postStart': { hang: true } },
    });
    expect(trace.results.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(trace.notes).toEqual(['actions[1] never ran: actions[0] had not settled when the run ended']);
  });

  it('a manager rejection is data, not a throw', async () => {
    const trace = await runScenario(shop, { actions: [{ start: 'web' }, { at: 1, start: 'web' }] });
    expect(trace.results[1]).toMatchObject({
      status: 'rejected',
      settledAt: 1,
      error: { name: 'LifecycleError', code: 'ERR_INVALID_STATE' },
    });
  });

  it('a 30-second grace runs in virtual time', async () => {
    const wall = performance.now();
    const trace = await runScenario(shop, {
      actions: [{ start: 'web' }, { at: 1_000, delete: true }],
      hooks: { 'web.preStop': { hang: true } },
      stops: { web: { ignoreSigterm: true } },
    });
    console.log(`30 s grace scenario: ${(performance.now() - wall).toFixed(1)} ms of wall time`);
    expect(steps(trace, 'web')).toContain('preStopFinished:timedOut@31000');
    expect(trace.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`)).toEqual([
      'SIGTERM@31000',
      'SIGKILL@33000',
    ]);
    expect(trace.endAt).toBe(33_000);
  });

  it('is deterministic: the same input gives the identical trace', async () => {
    const scenario: Scenario = {
      actions: [
        { startAll: true },
        { at: 2_000, crash: 'web' },
        { at: 2_500, start: 'web' },
        { at: 5_000, delete: true },
        { at: 6_000, delete: true, gracePeriodSeconds: 1 },
      ],
      hooks: {
        'web.postStart': { exitCode: 0, delayMs: 300 },
        'web.preStop': { exitCode: 1, stderr: 'no', delayMs: 4_000 },
        'api.preStop': { plainHttp: true, delayMs: 100 },
      },
      stops: { proxy: { exitDelayMs: 700 }, api: { ignoreSigterm: true } },
      policy: { shorterGraceDuringTermination: 'interrupt', unfinishedPreStopEvent: true },
    };
    const first = await runScenario(shop, scenario);
    const second = await runScenario(shop, scenario);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.violations).toEqual([]);
  });

  it('until ends the run at that time, with what is still armed', async () => {
    const trace = await runScenario(shop, {
      actions: [{ start: 'web' }, { at: 1_000, stop: 'web' }],
      hooks: { 'web.preStop': { hang: true } },
      until: 5_000,
    });
    expect(trace).toMatchObject({ endReason: 'until', endAt: 5_000 });
    expect(trace.pendingTimers.length).toBeGreaterThan(0);
    expect(trace.results[1]?.status).toBe('pending');
  });

  it('maxTimers stops a run that keeps arming timers, with a note', async () => {
    const trace = await runScenario(shop, {
      actions: [{ start: 'web' }, { stop: 'web' }],
      hooks: { 'web.preStop': { exitCode: 0, delayMs: 1_000 } },
      stops: { web: { exitDelayMs: 5_000 } },
      maxTimers: 1,
    });
    expect(trace.endReason).toBe('maxTimers');
    expect(trace.notes[0]).toMatch(/^the run stopped at 1000 ms after 1 timers \(maxTimers\)/);
  });

  it('passes policy and kubeletVersion to the manager, and can deliver hooks twice', async () => {
    const trace = await runScenario(
      shop,
      {
        actions: [{ start: 'web' }, { start: 'api' }, { at: 1, delete: true, gracePeriodSeconds: 2 }],
        hooks: { 'web.preStop': { hang: true } },
        policy: { unfinishedPreStopEvent: true },
        kubeletVersion: '1.33',
      },
      { hookDeliveries: 2, deliveryOptions: { mode: 'concurrent' } },
    );
    expect(trace.events.map((e) => e.reason)).toContain('UnfinishedPreStopHook');
    expect(trace.http[0]?.request.headers).toContainEqual(['User-Agent', 'kube-lifecycle/1.33']);
    expect(at(trace, 'exec', 'web')).toEqual([0, 0, 1, 1]); // postStart and preStop, twice each
  });
});

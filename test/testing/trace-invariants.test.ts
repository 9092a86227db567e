import { describe, expect, it } from 'vitest';
import type { LifecycleStep } from '../../src/container/results.js';
import type { RuntimeTimelineEntry } from '../../src/testing/fake-runtime-scripts.js';
import { checkTraceInvariants, type TraceTimelineEntry } from '../../src/testing/trace-invariants.js';

const pod = { name: 'p', namespace: 'default', uid: 'u' };
const step = (kind: LifecycleStep['kind'], time: number, extra: Partial<LifecycleStep> = {}): LifecycleStep => ({
  kind,
  time,
  pod,
  container: 'web',
  containerID: 'id-1',
  ...extra,
});
const rt = (
  kind: RuntimeTimelineEntry['kind'],
  at: number,
  extra: Partial<RuntimeTimelineEntry> = {},
): TraceTimelineEntry => ({
  kind,
  at,
  podName: 'p',
  container: 'web',
  containerId: 'id-1',
  ...extra,
});
const names = (trace: Parameters<typeof checkTraceInvariants>[0], options = {}) =>
  checkTraceInvariants(trace, options).map((v) => v.invariant);

describe('checkTraceInvariants', () => {
  it('accepts a sound trace', () => {
    const steps = [
      step('postStartStarted', 0),
      step('postStartFinished', 5, { outcome: 'succeeded' }),
      step('running', 5),
      step('killing', 10),
      step('preStopStarted', 10),
      step('preStopFinished', 20),
      step('stopRequested', 20, { seconds: 2 }),
      step('exited', 22),
    ];
    const runtime = [
      rt('stop', 20, { timeoutSeconds: 2 }),
      rt('signal', 20, { signal: 'SIGTERM' }),
      rt('signal', 2_020, { signal: 'SIGKILL' }),
    ];
    expect(checkTraceInvariants({ events: [], steps, runtime })).toEqual([]);
  });

  it('flags Running before postStart succeeded (spec §3.2)', () => {
    const steps = [
      step('postStartStarted', 0),
      step('postStartFinished', 5, { outcome: 'failed' }),
      step('running', 5),
    ];
    expect(names({ events: [], steps, runtime: [] })).toEqual(['running-after-poststart']);
  });

  it('flags a stop requested during preStop, below the minimum, or without Killing', () => {
    const steps = [step('preStopStarted', 0), step('stopRequested', 1, { seconds: 1 })];
    expect(names({ events: [], steps, runtime: [] })).toEqual([
      'killing-before-prestop',
      'prestop-before-stop',
      'minimum-stop-grace',
    ]);
  });

  it('flags an early SIGKILL and a second stop of one instance', () => {
    const runtime = [
      rt('stop', 0, { timeoutSeconds: 5 }),
      rt('signal', 4_999, { signal: 'SIGKILL' }),
      rt('stop', 6_000, { timeoutSeconds: 5 }),
    ];
    expect(names({ events: [], steps: [], runtime })).toEqual(['sigkill-deadline', 'one-stop-per-instance']);
    expect(names({ events: [], steps: [], runtime }, { allowReissuedStops: true })).toEqual(['sigkill-deadline']);
  });

  it('allows a retried stop after a failed one', () => {
    const runtime = [
      rt('stop', 0, { timeoutSeconds: 5 }),
      rt('stop-failed', 0),
      rt('stop', 6_000, { timeoutSeconds: 5 }),
    ];
    expect(names({ events: [], steps: [], runtime })).toEqual([]);
  });

  it('flags preStop after exit and time going backwards, with readable messages', () => {
    const steps = [step('exited', 10), step('killing', 5), step('preStopStarted', 12)];
    const violations = checkTraceInvariants({ events: [], steps, runtime: [] });
    expect(violations.map((v) => v.invariant)).toEqual(['time-moves-forward', 'no-prestop-after-exit']);
    expect(violations[1]?.message).toBe('web (id-1) started preStop at 12 ms after it had exited');
  });

  it('flags a kill whose stop timeout is not the one killPlan gives (spec §4.2-C.4–7)', () => {
    const kill = (seconds: number) => [
      step('killing', 0, { seconds: 30 }),
      step('preStopStarted', 0),
      step('preStopFinished', 3_500),
      step('orderingWaitStarted', 3_500),
      step('orderingWaitFinished', 11_400),
      step('stopRequested', 11_400, { seconds }),
    ];
    // 30 − floor(3.5) − floor(7.9) = 20.
    expect(names({ events: [], steps: kill(20), runtime: [] })).toEqual([]);
    const violations = checkTraceInvariants({ events: [], steps: kill(21), runtime: [] });
    expect(violations.map((v) => v.invariant)).toEqual(['kill-matches-plan']);
    expect(violations[0]?.message).toBe(
      'web (id-1) got a stop timeout of 21 s at 11400 ms; killPlan gives 20 s (grace 30 s, preStop 3500 ms, ordering wait 7900 ms)',
    );
    // The `interrupt` policy may lower a stop timeout, never raise it.
    expect(names({ events: [], steps: kill(5), runtime: [] }, { allowReissuedStops: true })).toEqual([]);
    expect(names({ events: [], steps: kill(21), runtime: [] }, { allowReissuedStops: true })).toEqual([
      'kill-matches-plan',
    ]);
  });
});

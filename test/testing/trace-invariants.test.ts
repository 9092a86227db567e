import { describe, expect, it } from 'vitest';
import type { LifecycleStep } from '../../src/manager/results.js';
import type { RuntimeTimelineEntry } from '../../src/testing/fake-runtime-scripts.js';
import { checkTraceInvariants } from '../../src/testing/trace-invariants.js';

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
  atMs: number,
  extra: Partial<RuntimeTimelineEntry> = {},
): RuntimeTimelineEntry => ({
  kind,
  atMs,
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
});

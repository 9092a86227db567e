/**
 * The pod-level options of `LifecycleManager` (DESIGN §10 policies): a bad value is refused at
 * construction with `InvalidArgumentError` naming the option, never later in a sync.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LifecycleManager, type LifecycleManagerOptions } from '../../src/index.js';
import { FakeHttpClient, FakeRuntime, VirtualClock } from '../../src/testing/index.js';

function build(extra: Partial<LifecycleManagerOptions>): LifecycleManager {
  const clock = new VirtualClock();
  return new LifecycleManager({
    runtime: new FakeRuntime({ clock }),
    httpClient: new FakeHttpClient({ clock }),
    clock,
    ...extra,
  });
}

function refused(extra: Record<string, unknown>): InvalidArgumentError {
  try {
    build(extra as Partial<LifecycleManagerOptions>);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error(`accepted ${JSON.stringify(extra)}`);
}

describe('pod-level options are checked at construction (DESIGN §10)', () => {
  it.each([
    [{ crashLoopBackOff: 5 }, 'options.crashLoopBackOff'],
    [{ crashLoopBackOff: { initialSeconds: 0 } }, 'options.crashLoopBackOff.initialSeconds'],
    [{ crashLoopBackOff: { maxSeconds: Number.NaN } }, 'options.crashLoopBackOff.maxSeconds'],
    [{ crashLoopBackOff: { resetAfterSeconds: -1 } }, 'options.crashLoopBackOff.resetAfterSeconds'],
    [{ crashLoopBackOff: { requeue: 'sometimes' } }, 'options.crashLoopBackOff.requeue'],
    [{ crashLoopBackOff: { syncFrequencySeconds: 0 } }, 'options.crashLoopBackOff.syncFrequencySeconds'],
    [{ crashLoopBackOff: { afterProbeKill: 'never' } }, 'options.crashLoopBackOff.afterProbeKill'],
    [{ exitObservationDelayMs: -1 }, 'options.exitObservationDelayMs'],
    [{ random: 0.5 }, 'options.random'],
  ])('%j is refused, naming %s', (extra, name) => {
    expect(refused(extra).message).toContain(name);
  });

  it('the named values are accepted', () => {
    for (const afterProbeKill of ['killingSync', 'killedExit'] as const)
      expect(() => build({ crashLoopBackOff: { afterProbeKill } })).not.toThrow();
    expect(() => build({ crashLoopBackOff: { requeue: 'fixed10s', initialSeconds: 1, maxSeconds: 60 } })).not.toThrow();
  });
});

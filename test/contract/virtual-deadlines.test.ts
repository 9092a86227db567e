/**
 * Black-box contract: Deadline timers on VirtualClock (docs/testing.md "Virtual time by default").
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import { execHook, makePod, run, setup, watch } from '../support/scripted-adapters.js';
import { settle } from '../support/settle.js';

// =============================================================================================
// 2. Deadline timers on VirtualClock
// =============================================================================================

describe('2. deadline timers on VirtualClock (docs/testing.md "Virtual time by default")', () => {
  for (const microtaskTurns of [2, 200]) {
    it(`the preStop grace race has a timer pending right after the call and fires at exactly the grace, not 1 ms early or late (microtaskTurns ${microtaskTurns}, spec §4.2-C.5)`, async () => {
      const { clock, runtime, manager } = setup({ microtaskTurns });
      runtime.execs.set('/bin/pre', { kind: 'hang' });
      runtime.stops.set('web', { kind: 'exit', exitAfterMs: 0 });
      const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
      await run(clock, manager.startContainer(pod, 'web'));
      expect(clock.pendingTimers).toBe(0);
      await clock.advanceTo(1_000);
      const stopping = manager.stopContainer(pod, 'web', { gracePeriodOverride: 7 });
      expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toContain(8_000);
      await clock.advanceTo(7_999);
      await settle();
      expect(runtime.of('stop')).toHaveLength(0);
      await clock.advance(1);
      await settle();
      expect(runtime.of('stop')).toMatchObject([{ at: 8_000, timeoutSeconds: 2 }]);
      expect(await run(clock, stopping)).toMatchObject({
        preStop: { outcome: 'timedOut', elapsedMs: 7_000 },
        exitedAt: 8_000,
      });
      await settle();
      expect(clock.pendingTimers).toBe(0);
    });

    it(`the runtime-start race has a timer pending right after the call and fires at exactly runtimeRequestTimeoutSeconds (microtaskTurns ${microtaskTurns})`, async () => {
      const { clock, runtime, manager } = setup({ microtaskTurns, runtimeRequestTimeoutSeconds: 3 });
      runtime.starts.set('web', { kind: 'hang' });
      const pod = makePod([{ name: 'web' }]);
      await clock.advanceTo(500);
      const starting = manager.startContainer(pod, 'web');
      const state = watch(starting);
      expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toContain(3_500);
      await clock.advanceTo(3_499);
      await settle();
      expect(state.settled).toBe(false);
      await clock.advance(1);
      await settle();
      expect(state.settled).toBe(true);
      expect(await starting).toMatchObject({ outcome: 'startFailed', startedAt: 500 });
      expect(runtime.abortTime(runtime.of('start')[0]!.signal)).toBe(3_500);
      expect(clock.pendingTimers).toBe(0);
    });

    it(`the stop give-up race fires at exactly stop timeout + runtimeRequestTimeoutSeconds (microtaskTurns ${microtaskTurns})`, async () => {
      const { clock, runtime, manager } = setup({ microtaskTurns, runtimeRequestTimeoutSeconds: 2 });
      runtime.stops.set('web', { kind: 'hang' });
      const pod = makePod([{ name: 'web' }], { tgps: 4 });
      await run(clock, manager.startContainer(pod, 'web'));
      const stopping = manager.stopContainer(pod, 'web');
      const state = watch(stopping);
      await settle();
      expect(runtime.of('stop')).toMatchObject([{ at: 0, timeoutSeconds: 4 }]);
      expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toContain(6_000);
      await clock.advanceTo(5_999);
      await settle();
      expect(state.settled).toBe(false);
      await clock.advance(1);
      await settle();
      expect(state.settled).toBe(true);
      expect(await stopping).toMatchObject({ outcome: 'stopTimedOut' });
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it('a preStop that finishes before the grace leaves no grace timer behind (spec §4.2-C.5)', async () => {
    const { clock, runtime, manager } = setup({ microtaskTurns: 2 });
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 1_500, result: { exitCode: 0 } });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 250 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web');
    await settle();
    expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toEqual(expect.arrayContaining([1_500, 30_000]));
    await clock.advanceTo(1_500);
    await settle();
    // the preStop won: its grace timer (30 000) is gone while the stop is still pending
    // (what is left: the exit at 1 750, SIGKILL at 1 500 + 29 s, the give-up at 1 500 + 29 s + 120 s)
    expect(runtime.of('stop')).toMatchObject([{ at: 1_500, timeoutSeconds: 29 }]);
    expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toEqual([1_750, 30_500, 150_500]);
    expect(await run(clock, stopping)).toMatchObject({
      preStop: { outcome: 'succeeded', elapsedMs: 1_500 },
      stopTimeoutSeconds: 29,
      exitedAt: 1_750,
    });
    await settle();
    expect(clock.pendingTimerList()).toEqual([]);
  });

  it('postStartTimeoutSeconds fires at exactly N s after the hook began (microtaskTurns 2, k/k#116032)', async () => {
    const { clock, runtime, manager, events } = setup({ microtaskTurns: 2, policy: { postStartTimeoutSeconds: 3 } });
    runtime.execs.set('/bin/post', { kind: 'hang' });
    const pod = makePod([{ name: 'web', lifecycle: { postStart: execHook('/bin/post') } }]);
    const starting = manager.startContainer(pod, 'web');
    const state = watch(starting);
    await settle();
    expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toContain(3_000);
    await clock.advanceTo(2_999);
    await settle();
    expect(events.map((e) => e.reason)).toEqual(['Started']);
    await clock.advance(1);
    await settle();
    expect(events.find((e) => e.reason === 'FailedPostStartHook')?.timestamp).toBe(3_000);
    await run(clock, starting);
    expect(state.settled).toBe(true);
    await settle();
    expect(clock.pendingTimers).toBe(0);
  });
});

// =============================================================================================

/**
 * `Clock.keepsDeadlineTimers` (opt-in, docs/performance-history.md round 6): the deadline race keeps its
 * first timer instead of handing pending work to p-timeout at the idle signal. Same outcomes;
 * the two differences the option documents (turns to the answer, the timer's place among timers
 * due at the same instant) are pinned here against the default, so neither drifts unnoticed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEADLINE, raceDeadline } from '../../src/container/deadline.js';
import type { Clock } from '../../src/ports/clock.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { makePod, setup } from '../support/manager-harness.js';

/** A VirtualClock behind a spy (delays armed, handles cleared), with the opt-in set or not. */
function spiedClock(keeps: boolean): { clock: VirtualClock; spy: Clock; armed: number[]; cleared: unknown[] } {
  const clock = new VirtualClock();
  const armed: number[] = [];
  const cleared: unknown[] = [];
  const spy: Clock = {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => {
      armed.push(delayMs);
      return clock.setTimeout(callback, delayMs);
    },
    clearTimeout: (handle) => {
      cleared.push(handle);
      clock.clearTimeout(handle);
    },
    whenIdle: (callback) => clock.whenIdle(callback),
    ...(keeps ? { keepsDeadlineTimers: true } : {}),
  };
  return { clock, spy, armed, cleared };
}

function deferredWork<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Turns from the work settling to the race's answer, with the work pending at the idle signal. */
async function turnsToAnswer(keeps: boolean): Promise<number> {
  const { clock, spy } = spiedClock(keeps);
  const work = deferredWork<string>();
  let answeredAt = -1;
  let turn = 0;
  void raceDeadline(spy, work.promise, 1_000).then(() => (answeredAt = turn));
  await clock.flush(); // idle: the default hands over here
  work.resolve('v');
  for (turn = 1; turn <= 20 && answeredAt < 0; turn++) await Promise.resolve();
  return answeredAt;
}

describe('raceDeadline with Clock.keepsDeadlineTimers (opt-in)', () => {
  it('work pending at the idle signal keeps the first timer: nothing handed over, nothing re-armed; DEADLINE at the due time, no timer left', async () => {
    const { clock, spy, armed, cleared } = spiedClock(true);
    const raced = raceDeadline(spy, new Promise<never>(() => undefined), 1_000);
    await clock.flush();
    expect(armed).toEqual([1_000]);
    expect(cleared).toEqual([]);
    await clock.advance(999);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    await expect(raced).resolves.toBe(DEADLINE);
    expect(clock.now()).toBe(1_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('work settling after the idle signal wins, and the first timer is cleared', async () => {
    const { clock, spy, armed, cleared } = spiedClock(true);
    const work = deferredWork<string>();
    const raced = raceDeadline(spy, work.promise, 1_000);
    await clock.advance(500);
    work.resolve('in time');
    await expect(raced).resolves.toBe('in time');
    expect(armed).toEqual([1_000]);
    expect(cleared).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('the turns it changes, as documented: the answer one turn after the work settles, five through p-timeout', async () => {
    // The race settles one turn after the work (its consumer's reaction runs in the next: 2);
    // through p-timeout's wrapper and its `finally` five turns after (the reaction: 6).
    expect(await turnsToAnswer(true)).toBe(2);
    expect(await turnsToAnswer(false)).toBe(6);
  });

  it('the timer order it changes, as documented: the limit keeps its place among timers due at the same instant', async () => {
    const order = async (keeps: boolean): Promise<string[]> => {
      const { clock, spy } = spiedClock(keeps);
      const fired: string[] = [];
      void raceDeadline(spy, new Promise<never>(() => undefined), 1_000).then(() => fired.push('race'));
      spy.setTimeout(() => fired.push('other'), 1_000); // armed after the race began, before idle
      await clock.runAll();
      return fired;
    };
    expect(await order(true)).toEqual(['race', 'other']);
    expect(await order(false)).toEqual(['other', 'race']);
  });

  it('property: the same outcome at the same virtual time as the default (work settling or failing at any time, any limit)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }),
        fc.boolean(),
        fc.oneof(fc.integer({ min: -5, max: 3_000 }), fc.constant(Number.POSITIVE_INFINITY)),
        async (settleAtMs, fails, limitMs) => {
          const run = async (keeps: boolean) => {
            const { clock, spy } = spiedClock(keeps);
            const work = new Promise<string>((resolve, reject) => {
              if (settleAtMs !== undefined)
                clock.setTimeout(() => (fails ? reject(new Error('failed')) : resolve('value')), settleAtMs);
            });
            let outcome: string | undefined;
            let at = -1;
            void raceDeadline(spy, work, limitMs).then(
              (value) => {
                outcome = value === DEADLINE ? 'DEADLINE' : String(value);
                at = clock.now();
              },
              (error: unknown) => {
                outcome = `rejected: ${(error as Error).message}`;
                at = clock.now();
              },
            );
            await clock.advance(5_000);
            return { outcome, at, left: clock.pendingTimers };
          };
          expect(await run(true)).toEqual(await run(false));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the manager on a clock with keepsDeadlineTimers', () => {
  /** deletePod of a pod whose containers wait on every kind of race: what an embedder records. */
  async function deleteTrace(keeps: boolean) {
    const env = setup();
    if (keeps) Object.assign(env.clock, { keepsDeadlineTimers: true });
    const quit = ['/bin/quit'];
    const stuck = ['/bin/stuck'];
    env.runtime.onExec(quit, { exitCode: 0, delayMs: 4_500 });
    env.runtime.onExec(stuck, { hang: true });
    env.runtime.onStop('b', { exitsOn: [] }); // ignores SIGTERM: killed at its stop timeout
    const pod = env.track(
      makePod(
        [
          { name: 'a', lifecycle: { preStop: { exec: { command: quit } } } },
          { name: 'b', lifecycle: { preStop: { exec: { command: stuck } } } },
          { name: 'c' },
        ],
        { tgps: 10 },
      ),
    );
    for (const name of ['a', 'b', 'c']) await env.settle(env.manager.startContainer(pod, name));
    const result = await env.settle(env.manager.deletePod(pod));
    return {
      result,
      events: env.events.map((e) => [e.reason, e.message, e.timestamp]),
      steps: env.steps,
      timeline: env.runtime.timeline,
      now: env.clock.now(),
      timersLeft: env.clock.pendingTimers,
    };
  }

  it('deletePod (preStop done, preStop cut at the grace, SIGTERM ignored, no preStop): the same results, events, steps and runtime calls at the same times as the default (spec §4.2-C)', async () => {
    const keeps = await deleteTrace(true);
    expect(keeps.result.containers.map((c) => c.outcome)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(keeps.timersLeft).toBe(0);
    expect(keeps).toEqual(await deleteTrace(false));
  });
});

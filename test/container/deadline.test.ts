import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEADLINE, raceDeadline } from '../../src/container/deadline.js';
import type { Clock } from '../../src/ports/clock.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

describe('raceDeadline (p-timeout on the injected clock)', () => {
  it('resolves with the value when it comes first, and leaves no timer', async () => {
    const clock = new VirtualClock();
    const raced = raceDeadline(clock, new Promise((resolve) => clock.setTimeout(() => resolve('done'), 5)), 10);
    await clock.runAll();
    await expect(raced).resolves.toBe('done');
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves with DEADLINE at the deadline; a deadline <= 0 is due at once', async () => {
    const clock = new VirtualClock();
    const never = new Promise<never>(() => undefined);
    const late = raceDeadline(clock, never, 1_000);
    const now = raceDeadline(clock, never, 0);
    await clock.runAll();
    await expect(late).resolves.toBe(DEADLINE);
    await expect(now).resolves.toBe(DEADLINE);
    expect(clock.now()).toBe(1_000);
  });

  it('passes a rejection through', async () => {
    const clock = new VirtualClock();
    await expect(raceDeadline(clock, Promise.reject(new Error('boom')), 10)).rejects.toThrow('boom');
  });

  it('leaves Error.stackTraceLimit as it found it', () => {
    const before = Error.stackTraceLimit;
    void raceDeadline(new VirtualClock(), Promise.resolve(1), 10);
    expect(Error.stackTraceLimit).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// A timer is on the clock from the call on; work that settles before the clock is idle
// (Clock.whenIdle) clears it and is done, however many microtask turns it took; work still
// pending then is raced by p-timeout on the clock, for what is left of the same deadline (the
// preStop grace timer of spec §4.2-C.5.3 and the other manager waits are built on this race).
// ---------------------------------------------------------------------------------------------

/** A VirtualClock behind a spy recording the delays armed and the handles cleared on it. */
function spiedClock(startAt = 0): { clock: VirtualClock; spy: Clock; armed: number[]; cleared: unknown[] } {
  const clock = new VirtualClock({ startAt });
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
  };
  return { clock, spy, armed, cleared };
}

/** `value`, settled after a chain of `k` `.then()` links (one microtask turn each). */
function afterTurns<T>(k: number, value: T): Promise<T> {
  let chain = Promise.resolve(value);
  for (let i = 0; i < k; i++) chain = chain.then((v) => v);
  return chain;
}

/** A promise rejected with `error` after a chain of `k` `.then()` links. */
function rejectedAfterTurns(k: number, error: unknown): Promise<never> {
  return afterTurns(k, undefined).then(() => Promise.reject(error));
}

/** Let `n` microtask turns pass (no timer, no clock). */
async function turns(n: number): Promise<void> {
  await afterTurns(n, undefined);
}

/** Observe a promise's state synchronously. */
function track<T>(promise: Promise<T>): { state: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } {
  const seen: { state: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  promise.then(
    (value) => {
      seen.state = 'fulfilled';
      seen.value = value;
    },
    (error: unknown) => {
      seen.state = 'rejected';
      seen.error = error;
    },
  );
  return seen;
}

const never = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * A clock whose time the test sets, recording each delay armed and each timer's callback; the
 * test says when it is idle (`idle()` runs the `whenIdle` callbacks).
 */
function manualClock(startAt: number): {
  clock: Clock;
  armed: number[];
  fire: Array<() => void>;
  setNow: (ms: number) => void;
  idle: () => void;
} {
  let now = startAt;
  const armed: number[] = [];
  const fire: Array<() => void> = [];
  let waiting: Array<() => void> = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, delayMs) => {
      armed.push(delayMs);
      fire.push(callback);
      return fire.length;
    },
    clearTimeout: () => undefined,
    whenIdle: (callback) => waiting.push(callback),
  };
  const idle = (): void => {
    const callbacks = waiting;
    waiting = [];
    for (const callback of callbacks) callback();
  };
  return { clock, armed, fire, setNow: (ms) => (now = ms), idle };
}

describe('raceDeadline: the first timer until the clock is idle, then p-timeout', () => {
  it('work that settles before the clock is idle wins with its one timer cleared, however many turns it takes (0 to 150; the old probe gave up after 16)', async () => {
    const cases: Array<{ label: string; work: () => PromiseLike<string> }> = [
      { label: 'already resolved', work: () => Promise.resolve('v') },
      ...[0, 1, 5, 15, 16, 17, 40, 100, 150].map((k) => ({
        label: `after ${k} turns`,
        work: () => afterTurns(k, `v${k}`),
      })),
    ];
    for (const { label, work } of cases) {
      const { clock, spy, armed, cleared } = spiedClock();
      const expected = await work();
      const raced = track(raceDeadline(spy, work(), 1_000));
      await clock.flush();
      expect(raced, label).toEqual({ state: 'fulfilled', value: expected });
      expect({ label, armed, cleared: cleared.length }).toEqual({ label, armed: [1_000], cleared: 1 });
      expect(clock.pendingTimers, label).toBe(0);
    }
  });

  it('an adapter that takes 100 awaits to answer counts as instant on the virtual clock: its value at time 0, no p-timeout', async () => {
    const { clock, spy, armed } = spiedClock();
    const adapter = async (): Promise<string> => {
      for (let i = 0; i < 100; i++) await Promise.resolve();
      return 'answered';
    };
    const raced = track(raceDeadline(spy, adapter(), 30_000));
    await clock.advance(0);
    expect(raced).toEqual({ state: 'fulfilled', value: 'answered' });
    expect(clock.now()).toBe(0);
    expect(armed).toEqual([30_000]); // the first timer only: p-timeout was never armed
    expect(clock.pendingTimers).toBe(0);
  });

  it('a rejection before the clock is idle rejects with the very same error; its timer is cleared', async () => {
    for (const k of [0, 1, 12, 60]) {
      const { clock, spy, armed } = spiedClock();
      const error = new Error(`boom after ${k}`);
      await expect(raceDeadline(spy, rejectedAfterTurns(k, error), 1_000)).rejects.toBe(error);
      expect(armed, `k=${k}`).toEqual([1_000]);
      expect(clock.pendingTimers).toBe(0);
    }
    // Not only Errors: whatever the work rejects with comes through untouched.
    const { clock, spy } = spiedClock();
    await expect(raceDeadline(spy, Promise.reject('a string'), 10)).rejects.toBe('a string');
    expect(clock.pendingTimers).toBe(0);
  });

  it('the deadline is on the clock from the call on, before the clock is idle', () => {
    const { clock, spy } = spiedClock(10_000);
    void raceDeadline(spy, never(), 1_000);
    expect(clock.pendingTimerList()).toEqual([{ deadlineAt: 11_000, deadlineMs: 11_000 }]);
  });

  it('no hand-over without the idle signal: microtask turns alone leave the first timer in charge', async () => {
    const { spy, armed } = spiedClock();
    void raceDeadline(spy, never(), 1_000);
    await turns(500);
    expect(armed).toEqual([1_000]);
  });

  it('work still pending when the clock is idle is handed to p-timeout: one timer at the same due time; DEADLINE then, not 1 ms before, no timer left (spec §4.2-C.5.3)', async () => {
    const { clock, spy, armed, cleared } = spiedClock(10_000);
    const raced = track(raceDeadline(spy, never(), 1_000));
    await clock.flush();
    expect(armed).toEqual([1_000, 1_000]); // the first timer, then p-timeout's
    expect(cleared).toHaveLength(1); // the first one
    expect(clock.pendingTimerList()).toEqual([{ deadlineAt: 11_000, deadlineMs: 11_000 }]);

    await clock.advance(999);
    expect(raced.state).toBe('pending');
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(1);
    expect(raced).toEqual({ state: 'fulfilled', value: DEADLINE });
    expect(clock.now()).toBe(11_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a clock that moves before it is idle fires the deadline at its time (a VirtualClock with few microtask turns)', async () => {
    const clock = new VirtualClock({ microtaskTurns: 2 });
    const raced = track(raceDeadline(clock, never(), 500));
    await clock.advance(499);
    expect(raced.state).toBe('pending');
    await clock.advance(1);
    expect(raced).toEqual({ state: 'fulfilled', value: DEADLINE });
    expect(clock.now()).toBe(500);
    expect(clock.pendingTimers).toBe(0);
  });

  it('work settling after p-timeout took over but before the deadline wins, and its timer is cleared', async () => {
    const { clock, spy, armed } = spiedClock();
    let finish!: (value: string) => void;
    const raced = track(raceDeadline(spy, new Promise<string>((resolve) => (finish = resolve)), 1_000));
    await clock.flush();
    expect(armed).toEqual([1_000, 1_000]);

    await clock.advance(999);
    finish('late but in time');
    await clock.flush();
    expect(raced).toEqual({ state: 'fulfilled', value: 'late but in time' });
    expect(clock.pendingTimers).toBe(0);

    await clock.advance(10_000); // nothing left to fire, the result does not change
    expect(raced.value).toBe('late but in time');
  });

  it('a rejection after p-timeout took over but before the deadline rejects with that error, and its timer is cleared', async () => {
    const { clock, spy } = spiedClock();
    let fail!: (error: unknown) => void;
    const error = new Error('late failure');
    const raced = track(raceDeadline(spy, new Promise<never>((_, reject) => (fail = reject)), 1_000));
    await clock.flush();
    await clock.advance(500);
    fail(error);
    await clock.flush();
    expect(raced).toEqual({ state: 'rejected', error });
    expect(clock.pendingTimers).toBe(0);
  });

  it("the deadline is counted from the call: time that passes before the clock is idle is taken off p-timeout's delay", async () => {
    const { clock, armed, fire, setNow, idle } = manualClock(1_000);
    const raced = track(raceDeadline(clock, never(), 500));
    setNow(1_003); // time moves before the clock says it is idle
    idle();
    expect(armed).toEqual([500, 497]);
    fire[1]!();
    await turns(4);
    expect(raced).toEqual({ state: 'fulfilled', value: DEADLINE });
  });

  it('a deadline already past when the clock is idle is left to the first timer: DEADLINE when it fires', async () => {
    const { clock, armed, fire, setNow, idle } = manualClock(1_000);
    const raced = track(raceDeadline(clock, never(), 5));
    setNow(1_010);
    idle();
    expect(armed).toEqual([5]); // no p-timeout for a deadline already due
    expect(raced.state).toBe('pending');
    fire[0]!();
    await turns(2);
    expect(raced).toEqual({ state: 'fulfilled', value: DEADLINE });
  });

  it('a clock without whenIdle hands over at once: p-timeout races the same due time', async () => {
    const clock = new VirtualClock();
    const armed: number[] = [];
    const plain: Clock = {
      now: () => clock.now(),
      setTimeout: (callback, delayMs) => {
        armed.push(delayMs);
        return clock.setTimeout(callback, delayMs);
      },
      clearTimeout: (handle) => clock.clearTimeout(handle),
    };
    const late = track(raceDeadline(plain, never(), 1_000));
    expect(armed).toEqual([1_000, 1_000]);
    await expect(raceDeadline(plain, afterTurns(100, 'v'), 1_000)).resolves.toBe('v');
    await clock.advance(999);
    expect(late.state).toBe('pending');
    await clock.advance(1);
    expect(late).toEqual({ state: 'fulfilled', value: DEADLINE });
    expect(clock.pendingTimers).toBe(0);
  });

  it('delayMs Infinity: pending work arms no finite timer and never resolves DEADLINE', async () => {
    const { clock, spy, armed } = spiedClock();
    let finish!: (value: string) => void;
    const raced = track(raceDeadline(spy, new Promise<string>((resolve) => (finish = resolve)), Infinity));
    await clock.flush();
    expect(armed.filter((ms) => Number.isFinite(ms))).toEqual([]);
    expect(clock.pendingTimerList().filter((t) => Number.isFinite(t.deadlineAt))).toEqual([]);
    await clock.advance(1e12);
    await clock.runAll();
    expect(raced.state).toBe('pending');
    finish('eventually');
    await clock.flush();
    expect(raced).toEqual({ state: 'fulfilled', value: 'eventually' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('leaves Error.stackTraceLimit as it found it once p-timeout took over', async () => {
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 23; // a value of our own: an earlier leak would not hide a new one
    try {
      const { armed, clock, spy } = spiedClock();
      void raceDeadline(spy, never(), 10);
      await clock.flush();
      expect(armed).toEqual([10, 10]);
      expect(Error.stackTraceLimit).toBe(23);
    } finally {
      Error.stackTraceLimit = before;
    }
  });

  it('property: the value iff the work settles before the deadline (microtask turns always beat a VirtualClock timer), else DEADLINE exactly at the due time; no timer left', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (settleTurn, delayMs, startAt) => {
          const clock = new VirtualClock({ startAt });
          const work = settleTurn === undefined ? never() : afterTurns(settleTurn, 'value');
          const raced = track(raceDeadline(clock, work, delayMs));
          if (delayMs > 0) {
            await clock.advance(delayMs - 1);
            expect(raced.state).toBe(settleTurn === undefined ? 'pending' : 'fulfilled');
          }
          await clock.advance(delayMs > 0 ? 1 : 0);
          expect(raced).toEqual({ state: 'fulfilled', value: settleTurn === undefined ? DEADLINE : 'value' });
          expect(clock.now()).toBe(startAt + delayMs);
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('a deadline of 0 is due at once: work settled before the clock is idle wins; work still pending is DEADLINE when the clock next runs, no timer left', async () => {
    for (const settleTurn of [0, 1, 5, 10, 100]) {
      const clock = new VirtualClock();
      await expect(raceDeadline(clock, afterTurns(settleTurn, 'value'), 0)).resolves.toBe('value');
      expect(clock.pendingTimers).toBe(0);
    }
    const clock = new VirtualClock();
    const raced = track(raceDeadline(clock, never(), 0));
    await clock.advance(0);
    expect(raced).toEqual({ state: 'fulfilled', value: DEADLINE });
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(0);
  });
});

describe('raceDeadline with a failing clock', () => {
  it('rejects (never hangs) when the clock throws while arming the timer', async () => {
    let calls = 0;
    const clock: Clock = {
      now: () => {
        if (++calls > 1) throw new Error('clock broke');
        return 0;
      },
      setTimeout: () => undefined,
      clearTimeout: () => undefined,
    };
    await expect(raceDeadline(clock, never(), 1_000)).rejects.toThrow('clock broke');
  });
});

describe('raceDeadline: one idle callback per clock and idle period', () => {
  it('races that settle before the clock is idle keep nothing waiting: a clock never idle does not accumulate callbacks', async () => {
    const clock = new VirtualClock();
    const registered: Array<() => void> = [];
    const spy: Clock = {
      now: () => clock.now(),
      setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs),
      clearTimeout: (handle) => clock.clearTimeout(handle),
      whenIdle: (callback) => registered.push(callback),
    };
    for (let i = 0; i < 1_000; i++) await expect(raceDeadline(spy, Promise.resolve(i), 1_000)).resolves.toBe(i);
    // One callback for the whole period (was one per race, kept until the clock was idle).
    expect(registered).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('every race still pending at the idle signal is handed over, in call order, and a later race waits for the next', async () => {
    const { clock, armed, fire, setNow, idle } = manualClock(0);
    const first = raceDeadline(clock, never(), 100);
    const settled = raceDeadline(clock, Promise.resolve('early'), 100);
    const second = raceDeadline(clock, never(), 200);
    await expect(settled).resolves.toBe('early');
    setNow(50);
    idle();
    // Each pending race armed p-timeout's timer for what was left: 50 and 150 ms, in call order.
    expect(armed).toEqual([100, 100, 200, 50, 150]);
    const third = raceDeadline(clock, never(), 10);
    idle();
    expect(armed).toEqual([100, 100, 200, 50, 150, 10, 10]);
    setNow(200);
    for (const callback of fire.slice(3)) callback();
    await expect(first).resolves.toBe(DEADLINE);
    await expect(second).resolves.toBe(DEADLINE);
    await expect(third).resolves.toBe(DEADLINE);
  });
});

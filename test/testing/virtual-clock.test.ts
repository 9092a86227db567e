import pTimeout from 'p-timeout';
import { describe, expect, it } from 'vitest';
import { sleepOn } from '../../src/ports/clock.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

describe('VirtualClock: time and timers', () => {
  it('starts at 0 or at startAt', () => {
    expect(new VirtualClock().now()).toBe(0);
    expect(new VirtualClock({ startAt: 1_000 }).now()).toBe(1_000);
  });

  it('fires timers in deadline order, first-in first-out on ties, with now() at the deadline', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setTimeout(() => log.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`b1@${clock.now()}`), 20);
    clock.setTimeout(() => log.push(`b2@${clock.now()}`), 20);
    await clock.advance(25);
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20']);
    expect(clock.now()).toBe(25);
    await clock.advance(5);
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
  });

  it('fires a timer armed by a callback in the same advance, at its own deadline', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setTimeout(() => {
      clock.setTimeout(() => log.push(`inner@${clock.now()}`), 0);
      clock.setTimeout(() => log.push(`later@${clock.now()}`), 15);
      clock.setTimeout(() => log.push(`outside@${clock.now()}`), 100);
    }, 10);
    await clock.advance(50);
    expect(log).toEqual(['inner@10', 'later@25']);
    expect(clock.pendingTimers).toBe(1);
  });

  it('settles promise chains between timers, so a sleep armed after an await fires in the same advance', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const hook = async (): Promise<void> => {
      await sleepOn(clock, 1_000);
      log.push(`slept 1s at ${clock.now()}`);
      await Promise.resolve();
      await sleepOn(clock, 2_000);
      log.push(`slept 2s at ${clock.now()}`);
    };
    const done = hook();
    await clock.advance(3_000);
    await done;
    expect(log).toEqual(['slept 1s at 1000', 'slept 2s at 3000']);
  });

  it('cancels with clearTimeout and ignores unknown, fired or foreign handles', async () => {
    const clock = new VirtualClock();
    const other = new VirtualClock();
    let fired = 0;
    const handle = clock.setTimeout(() => fired++, 10);
    const kept = clock.setTimeout(() => fired++, 10);
    clock.clearTimeout(handle);
    clock.clearTimeout(undefined);
    clock.clearTimeout(42);
    other.clearTimeout(kept);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(10);
    clock.clearTimeout(kept);
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('clamps negative and NaN delays to 0 like Node; Infinity never fires', async () => {
    const clock = new VirtualClock({ startAt: 5 });
    const log: number[] = [];
    clock.setTimeout(() => log.push(clock.now()), -10);
    clock.setTimeout(() => log.push(clock.now()), Number.NaN);
    clock.setTimeout(() => log.push(-1), Infinity);
    await clock.advance(0);
    expect(log).toEqual([5, 5]);
    expect(clock.pendingTimerList()).toEqual([{ deadlineAt: Infinity, deadlineMs: Infinity }]);
    expect(await clock.runAll()).toBe(0);
    expect(await clock.next()).toBe(false);
  });

  it('lists pending timers in firing order with their labels', () => {
    const clock = new VirtualClock();
    clock.setTimeout(() => undefined, 30, 'grace web');
    clock.setTimeout(() => undefined, 10);
    expect(clock.pendingTimers).toBe(2);
    expect(clock.pendingTimerList()).toEqual([
      { deadlineAt: 10, deadlineMs: 10 },
      { deadlineAt: 30, deadlineMs: 30, label: 'grace web' },
    ]);
  });

  it('works detached, e.g. as p-timeout customTimers (called with this undefined)', async () => {
    const clock = new VirtualClock();
    const { setTimeout, clearTimeout } = clock;
    const never = new Promise<never>(() => undefined);
    const raced = pTimeout(never, { milliseconds: 30_000, customTimers: { setTimeout, clearTimeout } as never });
    const outcome = raced.then(
      () => 'resolved',
      (e: Error) => `${e.name}@${clock.now()}`,
    );
    await clock.advance(29_999);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(await outcome).toBe('TimeoutError@30000');
  });
});

describe('VirtualClock: next and runAll', () => {
  it('next() jumps to the earliest timer, fires it and reports whether there was one', async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    clock.setTimeout(() => log.push(clock.now()), 500);
    clock.setTimeout(() => log.push(clock.now()), 200);
    expect(await clock.next()).toBe(true);
    expect(clock.now()).toBe(200);
    expect(await clock.next()).toBe(true);
    expect(await clock.next()).toBe(false);
    expect(log).toEqual([200, 500]);
    expect(clock.now()).toBe(500);
  });

  it('runAll() fires everything, including timers armed on the way, and returns the count', async () => {
    const clock = new VirtualClock();
    let left = 3;
    const tick = (): void => {
      if (--left > 0) clock.setTimeout(tick, 1_000);
    };
    clock.setTimeout(tick, 1_000);
    expect(await clock.runAll()).toBe(3);
    expect(clock.now()).toBe(3_000);
  });

  it('runAll() stops endless rescheduling with an error naming the count', async () => {
    const clock = new VirtualClock();
    const poll = (): void => void clock.setTimeout(poll, 100, 'poll');
    clock.setTimeout(poll, 100, 'poll');
    await expect(clock.runAll({ maxTimers: 50 })).rejects.toMatchObject({ code: 'ERR_CLOCK_TIMER_LIMIT' });
    await expect(new VirtualClock().runAll()).resolves.toBe(0);
    const again = new VirtualClock();
    const loop = (): void => void again.setTimeout(loop, 100, 'poll');
    loop();
    await expect(again.runAll({ maxTimers: 3 })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[VirtualClockError: VirtualClock.runAll: fired 3 timers (maxTimers) and 1 are still armed, so something keeps rescheduling itself; now is 300 ms, next due: 400 ms (poll). Use advance(ms) for code that polls, or raise maxTimers if the work is finite]`,
    );
  });
});

describe('VirtualClock: refusals', () => {
  it('refuses to go back in time', async () => {
    const clock = new VirtualClock({ startAt: 1_000 });
    await expect(clock.advanceTo(400)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[VirtualClockError: VirtualClock.advanceTo(400): time cannot go backwards; now is already 1000 ms (600 ms later). Pass a time >= now(), or use advance(ms) for a relative step]`,
    );
    await expect(clock.advance(-1)).rejects.toMatchObject({ name: 'VirtualClockError', code: 'ERR_CLOCK_BACKWARDS' });
    await expect(clock.advance(Number.NaN)).rejects.toMatchObject({ code: 'ERR_CLOCK_INVALID_TIME' });
    await expect(clock.advanceTo(Infinity)).rejects.toMatchObject({ code: 'ERR_CLOCK_INVALID_TIME' });
    expect(clock.now()).toBe(1_000);
    await clock.advanceTo(1_000);
    expect(clock.now()).toBe(1_000);
  });

  it('refuses invalid options', () => {
    expect(() => new VirtualClock({ startAt: Number.NaN })).toThrow(/startAt must be a finite number/);
    expect(() => new VirtualClock({ microtaskTurns: -1 })).toThrow(/microtaskTurns must be an integer >= 0/);
  });

  it('refuses to move time from two places at once', async () => {
    const clock = new VirtualClock();
    const first = clock.advance(10);
    await expect(clock.advance(10)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[VirtualClockError: VirtualClock.advance() was called while advance() is still running; await the first call before moving time again]`,
    );
    await first;
    expect(clock.now()).toBe(10);
  });

  it('keeps firing when a callback throws, and rethrows the first error after moving time', async () => {
    const clock = new VirtualClock();
    let later = false;
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 10);
    clock.setTimeout(() => (later = true), 20);
    await expect(clock.advance(30)).rejects.toThrow('boom');
    expect(later).toBe(true);
    expect(clock.now()).toBe(30);
  });
});

describe('VirtualClock: how microtasks are flushed (pinned)', () => {
  /** A promise chain `depth` awaits deep; `done` flips at its end. */
  const chain = (depth: number): { readonly done: () => boolean } => {
    let finished = false;
    void (async () => {
      for (let i = 0; i < depth; i++) await undefined;
      finished = true;
    })();
    return { done: () => finished };
  };

  it('flush() idles after microtaskTurns turns without clock activity: a chain that deep settles, a deeper silent one does not', async () => {
    const clock = new VirtualClock({ microtaskTurns: 10 });
    const shallow = chain(10);
    const deep = chain(11);
    await clock.flush();
    expect(shallow.done()).toBe(true);
    expect(deep.done()).toBe(false);
    await clock.flush();
    expect(deep.done()).toBe(true);
  });

  it('flush() waits for work that keeps touching the clock, however long (issue 14 item 9)', async () => {
    const clock = new VirtualClock({ microtaskTurns: 10 });
    let steps = 0;
    void (async () => {
      // 5 000 turns in all, but the clock is read every 5 turns: the system is not idle
      for (let i = 0; i < 1000; i++) {
        for (let j = 0; j < 5; j++) await undefined;
        clock.now();
        steps++;
      }
    })();
    await clock.flush();
    expect(steps).toBe(1000);
  });

  it('flushes before the first timer, between timers and after the last one', async () => {
    const clock = new VirtualClock({ microtaskTurns: 20 });
    const seen: string[] = [];
    // armed only after 15 turns: still fires in this advance because the clock flushes first
    void (async () => {
      for (let i = 0; i < 15; i++) await undefined;
      clock.setTimeout(() => seen.push(`late-armed@${clock.now()}`), 5);
    })();
    clock.setTimeout(() => {
      // the chain resumed by this timer clears the other timer due at the same time
      void (async () => {
        for (let i = 0; i < 15; i++) await undefined;
        clock.clearTimeout(tied);
        seen.push('cleared tie');
      })();
    }, 10);
    const tied = clock.setTimeout(() => seen.push('tie fired'), 10);
    await clock.advance(10);
    expect(seen).toEqual(['late-armed@5', 'cleared tie']);
  });

  it('the default of 200 turns settles chains of 199 awaits', async () => {
    const clock = new VirtualClock();
    const c = chain(199);
    await clock.flush();
    expect(c.done()).toBe(true);
  });
});

describe('VirtualClock: whenIdle (the explicit "nothing left in memory" signal)', () => {
  it('runs once the chains in flight are idle, before the next timer fires; what it arms is flushed too', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`timer at ${clock.now()}`), 10);
    void (async () => {
      for (let i = 0; i < 150; i++) await Promise.resolve();
      seen.push('chain done');
    })();
    clock.whenIdle(() => {
      seen.push('idle');
      clock.setTimeout(() => seen.push(`armed when idle, at ${clock.now()}`), 5);
    });
    await clock.flush();
    expect(seen).toEqual(['chain done', 'idle']);
    await clock.advance(10);
    expect(seen).toEqual(['chain done', 'idle', 'armed when idle, at 5', 'timer at 10']);
  });

  it('is not run by microtask turns alone, only by a flush; with microtaskTurns 0 a flush runs it at once', async () => {
    const clock = new VirtualClock();
    let idle = 0;
    clock.whenIdle(() => idle++);
    for (let i = 0; i < 1_000; i++) await Promise.resolve();
    expect(idle).toBe(0);
    await clock.flush();
    await clock.flush();
    expect(idle).toBe(1);
    const eager = new VirtualClock({ microtaskTurns: 0 });
    eager.whenIdle(() => idle++);
    await eager.flush();
    expect(idle).toBe(2);
  });
});

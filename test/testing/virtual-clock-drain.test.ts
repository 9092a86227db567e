import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { lifecycleArbitraries, runScenario } from '../../src/testing/index.js';
import { VirtualClock, type VirtualClockOptions } from '../../src/testing/virtual-clock.js';

/** The injected yield of the tests: Node's check phase runs once the microtask queue is empty. */
const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** The cheaper one: Node runs a tick queued by a microtask once the microtask queue is empty. */
const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

/** A promise chain of `depth` awaits that never touches the clock. */
function chain(depth: number): { done: () => boolean } {
  let finished = false;
  void (async () => {
    for (let i = 0; i < depth; i++) await undefined;
    finished = true;
  })();
  return { done: () => finished };
}

/**
 * Timers armed at once, by chains resumed by timers (after up to 150 silent turns), by a
 * `whenIdle` callback, and a tie cleared by the chain of the timer before it: what ran, in order.
 */
async function trace(options: VirtualClockOptions): Promise<string[]> {
  const clock = new VirtualClock(options);
  const log: string[] = [];
  const later = (depth: number, then: () => void): void =>
    void (async () => {
      for (let i = 0; i < depth; i++) await undefined;
      then();
    })();
  clock.setTimeout(() => {
    log.push(`a@${clock.now()}`);
    later(150, () => clock.setTimeout(() => log.push(`a2@${clock.now()}`), 0));
    later(20, () => clock.clearTimeout(tie));
  }, 10);
  const tie = clock.setTimeout(() => log.push('tie fired'), 10);
  clock.setTimeout(() => log.push(`b@${clock.now()}`), 10);
  later(60, () => clock.whenIdle(() => clock.setTimeout(() => log.push(`idle@${clock.now()}`), 5)));
  clock.whenIdle(() => log.push(`whenIdle@${clock.now()}`));
  await clock.advance(7);
  log.push(`now ${clock.now()}`);
  await clock.runAll();
  log.push(`end ${clock.now()}, ${clock.pendingTimers} pending`);
  return log;
}

describe('VirtualClock: the drain option (an injected yield to the event loop)', () => {
  it('fires the same timers in the same order at the same times as the default when chains stay within microtaskTurns', async () => {
    const expected = await trace({});
    expect(expected).toEqual(['whenIdle@0', 'idle@5', 'now 7', 'a@10', 'b@10', 'a2@10', 'end 10, 0 pending']);
    expect(await trace({ drain })).toEqual(expected);
    expect(await trace({ drain, microtaskTurns: 0 })).toEqual(expected);
    expect(await trace({ drain: tick })).toEqual(expected);
  });

  it('settles a chain far deeper than microtaskTurns in one flush, where the default window does not', async () => {
    const windows = new VirtualClock({ microtaskTurns: 10 });
    const shallow = chain(5_000);
    await windows.flush();
    expect(shallow.done()).toBe(false);
    const drained = new VirtualClock({ microtaskTurns: 10, drain });
    const deep = chain(5_000);
    await drained.flush();
    expect(deep.done()).toBe(true);
    const ticked = new VirtualClock({ microtaskTurns: 10, drain: tick });
    const deeper = chain(5_000);
    await ticked.flush();
    expect(deeper.done()).toBe(true);
  });

  it('yields once per flush, and once more per round of whenIdle callbacks (which may arm timers)', async () => {
    let yields = 0;
    const clock = new VirtualClock({
      drain: () => {
        yields++;
        return drain();
      },
    });
    await clock.flush();
    expect(yields).toBe(1);
    const seen: string[] = [];
    clock.whenIdle(() => {
      seen.push('idle 1');
      clock.whenIdle(() => seen.push('idle 2'));
    });
    await clock.flush();
    expect(seen).toEqual(['idle 1', 'idle 2']);
    expect(yields).toBe(1 + 3);
    clock.setTimeout(() => seen.push(`t@${clock.now()}`), 5);
    await clock.advance(5); // a flush before the timer, one after it
    expect(seen.at(-1)).toBe('t@5');
    expect(yields).toBe(4 + 2);
  });

  it('a throwing whenIdle callback does not stop the others; a throwing timer still rejects its advance', async () => {
    const clock = new VirtualClock({ drain });
    const seen: string[] = [];
    clock.whenIdle(() => {
      throw new Error('idle boom');
    });
    clock.whenIdle(() => seen.push('second idle'));
    await expect(clock.flush()).rejects.toThrow('idle boom');
    expect(seen).toEqual(['second idle']);
    clock.setTimeout(() => {
      throw new Error('timer boom');
    }, 1);
    clock.setTimeout(() => seen.push('other timer'), 2);
    await expect(clock.advance(3)).rejects.toThrow('timer boom');
    expect(seen).toEqual(['second idle', 'other timer']);
    expect(clock.now()).toBe(3);
  });

  it('next() fires one timer per call in order, rejects with a throwing callback after the flush, and stays usable', async () => {
    for (const yielder of [drain, tick]) {
      const clock = new VirtualClock({ drain: yielder });
      const seen: string[] = [];
      clock.setTimeout(() => {
        seen.push(`a@${clock.now()}`);
        void Promise.resolve().then(() => clock.setTimeout(() => seen.push(`a2@${clock.now()}`), 0));
      }, 5);
      clock.setTimeout(() => {
        throw new Error('timer boom');
      }, 7);
      clock.whenIdle(() => seen.push(`idle@${clock.now()}`));
      expect(await clock.next()).toBe(true);
      expect(seen).toEqual(['idle@0', 'a@5']);
      const second = clock.next();
      await expect(clock.next()).rejects.toMatchObject({ code: 'ERR_CLOCK_BUSY' });
      expect(await second).toBe(true);
      expect(seen.at(-1)).toBe('a2@5');
      await expect(clock.next()).rejects.toThrow('timer boom');
      expect(clock.now()).toBe(7);
      expect(await clock.next()).toBe(false);
      clock.setTimeout(() => seen.push(`b@${clock.now()}`), Infinity);
      expect(await clock.next()).toBe(false);
      expect(clock.pendingTimers).toBe(1);
    }
  });

  it('a drain that throws or rejects makes the flush and next() reject, not throw', async () => {
    const throwing = new VirtualClock({
      drain: () => {
        throw new Error('no yield');
      },
    });
    const flushed = throwing.flush();
    await expect(flushed).rejects.toThrow('no yield');
    await expect(throwing.next()).rejects.toThrow('no yield');
    let failing = true;
    const flaky = new VirtualClock({ drain: () => (failing ? Promise.reject(new Error('rejected yield')) : drain()) });
    flaky.setTimeout(() => undefined, 1);
    await expect(flaky.next()).rejects.toThrow('rejected yield');
    await expect(flaky.flush()).rejects.toThrow('rejected yield');
    failing = false;
    expect(await flaky.next()).toBe(true); // the busy flag was released, the timer is still armed
    expect(flaky.now()).toBe(1);
  });

  it('refuses a drain that is not a function', () => {
    expect(() => new VirtualClock({ drain: 'setImmediate' as never })).toThrow(/drain must be a function/);
  });
});

const arbs = lifecycleArbitraries(fc);

describe('runScenario with drain (setImmediate or process.nextTick)', () => {
  test.prop([arbs.scenario], { numRuns: 150 })(
    'gives the same trace as the default (events, steps, runtime timeline, results, statuses, end) on random scenarios with faults',
    async ({ pod, scenario }) => {
      const windows = await runScenario(pod, scenario);
      const drained = await runScenario(pod, scenario, { drain });
      expect(drained).toEqual(windows);
      const ticked = await runScenario(pod, scenario, { drain: tick });
      expect(ticked).toEqual(windows);
    },
  );
});

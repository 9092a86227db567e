// Real time on purpose: this file tests the one adapter of the global timers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { DEADLINE, raceDeadline } from '../../src/container/deadline.js';
import { systemClock } from '../../src/ports/system-clock.js';

const realDelay = (ms: number): Promise<void> => new Promise((resolve) => globalThis.setTimeout(resolve, ms));

describe('systemClock', () => {
  it('reads monotonic milliseconds and fires a timer after its delay', async () => {
    const start = systemClock.now();
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 20));
    expect(systemClock.now() - start).toBeGreaterThanOrEqual(19);
  });

  it('cancels a timer', async () => {
    const fired = vi.fn();
    const handle = systemClock.setTimeout(fired, 5);
    systemClock.clearTimeout(handle);
    systemClock.clearTimeout(undefined);
    await new Promise((resolve) => globalThis.setTimeout(resolve, 30));
    expect(fired).not.toHaveBeenCalled();
  });

  it('does not fire delays beyond the 2^31-1 ms limit early, nor Infinity', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const fired = vi.fn();
      const never = vi.fn();
      systemClock.setTimeout(fired, 30 * 24 * 3600_000); // 30 days
      systemClock.setTimeout(never, Infinity);
      vi.advanceTimersByTime(2 ** 31);
      expect(fired).not.toHaveBeenCalled();
      vi.advanceTimersByTime(30 * 24 * 3600_000 - 2 ** 31 + 10);
      expect(fired).toHaveBeenCalledOnce();
      expect(never).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('fires timers in deadline order, first-in first-out on equal deadlines, several in one Node turn', async () => {
    const fired: string[] = [];
    const done = new Promise<void>((resolve) => systemClock.setTimeout(resolve, 40));
    // c and d: equal delays armed in this order (their deadlines equal, or d's a hair later).
    systemClock.setTimeout(() => fired.push('c@15'), 15);
    systemClock.setTimeout(() => fired.push('a@5'), 5);
    systemClock.setTimeout(() => fired.push('b@10'), 10);
    systemClock.setTimeout(() => fired.push('d@15'), 15);
    await done;
    expect(fired).toEqual(['a@5', 'b@10', 'c@15', 'd@15']);
  });

  it('clearing the earliest timer leaves the later ones on time', async () => {
    const fired = vi.fn();
    const start = systemClock.now();
    const first = systemClock.setTimeout(() => fired('first'), 5);
    const second = new Promise<number>((resolve) =>
      systemClock.setTimeout(() => resolve(systemClock.now() - start), 20),
    );
    systemClock.clearTimeout(first);
    systemClock.clearTimeout(first); // twice: ignored
    systemClock.clearTimeout({ owner: 'someone else' }); // foreign handle: ignored
    const at = await second;
    expect(fired).not.toHaveBeenCalled();
    expect(at).toBeGreaterThanOrEqual(19);
  });

  it('a timer re-armed from its own callback with delay 0 runs on a later Node turn: it cannot starve the event loop', async () => {
    let runs = 0;
    let isStopped = false;
    const again = (): void => {
      runs++;
      if (!isStopped) systemClock.setTimeout(again, 0);
    };
    systemClock.setTimeout(again, 0);
    await realDelay(25); // a Node timer of the test's own still gets its turn
    isStopped = true;
    await realDelay(5);
    expect(runs).toBeGreaterThan(1);
  });

  it('a throwing callback does not stop the others due with it; its error surfaces as an uncaught exception', () => {
    const module = fileURLToPath(new URL('../../src/ports/system-clock.ts', import.meta.url));
    const script = `
      const { systemClock } = await import(${JSON.stringify(module)});
      const order = [];
      process.on('uncaughtException', (error) => { order.push('uncaught:' + error.message); });
      // the three are due at the same instant: time stands still while they are armed (on a
      // loaded machine the third line can otherwise run a millisecond after the first)
      const realNow = performance.now.bind(performance);
      const armedAt = realNow();
      performance.now = () => armedAt;
      systemClock.setTimeout(() => order.push('one'), 5);
      systemClock.setTimeout(() => { order.push('two'); throw new Error('boom'); }, 5);
      systemClock.setTimeout(() => order.push('three'), 5);
      performance.now = realNow;
      setTimeout(() => console.log(JSON.stringify(order)), 50);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim())).toEqual(['one', 'two', 'three', 'uncaught:boom']);
  });

  it('notices fake timers coming and going: a timer armed under real timers after fake ones still fires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let stale: unknown;
    try {
      stale = systemClock.setTimeout(() => undefined, 5); // armed through the fake, never advanced
    } finally {
      vi.useRealTimers();
    }
    const start = systemClock.now();
    const at = await new Promise<number>((resolve) =>
      systemClock.setTimeout(() => resolve(systemClock.now() - start), 15),
    );
    expect(at).toBeGreaterThanOrEqual(14);
    systemClock.clearTimeout(stale);
  });

  it('a timer falling due while its batch runs still runs in that batch (the time is read again before giving up)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const realNow = performance.now;
    let t = 1_000;
    performance.now = () => t;
    try {
      const fired: string[] = [];
      systemClock.setTimeout(() => {
        fired.push('a');
        t = 1_012; // the callback takes 2 ms: b is due when a returns
      }, 10);
      systemClock.setTimeout(() => fired.push('b'), 12);
      systemClock.setTimeout(() => fired.push('c'), 13);
      t = 1_010;
      vi.advanceTimersByTime(10); // one Node timer: a, then b (due by now), not c
      expect(fired).toEqual(['a', 'b']);
      t = 1_013;
      vi.advanceTimersByTime(3);
      expect(fired).toEqual(['a', 'b', 'c']);
    } finally {
      performance.now = realNow;
      vi.useRealTimers();
    }
  });

  it('runs the timer Node fired for (up to 1 ms early), but no other timer of the batch before its deadline', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const fired: string[] = [];
      systemClock.setTimeout(() => fired.push('a'), 10);
      systemClock.setTimeout(() => fired.push('b'), 10.6);
      vi.advanceTimersByTime(10);
      expect(fired).toEqual(['a']);
      vi.advanceTimersByTime(1);
      expect(fired).toEqual(['a', 'b']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('systemClock.whenIdle and the deadline race on real time', () => {
  it("whenIdle runs after this turn's microtasks (an in-memory chain of 100 awaits is done by then)", async () => {
    const seen: string[] = [];
    systemClock.whenIdle?.(() => seen.push('idle'));
    await (async () => {
      for (let i = 0; i < 100; i++) await Promise.resolve();
      seen.push('chain done');
    })();
    expect(seen).toEqual(['chain done']);
    await new Promise<void>((resolve) => globalThis.setImmediate(resolve));
    expect(seen).toEqual(['chain done', 'idle']);
  });

  it('a real timeout still fires: work that never answers gives DEADLINE after the delay', async () => {
    const start = systemClock.now();
    const raced = await raceDeadline(systemClock, new Promise<never>(() => undefined), 40);
    expect(raced).toBe(DEADLINE);
    expect(systemClock.now() - start).toBeGreaterThanOrEqual(39);
  });

  it('work answering on real I/O time within the deadline wins (the p-timeout path), and an in-memory one at once', async () => {
    await expect(
      raceDeadline(
        systemClock,
        realDelay(10).then(() => 'late but in time'),
        2_000,
      ),
    ).resolves.toBe('late but in time');
    const start = systemClock.now();
    const inMemory = (async () => {
      for (let i = 0; i < 100; i++) await Promise.resolve();
      return 'answered';
    })();
    await expect(raceDeadline(systemClock, inMemory, 2_000)).resolves.toBe('answered');
    expect(systemClock.now() - start).toBeLessThan(1_000);
  });
});

/**
 * Black-box contract: systemClock in real time (CHANGELOG "systemClock keeps its timers in one queue"); tens of ms of
 * wall time.
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/index.js';
import { realSleep } from '../support/scripted-adapters.js';

// 3. systemClock (real time) and stopWithEscalation
// =============================================================================================

describe('3a. systemClock in real time (CHANGELOG "systemClock keeps its timers in one queue")', () => {
  it('fires several timers in deadline order whatever the arming order', async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      for (const [label, ms] of [
        ['40', 40],
        ['10', 10],
        ['30', 30],
        ['20', 20],
        ['25a', 25],
        ['25b', 25],
      ] as const) {
        systemClock.setTimeout(() => {
          order.push(label);
          if (order.length === 6) resolve();
        }, ms);
      }
    });
    await done;
    expect(order).toEqual(['10', '20', '25a', '25b', '30', '40']);
  });

  it('clearTimeout: a cleared timer never fires, clearing the earliest keeps the later ones on time, foreign and fired handles are ignored', async () => {
    const fired: string[] = [];
    const t0 = systemClock.now();
    let lateAt = 0;
    const early = systemClock.setTimeout(() => fired.push('early'), 5);
    const cleared = systemClock.setTimeout(() => fired.push('cleared'), 15);
    systemClock.setTimeout(() => {
      fired.push('late');
      lateAt = systemClock.now();
    }, 25);
    systemClock.clearTimeout(early);
    systemClock.clearTimeout(cleared);
    systemClock.clearTimeout(cleared); // twice
    systemClock.clearTimeout(undefined);
    systemClock.clearTimeout({ not: 'a handle' });
    systemClock.clearTimeout(setTimeout(() => undefined, 0)); // a Node handle
    await realSleep(60);
    expect(fired).toEqual(['late']);
    expect(lateAt - t0).toBeGreaterThanOrEqual(24);
    const after = systemClock.setTimeout(() => fired.push('again'), 1);
    await realSleep(20);
    systemClock.clearTimeout(after); // already fired
    expect(fired).toEqual(['late', 'again']);
  });

  it('a timer armed from a callback runs on a later turn, never inside the callback, and not before its own delay minus 1 ms', async () => {
    const log: string[] = [];
    let inCallback = false;
    let armedAt = 0;
    let firedAt = 0;
    await new Promise<void>((resolve) => {
      systemClock.setTimeout(() => {
        inCallback = true;
        log.push('A');
        systemClock.setTimeout(() => log.push(`B:${inCallback ? 'inside' : 'later'}`), 0);
        armedAt = systemClock.now();
        systemClock.setTimeout(() => {
          firedAt = systemClock.now();
          log.push('C');
          resolve();
        }, 15);
        inCallback = false;
      }, 5);
    });
    expect(log).toEqual(['A', 'B:later', 'C']);
    expect(firedAt - armedAt).toBeGreaterThanOrEqual(14);
  });

  it('never fires a timer before its delay minus 1 ms, including timers due together in one batch', async () => {
    const lateness: number[] = [];
    const delays = [1, 2, 3, 5, 8, 10, 10, 10, 11, 12, 15, 15.5, 16, 20, 21, 25, 30, 30, 31, 40];
    await Promise.all(
      delays.map(
        (d) =>
          new Promise<void>((resolve) => {
            const armed = systemClock.now();
            systemClock.setTimeout(() => {
              lateness.push(systemClock.now() - (armed + d));
              resolve();
            }, d);
          }),
      ),
    );
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(-1);
  });

  it('a delay of Infinity never fires; negative and NaN delays count as 0', async () => {
    const fired: string[] = [];
    systemClock.setTimeout(() => fired.push('inf'), Infinity);
    systemClock.setTimeout(() => fired.push('neg'), -50);
    systemClock.setTimeout(() => fired.push('nan'), NaN);
    await realSleep(30);
    expect(fired.sort()).toEqual(['nan', 'neg']);
  });
});

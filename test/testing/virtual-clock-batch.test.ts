import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** What ran, in order: timer callbacks (`t…`) and the promise chains they resumed (`chain …`). */
async function trace(batchSimultaneousTimers: boolean): Promise<string[]> {
  const clock = new VirtualClock({ batchSimultaneousTimers });
  const log: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    clock.setTimeout(() => {
      log.push(`t${name}@${clock.now()}`);
      void Promise.resolve().then(() => log.push(`chain ${name}`));
    }, 1_000);
  }
  clock.setTimeout(() => log.push(`td@${clock.now()}`), 2_000);
  await clock.advance(5_000);
  return log;
}

describe('VirtualClock: batchSimultaneousTimers', () => {
  it('default: promise chains settle after each timer, also between timers due at the same instant', async () => {
    expect(await trace(false)).toEqual(['ta@1000', 'chain a', 'tb@1000', 'chain b', 'tc@1000', 'chain c', 'td@2000']);
  });

  it('batch: the timers due at one instant fire back to back (FIFO), then their chains settle before the next instant', async () => {
    expect(await trace(true)).toEqual(['ta@1000', 'tb@1000', 'tc@1000', 'chain a', 'chain b', 'chain c', 'td@2000']);
  });

  it('batch: a timer cleared by an earlier callback of the batch does not fire', async () => {
    const clock = new VirtualClock({ batchSimultaneousTimers: true });
    const fired: string[] = [];
    let second: unknown;
    clock.setTimeout(() => {
      fired.push('first');
      clock.clearTimeout(second);
    }, 10);
    second = clock.setTimeout(() => fired.push('second'), 10);
    await clock.advance(10);
    expect(fired).toEqual(['first']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('batch: a zero-delay timer armed during the batch is not part of it: it fires after the chains settled', async () => {
    const clock = new VirtualClock({ batchSimultaneousTimers: true });
    const log: string[] = [];
    clock.setTimeout(() => {
      log.push('a');
      void Promise.resolve().then(() => log.push('chain a'));
      clock.setTimeout(() => log.push('late'), 0);
    }, 10);
    clock.setTimeout(() => log.push('b'), 10);
    await clock.next();
    expect(log).toEqual(['a', 'b', 'chain a']);
    await clock.next();
    expect(log).toEqual(['a', 'b', 'chain a', 'late']);
  });

  it('batch: more than a slice (1024) of simultaneous timers all fire in FIFO order, each slice settles its chains, then the zero-delay timers armed meanwhile', async () => {
    const clock = new VirtualClock({ batchSimultaneousTimers: true });
    const fired: number[] = [];
    const chains: number[] = [];
    const late: number[] = [];
    const count = 2_500;
    for (let i = 0; i < count; i++) {
      clock.setTimeout(() => {
        fired.push(i);
        void Promise.resolve().then(() => {
          chains.push(i);
          clock.setTimeout(() => late.push(i), 0); // armed during the batch: not part of it
        });
      }, 1_000);
    }
    clock.setTimeout(() => fired.push(-1), 2_000);
    await clock.advance(1_000);
    const inOrder = Array.from({ length: count }, (_, i) => i);
    expect(fired).toEqual(inOrder);
    expect(chains).toEqual(inOrder);
    expect(late).toEqual(inOrder);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1_000);
    expect(fired.at(-1)).toBe(-1);
  });
});

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type TimerEntry, TimerQueue } from '../../src/ports/timer-queue.js';

const OWNER = {};
const entry = (deadlineAt: number, seq: number): TimerEntry => ({
  deadlineAt,
  seq,
  callback: () => undefined,
  label: undefined,
  owner: OWNER,
  state: 'pending',
});

describe('TimerQueue', () => {
  // Enough entries that clearing most of them compacts the heap (more than 1,024 cleared).
  test.prop(
    [fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { minLength: 2_100, maxLength: 3_000 })],
    {
      numRuns: 20,
    },
  )('pops the live entries in (deadline, arming order) after clears that compact the heap', (specs) => {
    const queue = new TimerQueue();
    const entries = specs.map(([deadlineAt], seq) => entry(deadlineAt, seq));
    for (const e of entries) queue.push(e);
    const live = entries.filter((e, i) => {
      if (specs[i]![1]) return true;
      expect(queue.clear(e)).toBe(true);
      return false;
    });
    // Clear some more live ones after the first compaction ran, then pop everything.
    const kept = live.filter((e, i) => i % 3 !== 0 || !queue.clear(e));
    expect(queue.size).toBe(kept.length);
    const popped: TimerEntry[] = [];
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e);
    const expected = [...kept].sort((a, b) => a.deadlineAt - b.deadlineAt || a.seq - b.seq);
    expect(popped.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    expect(popped.every((e) => e.state === 'fired')).toBe(true);
  });

  test('clear releases the callback of the entry it leaves in the heap; the others still fire in order', () => {
    const queue = new TimerQueue();
    const fired: number[] = [];
    const entries = [0, 1, 2].map((seq) => ({ ...entry(10, seq), callback: () => void fired.push(seq) }));
    for (const e of entries) queue.push(e);
    const cleared = entries[1]!;
    const original = cleared.callback;
    expect(queue.clear(cleared)).toBe(true);
    expect(cleared.callback).not.toBe(original); // what the closure held can be collected
    expect(queue.clear(cleared)).toBe(false);
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) e.callback();
    expect(fired).toEqual([0, 2]);
  });
});

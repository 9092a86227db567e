/**
 * The back-off model the pod-worker benchmark checks its run against (test/bench/pod-worker.ts),
 * pinned by hand: a container that exits the instant it starts restarts at 0, 10, 30, 70, 150,
 * 310 s, then every 300 s (spec pod §4.2); the worker syncs at each exit and every 60 s while the
 * container waits (spec pod §4.3, `backoffAligned`), each such sync emitting `BackOff` (§4.5).
 */
import { describe, expect, it } from 'vitest';
import { crashLoopBackOffEvents, crashLoopRestarts } from './bench/pod-worker.js';

describe('pod-worker benchmark model (spec pod §4.2, §4.3, §4.5)', () => {
  it('restarts in 1 h: 0, 10, 30, 70, 150, 310 s, then every 300 s up to 3310 s', () => {
    expect(crashLoopRestarts(3_600_000)).toBe(16);
    expect(crashLoopRestarts(120_000)).toBe(4);
  });

  it('BackOff events in 1 h: 1 + 1 + 1 + 2 + 3 for the waits of 10–160 s, 5 for each 300 s wait', () => {
    // waits of 10, 20, 40 s: one sync each; 80 s: 2; 160 s: 3; ten full 300 s waits: 50; the wait
    // begun at 3310 s is seen at 3310, 3370, 3430, 3490, 3550 s: 5
    expect(crashLoopBackOffEvents(3_600_000)).toBe(63);
    expect(crashLoopBackOffEvents(120_000)).toBe(4);
  });
});

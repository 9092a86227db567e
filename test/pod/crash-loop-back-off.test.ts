import { describe, expect, it } from 'vitest';
import { goDurationString } from '../../src/api/go-format.js';
import {
  backOffEventMessage,
  CrashLoopBackOff,
  crashLoopBackOffMessage,
  resolveCrashLoopBackOff,
} from '../../src/pod/crash-loop-back-off.js';

/** Waits after crash n, driving the back-off as doBackOff does (spec pod §4.2), crashing at once after each start. */
function waits(config = resolveCrashLoopBackOff(), crashes = 9): number[] {
  const b = new CrashLoopBackOff(config);
  const out: number[] = [0]; // first crash: no entry, immediate restart
  let now = 0;
  b.next('k', now, now); // second start calls Next
  for (let n = 2; n <= crashes; n++) {
    const finishedAt = now;
    let wait = 0;
    while (b.isInBackOffSince('k', finishedAt, now + wait)) wait += 1000;
    out.push(wait);
    now += wait;
    b.next('k', finishedAt, now);
  }
  return out;
}

describe('CrashLoopBackOff (spec pod §4)', () => {
  it('1.35 defaults: 10 s initial, 300 s cap, 600 s reset (spec pod §4.1)', () => {
    expect(resolveCrashLoopBackOff()).toEqual({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });
  });

  it('ReduceDefaultCrashLoopBackOffDecay with KubeletCrashLoopBackOffMax on gives 1 s / 300 s, as the code (spec pod §4.1, §8.3)', () => {
    expect(resolveCrashLoopBackOff({ reducedDecay: true })).toMatchObject({ initialMs: 1000, maxMs: 300_000 });
    expect(resolveCrashLoopBackOff({ reducedDecay: true, maxSeconds: 60 })).toMatchObject({
      initialMs: 1000,
      maxMs: 60_000,
    });
  });

  it('a max below the initial lowers the initial: maxSeconds 2 → every delay 2 s (spec pod §4.1)', () => {
    expect(resolveCrashLoopBackOff({ maxSeconds: 2 })).toMatchObject({ initialMs: 2000, maxMs: 2000 });
  });

  it('waits 0, 10, 20, 40, 80, 160, 300, 300 s after crashes 1..8 (spec pod §4.2)', () => {
    expect(waits(resolveCrashLoopBackOff(), 8)).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('IsInBackOffSince measures from finishedAt; at exactly finishedAt + backoff it is over', () => {
    const b = new CrashLoopBackOff();
    b.next('k', 0, 0);
    expect(b.isInBackOffSince('k', 5_000, 14_999)).toBe(true);
    expect(b.isInBackOffSince('k', 5_000, 15_000)).toBe(false);
    expect(b.isInBackOffSince('other', 5_000, 5_000)).toBe(false);
  });

  it('resets when finishedAt − lastUpdate > 600 s, strictly (spec pod §4.2)', () => {
    const b = new CrashLoopBackOff();
    b.next('k', 0, 0);
    b.next('k', 0, 1000); // 20 s, lastUpdate 1 s
    expect(b.backOffMs('k')).toBe(20_000);
    expect(b.isInBackOffSince('k', 601_000, 601_000)).toBe(true); // exactly 600 s: no reset
    expect(b.isInBackOffSince('k', 601_001, 601_001)).toBe(false); // expired
    b.next('k', 601_001, 601_001);
    expect(b.backOffMs('k')).toBe(10_000);
  });

  it("drops an entry not updated for more than 600 s, as the kubelet's housekeeping GC does (spec pod §4.2)", () => {
    const b = new CrashLoopBackOff();
    for (const at of [0, 10_000, 30_000, 70_000, 150_000, 310_000, 630_000]) b.next('k', at, at);
    expect(b.backOffMs('k')).toBe(300_000); // lastUpdate 630 s
    // The container ran 400 s and exited at 1,030 s: the exit alone does not reset (400 s ≤ 600 s)
    // and the back-off runs to 1,330 s ...
    expect(b.isInBackOffSince('k', 1_030_000, 1_200_000)).toBe(true);
    expect(b.isInBackOffSince('k', 1_030_000, 1_230_000)).toBe(true); // now − lastUpdate = 600 s: kept
    // ... but GC drops the entry once now − lastUpdate > 600 s: the next sync restarts, from 10 s.
    expect(b.isInBackOffSince('k', 1_030_000, 1_230_001)).toBe(false);
    expect(b.backOffMs('k')).toBe(0);
    b.next('k', 1_030_000, 1_230_001);
    expect(b.backOffMs('k')).toBe(10_000);
  });

  it('renders the Waiting message and the BackOff event text (spec pod §4.4, §4.5)', () => {
    const pod = { name: 'web', namespace: 'default', uid: 'u1' };
    expect(crashLoopBackOffMessage(300_000, 'alpine', pod)).toBe(
      'back-off 5m0s restarting failed container=alpine pod=web_default(u1)',
    );
    expect(backOffEventMessage('app', pod)).toBe('Back-off restarting failed container app in pod web_default(u1)');
  });

  it('Go Duration.String(): 10s, 1m20s, 2m40s, 5m0s, 1h0m0s, 1.5s, 500ms, 0s', () => {
    expect([10_000, 80_000, 160_000, 300_000, 3_600_000, 1_500, 500, 0].map(goDurationString)).toEqual([
      '10s',
      '1m20s',
      '2m40s',
      '5m0s',
      '1h0m0s',
      '1.5s',
      '500ms',
      '0s',
    ]);
  });
});

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { probeVerdictsArbitrary } from '../../src/testing/probe-arbitraries.js';
import { flapEvery, scriptedProbeAttempt } from '../../src/testing/probe-scripts.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { harness } from './harness.js';

const tcp = { tcpSocket: { port: 8080 } };

/** The kubelet's counting (spec pod §6.1 steps 11–13) over verdicts: the published value after each. */
function model(verdicts: readonly boolean[], successThreshold: number, failureThreshold: number) {
  let last: boolean | undefined;
  let run = 0;
  const published: Array<boolean | undefined> = [];
  for (const v of verdicts) {
    if (v === last) run++;
    else {
      last = v;
      run = 1;
    }
    published.push(run >= (v ? successThreshold : failureThreshold) ? v : undefined);
  }
  return published;
}

describe('threshold properties (spec pod §6.1 steps 11–13)', () => {
  test.prop([probeVerdictsArbitrary(fc), fc.integer({ min: 1, max: 6 })])(
    'liveness kills exactly when failureThreshold consecutive failures occur, then holds',
    async (verdicts, failureThreshold) => {
      const h = harness(
        { name: 'app', livenessProbe: { ...tcp, periodSeconds: 1, failureThreshold } },
        (_t, at) => verdicts[at / 1000] ?? true,
        { startAtCreation: true },
      );
      await h.clock.advance((verdicts.length + 2) * 1000);
      h.probes.stop();
      const killAt = model(verdicts, 1, failureThreshold).indexOf(false);
      if (killAt < 0) {
        expect(h.kills).toEqual([]);
      } else {
        expect(h.kills.map((k) => k.at / 1000)).toEqual([killAt]);
        expect(Math.max(...h.times('liveness'))).toBe(killAt); // on hold after the kill
      }
      const probed = verdicts.slice(0, killAt < 0 ? verdicts.length : killAt + 1);
      expect(h.events).toHaveLength(probed.filter((v) => !v).length); // Unhealthy on every failure (§6.3)
      expect(h.clock.pendingTimers).toBe(0);
    },
  );

  test.prop([probeVerdictsArbitrary(fc), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })])(
    'ready turns true only after successThreshold successes and false only after failureThreshold failures',
    async (verdicts, successThreshold, failureThreshold) => {
      const h = harness(
        { name: 'app', readinessProbe: { ...tcp, periodSeconds: 1, successThreshold, failureThreshold } },
        (_t, at) => verdicts[at / 1000] ?? verdicts[verdicts.length - 1] ?? true,
        { startAtCreation: true },
      );
      await h.clock.advance((verdicts.length - 1) * 1000);
      h.probes.stop();
      let ready = false;
      const expected: Array<[number, boolean]> = [];
      model(verdicts, successThreshold, failureThreshold).forEach((published, i) => {
        if (published !== undefined && published !== ready) {
          ready = published;
          expected.push([i, ready]);
        }
      });
      // the first status (started, not ready) comes at creation
      const seen = h.statuses.slice(1).map((s): [number, boolean] => [s.at / 1000, s.ready]);
      expect(seen).toEqual(expected);
      expect(h.attempts).toHaveLength(verdicts.length);
    },
  );

  test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 })])(
    'flapping every k periods kills iff k ≥ failureThreshold, at the threshold-th failure',
    async (k, failureThreshold, periodSeconds) => {
      const clock = new VirtualClock();
      const attempt = scriptedProbeAttempt(clock, { liveness: flapEvery(k, periodSeconds) });
      const h = harness({ name: 'app', livenessProbe: { ...tcp, periodSeconds, failureThreshold } }, () => true, {
        startAtCreation: true,
        clock,
        extra: { attempt },
      });
      await clock.advance(4 * k * periodSeconds * 1000);
      h.probes.stop();
      const kills = h.kills.map((kill) => kill.at / 1000 / periodSeconds);
      expect(kills).toEqual(k >= failureThreshold ? [k + failureThreshold - 1] : []);
    },
  );
});

describe('status generation (spec pod §5.3)', () => {
  it('a restart triggers exactly one immediate readiness probe', async () => {
    const h = harness({ name: 'app', readinessProbe: { ...tcp, periodSeconds: 10 } }, () => false, {
      startAtCreation: true,
    });
    await h.clock.advance(3000);
    h.probes.containerExited();
    h.start('c2');
    await h.clock.advance(0);
    expect(h.times('readiness')).toEqual([0, 3]);
  });
});

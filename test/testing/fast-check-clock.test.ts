import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { LifecycleStep } from '../../src/container/results.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { sleepOn } from '../../src/ports/clock.js';
import {
  checkTraceInvariants,
  FakeHttpClient,
  FakeRuntime,
  scheduledClock,
  VirtualClock,
} from '../../src/testing/index.js';

const pod = {
  metadata: { name: 'shop', namespace: 'default', uid: 'u-1' },
  spec: {
    terminationGracePeriodSeconds: 5,
    containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/bin/drain'] } } } }],
  },
};

describe('scheduledClock', () => {
  test.prop([fc.scheduler()])(
    'timers fire only when the scheduler picks them, in deadline order, time moving forward',
    async (s) => {
      const virtual = new VirtualClock();
      const clock = scheduledClock(s, virtual);
      const log: string[] = [];
      void sleepOn(clock, 300).then(() => log.push(`300@${clock.now()}`));
      void sleepOn(clock, 100).then(() => log.push(`100@${clock.now()}`));
      void s.schedule(Promise.resolve('task')).then(() => log.push(`task@${clock.now()}`));
      expect(virtual.pendingTimers).toBe(2);
      await s.waitIdle();
      expect(log.filter((l) => !l.startsWith('task'))).toEqual(['100@100', '300@300']);
      expect(log).toHaveLength(3); // the task ran somewhere in between, at whatever time had come
      expect(virtual.pendingTimers).toBe(0);
    },
  );

  it('explores both sides of the race between a preStop answer and the grace running out', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const clock = scheduledClock(s, new VirtualClock());
        const drain = s.scheduleFunction(async () => ({ exitCode: 0 }));
        const runtime = new FakeRuntime({ clock }).onExec(['/bin/drain'], () => drain());
        const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
        const events: KubeEvent[] = [];
        const steps: LifecycleStep[] = [];
        manager.on('event', (e) => events.push(e)).on('step', (st) => steps.push(st));

        await s.waitFor(manager.startContainer(pod, 'web'));
        const result = await s.waitFor(manager.stopContainer(pod, 'web'));
        outcomes.add(result.preStop.outcome);
        expect(result.outcome).toBe('stopped');
        expect(result.stopTimeoutSeconds).toBe(result.preStop.outcome === 'succeeded' ? 5 : 2);
        expect(checkTraceInvariants({ events, steps, runtime: runtime.timeline })).toEqual([]);
      }),
      { numRuns: 60 },
    );
    expect([...outcomes].sort()).toEqual(['succeeded', 'timedOut']);
  });

  it('an error thrown by a timer callback rejects the wait', async () => {
    const s = fc.sample(fc.scheduler(), { numRuns: 1, seed: 1 })[0]!;
    const clock = scheduledClock(s, new VirtualClock());
    clock.setTimeout(() => {
      throw new Error('callback failed');
    }, 10);
    await expect(s.waitIdle()).rejects.toThrow('callback failed');
  });
});

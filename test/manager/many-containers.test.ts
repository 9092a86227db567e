/**
 * Issue 14 item 9: virtual time advances only when the system is idle, however many steps the
 * work between two timers takes. A pod of many containers started one after another (spec pod
 * §3: SyncPod starts them in order) must not see a spurious runtime request timeout.
 */
import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { podHarness, podOf } from './pod-harness.js';

function containers(n: number): Container[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `c${i}`,
    image: 'busybox',
    lifecycle: { postStart: { exec: { command: ['warm'] } }, preStop: { exec: { command: ['drain'] } } },
  }));
}

describe('many containers on the VirtualClock (issue 14 item 9)', () => {
  it('startPod of 150 containers: every one Running, no "did not start within 120s"', async () => {
    const { clock, manager, events } = podHarness();
    const pod = podOf(containers(150));
    const started = manager.startPod(pod);
    await clock.advance(130_000); // past the 120 s runtime request timeout
    const status = await started;
    expect(events.filter((e) => e.type === 'Warning').map((e) => e.message)).toEqual([]);
    expect(status.phase).toBe('Running');
    expect(manager.podStatus(pod).containerStatuses.filter((c) => c.state.running !== undefined)).toHaveLength(150);
    expect(clock.now()).toBe(130_000);
    const deleting = manager.deletePod(pod);
    await clock.advance(1000);
    expect((await deleting).containers.every((c) => c.outcome === 'stopped')).toBe(true);
  });

  it('120 sequential startContainer calls in one flush: none reports a start timeout', async () => {
    const { clock, manager, events } = podHarness();
    const pod = podOf(containers(120));
    const all = (async () => {
      for (const c of pod.spec?.containers ?? []) await manager.startContainer(pod, c.name);
    })();
    await clock.advance(130_000);
    await all;
    expect(events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect(events.filter((e) => e.reason === 'Started')).toHaveLength(120);
  });

  it('a runtime that arms no timer: 120 sequential starts past the 120 s request timeout all succeed', async () => {
    const clock = new VirtualClock();
    let next = 0;
    const runtime: Runtime = {
      startContainer: async () => ({ id: `id-${next++}` }),
      exec: async () => ({ exitCode: 0 }),
      stopContainer: async () => {},
    };
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
    const warnings: string[] = [];
    manager.on('event', (e) => {
      if (e.type === 'Warning') warnings.push(e.message);
    });
    const pod = podOf(containers(120));
    const results: string[] = [];
    const all = (async () => {
      for (const c of pod.spec?.containers ?? []) results.push((await manager.startContainer(pod, c.name)).outcome);
    })();
    await clock.advance(130_000);
    await all;
    expect(warnings).toEqual([]);
    expect(results.filter((r) => r !== 'running')).toEqual([]);
    expect(results).toHaveLength(120);
  });
});

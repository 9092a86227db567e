/**
 * The pod sandbox through the manager (DESIGN §10 Runtime port optional members, issue 14 item 6):
 * `runPodSandbox` before any container, its IP as `status.podIP`/`podIPs` and the default host of
 * httpGet hooks, `stopPodSandbox` after the last container stopped.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { podOf } from './pod-harness.js';

/** FakeRuntime with a sandbox whose IP is 10.1.2.3. */
class SandboxRuntime extends FakeRuntime {
  readonly sandboxCalls: string[] = [];
  async runPodSandbox(pod: Pod): Promise<PodSandbox> {
    this.sandboxCalls.push(`run ${pod.metadata?.name}`);
    return { id: 'sb-1', podIP: '10.1.2.3' };
  }
  async stopPodSandbox(id: string): Promise<void> {
    this.sandboxCalls.push(`stop ${id}`);
  }
}

describe('pod sandbox (DESIGN §10)', () => {
  it('the sandbox IP is status.podIP/podIPs and the default host of a httpGet postStart', async () => {
    const clock = new VirtualClock();
    const runtime = new SandboxRuntime({ clock });
    const httpClient = new FakeHttpClient({ clock }).route('10.1.2.3:8080', { status: 200 });
    const manager = new LifecycleManager({ runtime, httpClient, clock });
    const pod = podOf([
      { name: 'app', image: 'nginx', lifecycle: { postStart: { httpGet: { path: '/warm', port: 8080 } } } },
    ]);
    const status = await manager.startPod(pod);
    expect(status.phase).toBe('Running');
    expect(status.podIP).toBe('10.1.2.3');
    expect(status.podIPs).toEqual([{ ip: '10.1.2.3' }]);
    expect(httpClient.requests.map((r) => r.request.url)).toEqual(['http://10.1.2.3:8080/warm']);
    expect(runtime.sandboxCalls).toEqual(['run web']);
    const deleting = manager.deletePod(pod);
    await clock.advance(1000);
    await deleting;
    await clock.flush();
    expect(runtime.sandboxCalls).toEqual(['run web', 'stop sb-1']);
  });

  it('a sandbox that fails is retried: FailedCreatePodSandBox, no container started meanwhile (spec pod §4.1)', async () => {
    const clock = new VirtualClock();
    let attempts = 0;
    class Flaky extends FakeRuntime {
      async runPodSandbox(): Promise<PodSandbox> {
        attempts++;
        if (attempts === 1) throw new Error('network plugin not ready');
        return { id: 'sb-2' };
      }
    }
    const runtime = new Flaky({ clock });
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
    const events: string[] = [];
    manager.on('event', (e) => events.push(`${e.reason}: ${e.message}`));
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    const started = manager.startPod(pod);
    await clock.advance(9_000);
    expect(runtime.timeline.filter((e) => e.kind === 'start')).toHaveLength(0);
    expect(events[0]).toBe('FailedCreatePodSandBox: Failed to create pod sandbox: network plugin not ready');
    await clock.advance(2_000);
    expect((await started).phase).toBe('Running');
    expect(manager.podStatus(pod).podIP).toBeUndefined();
  });
});

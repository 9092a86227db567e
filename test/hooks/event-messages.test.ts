// Event texts follow the configured kubeletVersion (issue 18; spec pod §4.6, k/k#134043): the 1.35
// kubelet records `Container created` / `Container started` (kuberuntime_container.go
// startContainer), earlier kubelets `Created container: <name>` / `Started container <name>`.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { EventMessages, isKubeletAtLeast, type KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
};

async function startedMessage(kubeletVersion?: string): Promise<string | undefined> {
  const clock = new VirtualClock();
  const manager = new LifecycleManager({
    runtime: new FakeRuntime({ clock }),
    httpClient: new FakeHttpClient({ clock }),
    clock,
    ...(kubeletVersion === undefined ? {} : { kubeletVersion }),
  });
  const events: KubeEvent[] = [];
  manager.on('event', (e) => events.push(e));
  await manager.startContainer(pod, 'web');
  return events.find((e) => e.reason === 'Started')?.message;
}

describe('event texts per kubeletVersion (spec pod §4.6, k/k#134043)', () => {
  it('1.35 (the default) says Container started, naming the container by the fieldPath only', async () => {
    expect(await startedMessage()).toBe('Container started');
    expect(await startedMessage('1.35')).toBe('Container started');
    expect(await startedMessage('1.36')).toBe('Container started');
    expect(await startedMessage('2.0')).toBe('Container started');
  });

  it('kubelets before 1.35 say Started container <name>', async () => {
    expect(await startedMessage('1.34')).toBe('Started container web');
    expect(await startedMessage('1.9')).toBe('Started container web');
  });

  it('Created follows the same switch', () => {
    expect(EventMessages.created('web')).toBe('Container created');
    expect(EventMessages.created('web', '1.35')).toBe('Container created');
    expect(EventMessages.created('web', '1.34')).toBe('Created container: web');
  });

  it('compares versions numerically, not as text', () => {
    expect(isKubeletAtLeast('1.100', 1, 35)).toBe(true);
    expect(isKubeletAtLeast('1.4', 1, 35)).toBe(false);
    expect(isKubeletAtLeast('0.99', 1, 35)).toBe(false);
  });

  it('the texts that did not change in 1.35 are the same for every version', () => {
    expect(EventMessages.stopping('web')).toBe('Stopping container web');
    expect(EventMessages.failedPostStartHook).toBe('PostStartHook failed');
    expect(EventMessages.failedPreStopHook).toBe('PreStopHook failed');
  });
});

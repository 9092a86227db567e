import type { Container, Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { LifecycleManagerOptions } from '../../src/manager/options.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** A manager on a VirtualClock with FakeRuntime and FakeHttpClient, recording events and statuses. */
export function podHarness(options: Partial<LifecycleManagerOptions> = {}) {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const httpClient = new FakeHttpClient({ clock });
  const manager = new LifecycleManager({ runtime, httpClient, clock, ...options });
  const events: KubeEvent[] = [];
  const statuses: Array<{ pod: Pod; phase: string; at: number }> = [];
  manager.on('event', (e) => events.push(e));
  manager.on('podStatus', (pod, s) => statuses.push({ pod, phase: s.phase, at: clock.now() }));
  return { clock, runtime, httpClient, manager, events, statuses };
}

/** A pod named `name` with these containers (TGPS 30 unless given). */
export function podOf(
  containers: Container[],
  extra: {
    restartPolicy?: string;
    initContainers?: Container[];
    name?: string;
    terminationGracePeriodSeconds?: number;
  } = {},
): Pod {
  const name = extra.name ?? 'web';
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      containers,
      ...(extra.initContainers ? { initContainers: extra.initContainers } : {}),
      ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}),
      terminationGracePeriodSeconds: extra.terminationGracePeriodSeconds ?? 30,
    },
  };
}

/** Each time `container` becomes Running (postStart done), it exits with `exitCode` `afterMs` later. */
export function exitsAfter(
  h: { runtime: FakeRuntime; manager: LifecycleManager },
  container: string,
  afterMs: number,
  exitCode: number | ((attempt: number) => number) = 0,
): void {
  let attempt = 0;
  h.manager.on('step', (step) => {
    if (step.kind !== 'running' || step.container !== container) return;
    const code = typeof exitCode === 'function' ? exitCode(attempt) : exitCode;
    attempt++;
    h.runtime.crash(container, { exitCode: code, afterMs });
  });
}

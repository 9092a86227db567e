/**
 * `startContainer`'s optional `onEvent` sink (StartContainerOptions): what a runtime reports while
 * it starts a container — the kubelet's image events, spec pod §4.6 — becomes a container event
 * of the manager, stamped on the injected clock, with the container's fieldPath; malformed
 * reports are dropped, never thrown.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { sleepOn } from '../../src/ports/clock.js';
import type { RuntimeEvent, StartContainerOptions } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

describe('runtime events through startContainer options.onEvent (spec pod §4.6)', () => {
  it('Pulling/Pulled become container events before Started; malformed ones are dropped', async () => {
    const clock = new VirtualClock();
    const fake = new FakeRuntime({ clock });
    const reported: RuntimeEvent[] = [
      { type: 'Normal', reason: 'Pulling', message: 'Pulling image "nginx"' },
      { type: 'Bogus', reason: 'X', message: 'dropped' } as unknown as RuntimeEvent,
      { type: 'Normal', reason: '', message: 'dropped' },
      { type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "nginx" ${'x'.repeat(2000)}` },
    ];
    const startContainer = fake.startContainer.bind(fake);
    fake.startContainer = async (pod, container, options: StartContainerOptions) => {
      await sleepOn(clock, 1_500);
      for (const e of reported) options.onEvent?.(e);
      return startContainer(pod, container, options);
    };
    const manager = new LifecycleManager({ runtime: fake, httpClient: new FakeHttpClient({ clock }), clock });
    const events: Array<{ reason: string; message: string; fieldPath?: string; timestamp: number }> = [];
    manager.on('event', (e) =>
      events.push({
        reason: e.reason,
        message: e.message,
        timestamp: e.timestamp,
        ...(e.object.fieldPath === undefined ? {} : { fieldPath: e.object.fieldPath }),
      }),
    );
    const pod = {
      metadata: { name: 'p', namespace: 'default', uid: 'u' },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    };
    const started = manager.startContainer(pod, 'web');
    await clock.runAll();
    expect((await started).outcome).toBe('running');
    expect(events.map((e) => e.reason)).toEqual(['Pulling', 'Pulled', 'Started']);
    expect(events[0]).toEqual({
      reason: 'Pulling',
      message: 'Pulling image "nginx"',
      fieldPath: 'spec.containers{web}',
      timestamp: 1_500,
    });
    expect(events[1]?.message.length).toBe(1024); // capped like an API event note
  });
});

describe('a delete while the runtime is still creating the container (pulling its image)', () => {
  it('cancels the pending startContainer call, as the kubelet cancels the sync in flight; the delete does not wait for it', async () => {
    const clock = new VirtualClock();
    const fake = new FakeRuntime({ clock });
    let aborted: unknown;
    fake.startContainer = (_pod, _container, options: StartContainerOptions) =>
      new Promise((_resolve, reject) => {
        // A pull that never finishes by itself: only the abort ends it.
        options.signal.addEventListener('abort', () => {
          aborted = options.signal.reason;
          reject(options.signal.reason);
        });
      });
    const manager = new LifecycleManager({ runtime: fake, httpClient: new FakeHttpClient({ clock }), clock });
    const pod = {
      metadata: { name: 'p', namespace: 'default', uid: 'u2' },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    };
    const started = manager.startContainer(pod, 'web');
    await clock.advance(5_000);
    const deleting = manager.deletePod(pod, { gracePeriodSeconds: 30 });
    await clock.advance(0);
    expect(aborted).toBeInstanceOf(Error);
    expect((await started).outcome).toBe('startFailed');
    const result = await deleting;
    expect(result.containers[0]?.outcome).toBe('notRunning');
    expect(clock.now()).toBe(5_000);
  });
});

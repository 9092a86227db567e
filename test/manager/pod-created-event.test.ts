/**
 * The worker's `Created` event (spec pod §4.6): Normal `Created` then `Started` for every
 * container instance the pod worker creates, text per `kubeletVersion`.
 */
import { describe, expect, it } from 'vitest';
import { exitsAfter, podHarness, podOf } from './pod-harness.js';

const rows = (
  events: ReadonlyArray<{ timestamp: number; reason: string; message: string; object: { name: string } }>,
) =>
  events
    .filter((e) => e.reason === 'Created' || e.reason === 'Started')
    .map((e) => `${e.timestamp} ${e.object.name} ${e.reason}: ${e.message}`);

describe('Created event of the pod worker (spec pod §4.6)', () => {
  it('1.35: Created then Started for each instance, in start order, restarts included', async () => {
    const h = podHarness();
    exitsAfter(h, 'app', 5000, 1);
    await h.manager.startPod(
      podOf([
        { name: 'side-a', image: 'a' },
        { name: 'app', image: 'b' },
      ]),
    );
    await h.clock.advance(5000);
    expect(rows(h.events)).toEqual([
      '0 side-a Created: Container created',
      '0 side-a Started: Container started',
      '0 app Created: Container created',
      '0 app Started: Container started',
      // app exits 1 at 5 s; the first crash restarts at once (spec pod §4.2)
      '5000 app Created: Container created',
      '5000 app Started: Container started',
    ]);
    const created = h.events.find((e) => e.reason === 'Created');
    expect(created).toMatchObject({
      type: 'Normal',
      object: { kind: 'Container', fieldPath: 'spec.containers{side-a}' },
    });
  });

  it('kubeletVersion 1.34: Created container: <name>', async () => {
    const h = podHarness({ kubeletVersion: '1.34' });
    await h.manager.startPod(podOf([{ name: 'app', image: 'b' }]));
    expect(rows(h.events)).toEqual(['0 app Created: Created container: app', '0 app Started: Started container app']);
  });

  it('no Created when the runtime cannot start the container (the kubelet has no container to announce)', async () => {
    const h = podHarness();
    h.runtime.onStart('app', { reject: new Error('no such image') }, { times: 1 });
    void h.manager.startPod(podOf([{ name: 'app', image: 'b' }])).catch(() => {});
    await h.clock.advance(10_000);
    expect(h.events.map((e) => `${e.timestamp} ${e.reason}`)).toEqual(['0 Failed', '10000 Created', '10000 Started']);
  });
});

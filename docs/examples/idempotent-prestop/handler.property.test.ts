import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { type Clock, hookDeliveryKey, idempotent, MemoryIdempotencyStore } from '../../../src/index.js';

// Time stands still, so every delivery falls within the TTL.
const frozenClock: Clock = { now: () => 0, setTimeout: () => undefined, clearTimeout: () => {} };

test.prop([fc.scheduler(), fc.integer({ min: 1, max: 8 })])(
  'preStop drains once, however many times and in whatever order it is delivered',
  async (s, deliveries) => {
    let drains = 0;
    const drain = async (): Promise<string> => {
      drains++;
      await s.schedule(Promise.resolve(), 'drain step'); // let other deliveries interleave here
      return 'drained';
    };
    const onPreStop = idempotent(drain, {
      store: new MemoryIdempotencyStore({ clock: frozenClock }),
      key: () => hookDeliveryKey({ podUID: 'uid-1', containerName: 'web', containerID: 'cri://1', hook: 'PreStop' }),
      clock: frozenClock,
    });

    const all = Array.from({ length: deliveries }, (_, i) =>
      s.schedule(Promise.resolve(), `delivery ${i}`).then(() => onPreStop()),
    );
    const results = await s.waitFor(Promise.all(all));

    expect(drains).toBe(1);
    expect(results).toEqual(Array.from({ length: deliveries }, () => 'drained'));
  },
);

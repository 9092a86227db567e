import { describe, expect, it } from 'vitest';
import { idempotent } from '../../../src/idempotency/index.js';
import { RedisIdempotencyStore, type RedisLike } from './redis-idempotency-store.js';

/** Just enough of Redis: strings with a PX expiry on a manual clock. */
function fakeRedis() {
  let now = 0;
  const data = new Map<string, { value: string; expiresAt: number }>();
  const redis: RedisLike = {
    get: async (key) => {
      const entry = data.get(key);
      return entry !== undefined && now < entry.expiresAt ? entry.value : null;
    },
    set: async (key, value, _mode, ttlMs) => {
      data.set(key, { value, expiresAt: now + ttlMs });
      return 'OK';
    },
    del: async (key) => (data.delete(key) ? 1 : 0),
  };
  return { redis, data, advance: (ms: number) => (now += ms) };
}

describe('RedisIdempotencyStore (docs sketch, on a fake Redis)', () => {
  it('dedups across two wrappers sharing the store (two replicas), replaying a JSON copy until PX expiry', async () => {
    const { redis, data, advance } = fakeRedis();
    const store = new RedisIdempotencyStore({ redis });
    let runs = 0;
    const handler = async () => ({ run: ++runs });
    const replicaA = idempotent(handler, { store, key: () => 'k', ttlMs: 1000 });
    const replicaB = idempotent(handler, { store, key: () => 'k', ttlMs: 1000 });

    const first = await replicaA();
    const replayed = await replicaB();
    advance(1000);
    const afterTtl = await replicaB();

    expect([...data.keys()]).toEqual(['idem:k']);
    expect(replayed).toEqual(first);
    expect(replayed).not.toBe(first);
    expect(afterTtl).toEqual({ run: 2 });
  });
});

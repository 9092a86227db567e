/**
 * The memory store and the Redis store pass the same idempotencyStoreConformanceCases (DESIGN §13):
 * the memory store on a VirtualClock (exact expiry), the Redis store against a real redis-server,
 * whose own clock expires keys (real time).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type IdempotencyRecord, type IdempotencyStore, MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import { systemClock } from '../../src/ports/system-clock.js';
import { RedisIdempotencyStore } from '../../src/redis/index.js';
import { registerConformanceCases } from '../../src/testing/conformance/conformance-case.js';
import { idempotencyStoreConformanceCases } from '../../src/testing/conformance/idempotency-store-conformance.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { type RedisServer, redisMissing, startRedis } from './redis-server.js';

describe('MemoryIdempotencyStore: idempotencyStoreConformanceCases', () => {
  registerConformanceCases(
    idempotencyStoreConformanceCases(() => {
      const clock = new VirtualClock();
      return { store: new MemoryIdempotencyStore({ clock }), clock };
    }),
    test,
  );
});

describe.skipIf(redisMissing !== undefined)(
  'RedisIdempotencyStore (real redis-server): idempotencyStoreConformanceCases',
  () => {
    let server: RedisServer | undefined;
    let client: Redis;
    beforeAll(async () => {
      server = await startRedis();
      client = new Redis(server!.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
    });
    afterAll(async () => {
      client?.disconnect();
      await server?.stop();
    });
    registerConformanceCases(
      idempotencyStoreConformanceCases(() => ({
        store: new RedisIdempotencyStore({ client, keyPrefix: 'test:conformance:' }),
        clock: systemClock,
      })),
      test,
    );
  },
);

describe('idempotencyStoreConformanceCases catch broken stores', () => {
  /** Run every case against `store` and list the names of those that fail. */
  async function failing(store: (clock: VirtualClock) => IdempotencyStore): Promise<string[]> {
    const names: string[] = [];
    for (const c of idempotencyStoreConformanceCases(() => {
      const clock = new VirtualClock();
      return { store: store(clock), clock };
    })) {
      await c.run().catch((error: unknown) => {
        expect(error).toMatchObject({ code: 'ERR_CONFORMANCE' });
        names.push(c.name);
      });
    }
    return names;
  }

  test('a store whose claims are not exclusive, and whose release ignores the owner', async () => {
    const names = await failing((clock) => {
      const inner = new MemoryIdempotencyStore({ clock });
      return {
        get: (k) => inner.get(k),
        set: (k, r, o) => inner.set(k, r, o),
        delete: (k) => inner.delete(k),
        claim: async (k, o) => {
          const answer = await inner.claim(k, o);
          return answer.status === 'busy' ? { status: 'claimed' } : answer;
        },
        release: async (k) => inner.delete(k),
      };
    });
    expect(names).toEqual([
      'claim of a free key is granted; while it holds, every claim is busy (its owner’s too)',
      'release by the holder frees the key; release by another owner does not',
      'release never drops a record',
      'a claim ends with its lease',
      'of concurrent claims by many owners exactly one is granted',
    ]);
  });

  test('a store that never expires and has no claims', async () => {
    const names = await failing(() => {
      const map = new Map<string, IdempotencyRecord>();
      return {
        get: async (k) => map.get(k),
        set: async (k, r) => void map.set(k, r),
        delete: async (k) => void map.delete(k),
      };
    });
    expect(names).toContain('a record expires after its ttlMs, not before');
    expect(names).toContain('claim of a completed key answers completed with the record');
    expect(names).not.toContain('set then get gives the record back (JSON-shaped values, an undefined value)');
  });
});

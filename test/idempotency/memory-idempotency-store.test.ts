import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { type IdempotencyRecord, MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import type { Clock } from '../../src/ports/clock.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const record = (value: unknown): IdempotencyRecord => ({ state: 'completed', value, completedAt: 0 });

describe('MemoryIdempotencyStore', () => {
  it('returns a stored record by reference until its TTL has passed on the injected clock', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock, ttlMs: 1000 });
    const stored = record({ drained: true });

    await store.set('k', stored, {});
    await clock.advance(999);
    const live = await store.get('k');
    await clock.advance(1);
    const expired = await store.get('k');

    expect(live).toBe(stored);
    expect(expired).toBeUndefined();
    expect(store.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets set override the default TTL per record', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock, ttlMs: 1000 });

    await store.set('short', record(1), { ttlMs: 10 });
    await store.set('default', record(2), {});
    await store.set('forever', record(3), { ttlMs: Infinity });
    await clock.advance(10);

    expect(await store.get('short')).toBeUndefined();
    expect(store.size).toBe(2);
    await clock.advance(10_000_000);
    expect(await store.get('forever')).toEqual(record(3));
    expect(store.size).toBe(1);
  });

  it('evicts the oldest stored record beyond maxEntries; re-setting a key makes it newest', async () => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock(), maxEntries: 2 });

    await store.set('a', record('a'), {});
    await store.set('b', record('b'), {});
    await store.set('a', record('a2'), {});
    await store.set('c', record('c'), {});

    expect(store.size).toBe(2);
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.value).toBe('a2');
    expect((await store.get('c'))?.value).toBe('c');
  });

  it('deletes and clears', async () => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock() });
    await store.set('a', record(1), {});
    await store.set('b', record(2), {});

    await store.delete('a');
    await store.delete('missing');
    expect(store.size).toBe(1);
    store.clear();
    expect(store.size).toBe(0);
  });

  it('validates its options', async () => {
    const clock = new VirtualClock();
    expect(() => new MemoryIdempotencyStore({} as { clock: Clock })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: MemoryIdempotencyStore: options.clock: expected a Clock (an object with now()), got undefined]`,
    );
    expect(() => new MemoryIdempotencyStore({ clock, ttlMs: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: MemoryIdempotencyStore: options.ttlMs: expected a number of milliseconds > 0 (Infinity = never expires), got 0]`,
    );
    expect(() => new MemoryIdempotencyStore({ clock, maxEntries: 0.5 })).toThrow(InvalidArgumentError);
    await expect(new MemoryIdempotencyStore({ clock }).set('k', record(1), { ttlMs: -1 })).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly ttlMs: number | undefined }
  | { readonly kind: 'get'; readonly key: string }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'advance'; readonly ms: number };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key,
    ttlMs: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('get' as const), key }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

describe('MemoryIdempotencyStore (model-based property)', () => {
  test.prop([fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 })], {
    numRuns: 300,
  })(
    'agrees with a simple model and never holds more than maxEntries records',
    async (ops, maxEntries, defaultTtlMs) => {
      const clock = new VirtualClock();
      const store = new MemoryIdempotencyStore({ clock, ttlMs: defaultTtlMs, maxEntries });
      // Model: insertion-ordered list of [key, value, expiresAt].
      let model: Array<{ key: string; value: number; expiresAt: number }> = [];
      let counter = 0;

      for (const o of ops) {
        if (o.kind === 'advance') {
          await clock.advance(o.ms);
        } else if (o.kind === 'set') {
          const value = counter++;
          await store.set(o.key, record(value), o.ttlMs === undefined ? {} : { ttlMs: o.ttlMs });
          model = model.filter((e) => e.key !== o.key);
          model.push({ key: o.key, value, expiresAt: clock.now() + (o.ttlMs ?? defaultTtlMs) });
          if (model.length > maxEntries) model = model.filter((e) => clock.now() < e.expiresAt);
          while (model.length > maxEntries) model.shift();
        } else if (o.kind === 'delete') {
          await store.delete(o.key);
          model = model.filter((e) => e.key !== o.key);
        } else {
          const expected = model.find((e) => e.key === o.key && clock.now() < e.expiresAt);
          expect((await store.get(o.key))?.value).toBe(expected?.value);
        }
        expect(store.size).toBe(model.filter((e) => clock.now() < e.expiresAt).length);
        expect(store.size).toBeLessThanOrEqual(maxEntries);
      }
    },
  );
});

describe('MemoryIdempotencyStore claims (DESIGN §13; the shared contract: test/redis/conformance.test.ts)', () => {
  it('claims are invisible to size, expire on the injected clock, and are dropped by delete and clear', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock, leaseMs: 500 });
    expect(store.leaseMs).toBe(500);
    expect(await store.claim('a', { leaseMs: 100, owner: 'x' })).toEqual({ status: 'claimed' });
    expect(store.size).toBe(0);
    await clock.advance(99);
    expect(await store.claim('a', { leaseMs: 100, owner: 'y' })).toEqual({ status: 'busy' });
    await clock.advance(1);
    expect(await store.claim('a', { leaseMs: 100, owner: 'y' })).toEqual({ status: 'claimed' });
    await store.delete('a');
    expect(await store.claim('a', { leaseMs: 100, owner: 'z' })).toEqual({ status: 'claimed' });
    store.clear();
    expect(await store.claim('a', { leaseMs: 100, owner: 'w' })).toEqual({ status: 'claimed' });
  });

  it('a completion by its owner keeps a live record; a plain set replaces it', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    await store.set('k', record(1), { owner: 'a' });
    await store.set('k', record(2), { owner: 'b' });
    expect((await store.get('k'))?.value).toBe(1);
    await store.set('k', record(3), {});
    expect((await store.get('k'))?.value).toBe(3);
  });

  it.each([
    ['leaseMs', { leaseMs: 0, owner: 'a' }],
    ['owner', { leaseMs: 10, owner: '' }],
  ])('claim rejects a bad %s with an InvalidArgumentError', async (_, options) => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock() });
    await expect(store.claim('k', options)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new MemoryIdempotencyStore({ clock: new VirtualClock(), leaseMs: -1 })).toThrow(InvalidArgumentError);
  });
});

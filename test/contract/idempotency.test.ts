import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  hookDeliveryKey,
  hookDeliveryKeyForRestart,
  type IdempotencyStore,
  IdempotencyStoreError,
  InvalidArgumentError,
  idempotent,
  MemoryIdempotencyStore,
  UnknownContainerError,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { settle } from './helpers.js';

describe('DESIGN §9 hookDeliveryKey', () => {
  it('documented format, "/" and "%" escaped', () => {
    expect(
      hookDeliveryKey({
        podUID: '9d1c5a1e-0000-4000-8000-000000000001',
        containerName: 'web',
        containerID: 'containerd://4f1c',
        hook: 'PreStop',
      }),
    ).toBe('kube-lifecycle/hook/v1/PreStop/9d1c5a1e-0000-4000-8000-000000000001/web/id=containerd:%2F%2F4f1c');
    expect(
      hookDeliveryKeyForRestart(
        { metadata: { name: 'web-0', uid: 'u-1' }, spec: { containers: [{ name: 'web' }] } },
        'web',
        'PostStart',
        { restartCount: 2 },
      ),
    ).toBe('kube-lifecycle/hook/v1/PostStart/u-1/web/restart=2');
  });

  it('each part changes the key (pod UID, container, hook, instance)', () => {
    const base = { podUID: 'u', containerName: 'c', containerID: 'id1', hook: 'PreStop' as const };
    const keys = new Set([
      hookDeliveryKey(base),
      hookDeliveryKey({ ...base, podUID: 'u2' }),
      hookDeliveryKey({ ...base, containerName: 'c2' }),
      hookDeliveryKey({ ...base, hook: 'PostStart' }),
      hookDeliveryKey({ ...base, containerID: 'id2' }),
    ]);
    expect(keys.size).toBe(5);
  });

  test.prop([
    fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 })),
    fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 })),
  ])('distinct inputs never collide (escaping)', (a, b) => {
    const ka = hookDeliveryKey({ podUID: a[0], containerName: a[1], containerID: a[2], hook: 'PreStop' });
    const kb = hookDeliveryKey({ podUID: b[0], containerName: b[1], containerID: b[2], hook: 'PreStop' });
    expect(ka === kb).toBe(a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);
  });

  it('a container-ID key never equals a restart-count key', () => {
    const pod = { metadata: { uid: 'u' }, spec: { containers: [{ name: 'web' }] } };
    expect(hookDeliveryKey({ podUID: 'u', containerName: 'web', containerID: 'restart=0', hook: 'PreStop' })).not.toBe(
      hookDeliveryKeyForRestart(pod, 'web', 'PreStop', { restartCount: 0 }),
    );
  });

  it('bad parts throw InvalidArgumentError; unknown container throws UnknownContainerError', () => {
    expect(() => hookDeliveryKey({ podUID: '', containerName: 'c', containerID: 'i', hook: 'PreStop' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => hookDeliveryKey({ podUID: 'u', containerName: 'c', containerID: 'i', hook: 'Stop' as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => hookDeliveryKey({ podUID: 'u', containerName: 'c', hook: 'PreStop' } as never)).toThrow(
      InvalidArgumentError,
    );
    const pod = { metadata: { uid: 'u' }, spec: { containers: [{ name: 'web' }] } };
    expect(() => hookDeliveryKeyForRestart(pod, 'web', 'PreStop', { restartCount: -1 })).toThrow(InvalidArgumentError);
    expect(() => hookDeliveryKeyForRestart(pod, 'web', 'PreStop', { restartCount: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => hookDeliveryKeyForRestart(pod, 'nope', 'PreStop', { restartCount: 0 })).toThrow(UnknownContainerError);
    expect(() =>
      hookDeliveryKeyForRestart({ metadata: {}, spec: { containers: [{ name: 'web' }] } }, 'web', 'PreStop', {
        restartCount: 0,
      }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('DESIGN §9 MemoryIdempotencyStore on the injected clock', () => {
  const rec = (value: unknown, completedAt = 0) => ({ state: 'completed' as const, value, completedAt });

  it('TTL measured on the injected clock; no timers armed', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock, ttlMs: 10_000 });
    await store.set('k', rec('v'), {});
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(9_999);
    expect((await store.get('k'))?.value).toBe('v');
    await clock.advance(2);
    expect(await store.get('k')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('per-set ttlMs overrides the store default; records kept by reference', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    const value = { drained: 3 };
    await store.set('k', rec(value), { ttlMs: 100 });
    expect((await store.get('k'))?.value).toBe(value);
    await clock.advance(101);
    expect(await store.get('k')).toBeUndefined();
  });

  it('default TTL is one hour', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    await store.set('k', rec(1), {});
    await clock.advance(3_600_000 - 1);
    expect(await store.get('k')).toBeDefined();
    await clock.advance(2);
    expect(await store.get('k')).toBeUndefined();
  });

  it('size bound: the oldest stored is evicted first, expired ones before that', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock, maxEntries: 2 });
    await store.set('a', rec(1), {});
    await store.set('b', rec(2), {});
    await store.set('c', rec(3), {});
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    await store.set('short', rec(4), { ttlMs: 1 }); // evicts b
    await clock.advance(5);
    await store.set('d', rec(5), {}); // the expired "short" goes first, c stays
    expect(await store.get('c')).toBeDefined();
    expect(await store.get('d')).toBeDefined();
  });

  it('set with a bad ttl rejects with InvalidArgumentError; delete and clear forget', async () => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock() });
    await expect(store.set('k', rec(1), { ttlMs: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await store.set('k', rec(1), {});
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    await store.delete('never-there');
    await store.set('k', rec(1), {});
    store.clear();
    expect(store.size).toBe(0);
  });
});

describe('DESIGN §9 idempotent()', () => {
  function setup(ttlMs?: number) {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    let runs = 0;
    const gates: Array<(v: string) => void> = [];
    const fn = (_id: string) => {
      runs++;
      return new Promise<string>((r) => gates.push(r));
    };
    const wrapped = idempotent(fn, { store, key: (id) => `k/${id}`, clock, ...(ttlMs ? { ttlMs } : {}) });
    return { clock, store, wrapped, gates, runs: () => runs };
  }

  it('concurrent duplicates share one run and its value', async () => {
    const s = setup();
    const all = Promise.all([s.wrapped('a'), s.wrapped('a'), s.wrapped('a')]);
    await settle();
    expect(s.runs()).toBe(1);
    s.gates[0]!('done');
    expect(await all).toEqual(['done', 'done', 'done']);
  });

  it('different keys run separately', async () => {
    const s = setup();
    const all = Promise.all([s.wrapped('a'), s.wrapped('b')]);
    await settle();
    expect(s.runs()).toBe(2);
    s.gates.forEach((g, i) => {
      g(`v${i}`);
    });
    expect(await all).toEqual(['v0', 'v1']);
  });

  it('a completed result is replayed within the TTL, re-run after it (injected clock)', async () => {
    const s = setup(1_000);
    const first = s.wrapped('a');
    await settle();
    s.gates[0]!('one');
    expect(await first).toBe('one');
    expect(await s.wrapped('a')).toBe('one');
    expect(s.runs()).toBe(1);
    await s.clock.advance(1_001);
    const again = s.wrapped('a');
    await settle();
    expect(s.runs()).toBe(2);
    s.gates[1]!('two');
    expect(await again).toBe('two');
  });

  it('a failure is shared by concurrent waiters but not remembered', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    let runs = 0;
    const wrapped = idempotent(
      async () => {
        runs++;
        await settle(1);
        if (runs === 1) throw new Error('drain failed');
        return 'ok';
      },
      { store, key: () => 'k', clock },
    );
    const results = await Promise.allSettled([wrapped(), wrapped()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
    expect(await wrapped()).toBe('ok');
    expect(runs).toBe(2);
  });

  it('store get failure → IdempotencyStoreError(get), fn not called; set failure → IdempotencyStoreError(set) with value', async () => {
    let runs = 0;
    const badGet: IdempotencyStore = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const e1 = await idempotent(
      () => {
        runs++;
        return 1;
      },
      { store: badGet, key: () => 'k' },
    )().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(e1).toBeInstanceOf(IdempotencyStoreError);
    expect((e1 as IdempotencyStoreError).operation).toBe('get');
    expect(runs).toBe(0);
    const badSet: IdempotencyStore = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.reject(new Error('full')),
      delete: () => Promise.resolve(),
    };
    const e2 = await idempotent(
      () => {
        runs++;
        return 42;
      },
      { store: badSet, key: () => 'k' },
    )().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(e2).toBeInstanceOf(IdempotencyStoreError);
    expect((e2 as IdempotencyStoreError).operation).toBe('set');
    expect((e2 as IdempotencyStoreError).value).toBe(42);
    expect(runs).toBe(1);
  });

  it('a record of unknown shape is refused with IdempotencyStoreError instead of running again', async () => {
    let runs = 0;
    const weird: IdempotencyStore = {
      get: () => Promise.resolve({ state: 'pending' } as never),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    await expect(
      idempotent(
        () => {
          runs++;
        },
        { store: weird, key: () => 'k' },
      )(),
    ).rejects.toBeInstanceOf(IdempotencyStoreError);
    expect(runs).toBe(0);
  });

  it('key() returning an empty string rejects with InvalidArgumentError; a throwing key() rejects with its error', async () => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock() });
    await expect(idempotent(() => 1, { store, key: () => '' })()).rejects.toBeInstanceOf(InvalidArgumentError);
    const boom = new Error('no identity');
    await expect(
      idempotent(() => 1, {
        store,
        key: () => {
          throw boom;
        },
      })(),
    ).rejects.toBe(boom);
  });

  it('a synchronous throw of fn becomes a rejection, not a sync throw', async () => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock() });
    const wrapped = idempotent(
      () => {
        throw new Error('sync');
      },
      { store, key: () => 'k' },
    );
    let p: Promise<unknown> | undefined;
    expect(() => {
      p = wrapped();
    }).not.toThrow();
    await expect(p).rejects.toThrow('sync');
  });
});

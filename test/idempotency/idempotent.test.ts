import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, LifecycleError } from '../../src/errors.js';
import {
  type IdempotencyStore,
  IdempotencyStoreError,
  idempotent,
  MemoryIdempotencyStore,
} from '../../src/idempotency/index.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { settle } from '../support/settle.js';
import { deferred, SpyStore } from './helpers.js';

describe('idempotent', () => {
  it('runs once for sequential duplicates and replays the stored result', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    const drain = vi.fn(async (podUID: string) => ({ drained: podUID }));
    const onPreStop = idempotent(drain, { store, key: (podUID) => `prestop/${podUID}`, clock });

    const first = await onPreStop('u1');
    const second = await onPreStop('u1');

    expect(drain).toHaveBeenCalledTimes(1);
    expect(second).toBe(first); // the memory store keeps the reference
  });

  it('shares one run among concurrent duplicates, from the store lookup on', async () => {
    const store = new SpyStore();
    const gate = deferred<string>();
    const handler = vi.fn(() => gate.promise);
    const wrapped = idempotent(handler, { store, key: () => 'k' });

    const a = wrapped();
    const b = wrapped();
    await settle();
    const c = wrapped();
    gate.resolve('done');

    expect(await Promise.all([a, b, c])).toEqual(['done', 'done', 'done']);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(store.calls).toEqual(['get k', 'set k ttlMs=undefined']);
  });

  it('keeps different keys independent', async () => {
    const handler = vi.fn(async (n: number) => n * 2);
    const wrapped = idempotent(handler, { store: new SpyStore(), key: (n) => `k${n}` });

    expect(await Promise.all([wrapped(1), wrapped(2), wrapped(1)])).toEqual([2, 4, 2]);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('runs again once the TTL has passed on the store clock, and passes ttlMs and completedAt', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock });
    let runs = 0;
    const wrapped = idempotent(() => ++runs, { store, key: () => 'k', ttlMs: 500, clock });

    await clock.advance(100);
    await wrapped();
    const stored = await store.get('k');
    await clock.advance(499);
    await wrapped();
    await clock.advance(1);
    await wrapped();

    expect(stored).toEqual({ state: 'completed', value: 1, completedAt: 100 });
    expect(runs).toBe(2);
  });

  it('does not remember a failure: all concurrent waiters get it, the next delivery runs again', async () => {
    const store = new SpyStore();
    const boom = new Error('upstream down');
    const handler = vi.fn().mockRejectedValueOnce(boom).mockResolvedValueOnce('ok');
    const wrapped = idempotent(handler as () => Promise<string>, { store, key: () => 'k' });

    const results = await Promise.allSettled([wrapped(), wrapped()]);
    const retry = await wrapped();

    expect(results).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    expect(retry).toBe('ok');
    expect(handler).toHaveBeenCalledTimes(2);
    expect(store.calls).toEqual(['get k', 'get k', 'set k ttlMs=undefined']);
  });

  it('treats a synchronous throw of the handler as a failure', async () => {
    const wrapped = idempotent(
      (): number => {
        throw new Error('sync');
      },
      { store: new SpyStore(), key: () => 'k' },
    );

    await expect(wrapped()).rejects.toThrow('sync');
  });

  it('surfaces a failing store get as IdempotencyStoreError without running the handler', async () => {
    const store = new SpyStore();
    const cause = new Error('ECONNREFUSED');
    store.failGet = cause;
    const handler = vi.fn(async () => 'ran');
    const wrapped = idempotent(handler, { store, key: () => 'k' });

    const error = await wrapped().catch((e: unknown) => e);

    expect(handler).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(error).toBeInstanceOf(LifecycleError);
    expect(error).toMatchObject({ code: 'ERR_IDEMPOTENCY_STORE', operation: 'get', key: 'k', cause });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"idempotency store get("k") failed: ECONNREFUSED; the handler was not run for this delivery"`,
    );
  });

  it('surfaces a failing store set after the handler ran, carrying its value', async () => {
    const store = new SpyStore();
    store.failSet = new Error('READONLY');
    const wrapped = idempotent(async () => 42, { store, key: () => 'k' });

    const error = await wrapped().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'IdempotencyStoreError', operation: 'set', value: 42 });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"idempotency store set("k") failed: READONLY; the handler ran and succeeded but its result was not remembered, so a duplicate may run it again"`,
    );
  });

  it('rejects a record of an unknown shape instead of running again', async () => {
    const store: IdempotencyStore = {
      get: async () => ({ state: 'pending' }) as never,
      set: async () => {},
      delete: async () => {},
    };
    const handler = vi.fn();
    const wrapped = idempotent(handler, { store, key: () => 'k' });

    await expect(wrapped()).rejects.toMatchObject({ operation: 'get', cause: { state: 'pending' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('replays a record whose value was dropped by JSON (a handler returning undefined)', async () => {
    const store: IdempotencyStore = {
      get: async () => JSON.parse(JSON.stringify({ state: 'completed', value: undefined, completedAt: 1 })),
      set: async () => {},
      delete: async () => {},
    };
    const handler = vi.fn();

    await expect(idempotent(handler, { store, key: () => 'k' })()).resolves.toBeUndefined();
    expect(handler).not.toHaveBeenCalled();
  });

  it('validates fn, options and the key it computes', async () => {
    const store = new SpyStore();
    expect(() => idempotent('nope' as never, { store, key: () => 'k' })).toThrow(InvalidArgumentError);
    expect(() => idempotent(() => 1, { store: {} as never, key: () => 'k' })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: idempotent: options.store: expected an IdempotencyStore (get, set, delete), got an object]`,
    );
    expect(() => idempotent(() => 1, { store, key: 'k' as never })).toThrow(InvalidArgumentError);
    expect(() => idempotent(() => 1, { store, key: () => 'k', ttlMs: 0 })).toThrow(InvalidArgumentError);
    await expect(idempotent(() => 1, { store, key: () => '' })()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: idempotent: options.key(...) result: expected a non-empty string, got ""]`,
    );
    await expect(
      idempotent(() => 1, {
        store,
        key: () => {
          throw new Error('no uid');
        },
      })(),
    ).rejects.toThrow('no uid');
  });
});

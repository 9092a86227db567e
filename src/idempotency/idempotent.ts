import { errorText, InvalidArgumentError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/system-clock.js';
import { type IdempotencyRecord, type IdempotencyStore, IdempotencyStoreError } from './idempotency-store.js';

/** Options of {@link idempotent}. */
export interface IdempotentOptions<Args extends unknown[]> {
  /** Where completed deliveries are remembered. */
  readonly store: IdempotencyStore;
  /**
   * The delivery key of a call, from the call's own arguments; equal keys mean "the same event"
   * (see `hookDeliveryKey`). Must return a non-empty string.
   * @example (request) => hookDeliveryKey({ podUID, containerName: 'web', containerID, hook: 'PreStop' })
   */
  readonly key: (...args: Args) => string;
  /**
   * How long a completed result is replayed, in milliseconds, passed to `store.set`.
   * @default the store's own default (one hour for `MemoryIdempotencyStore`)
   */
  readonly ttlMs?: number;
  /**
   * Clock for the record's `completedAt` (informative; expiry is the store's job).
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * Make an at-least-once handler run at most once per delivery key (spec §6).
 *
 * The returned function takes the same arguments as `fn` and always returns a promise:
 * - **Concurrent duplicates** (same key while a delivery is in flight, from the store lookup to
 *   the store write) share that one run and get its result or its failure.
 * - **A completed result is replayed** to later duplicates for as long as the store keeps it
 *   (`ttlMs`). The replayed value is whatever the store returns: `MemoryIdempotencyStore` hands
 *   back the same reference, a serialising store a copy.
 * - **A failure is not remembered**: every waiter of the failed run gets the failure, and the next
 *   delivery runs `fn` again.
 * - **Store errors surface** as an {@link IdempotencyStoreError} (with `cause`), never as a silent
 *   second run: a failed `get` does not run `fn`; a failed `set` rejects after `fn` succeeded
 *   (the error's `value` holds the result).
 *
 * In-flight sharing is per wrapper and per process; see {@link IdempotencyStore} for sharing
 * across processes. `fn` is called without `this`.
 *
 * @throws {InvalidArgumentError} synchronously for a bad `fn` or options; as a rejection when
 *   `key(...)` returns something other than a non-empty string.
 * @example
 * ```ts
 * const store = new MemoryIdempotencyStore({ clock: systemClock });
 * const onPreStop = idempotent(
 *   async (podUID: string, containerID: string) => deregisterFromLoadBalancer(),
 *   { store, key: (podUID, containerID) => hookDeliveryKey({ podUID, containerName: 'web', containerID, hook: 'PreStop' }) },
 * );
 * await Promise.all([onPreStop(uid, id), onPreStop(uid, id)]); // deregisters once
 * ```
 */
export function idempotent<Args extends unknown[], R>(
  fn: (...args: Args) => R,
  options: IdempotentOptions<Args>,
): (...args: Args) => Promise<Awaited<R>> {
  if (typeof fn !== 'function') throw new InvalidArgumentError('idempotent(fn)', fn, 'a function');
  const { store, key: keyOf, ttlMs } = checkOptions(options);
  const clock = options.clock ?? systemClock;
  const inFlight = new Map<string, Promise<Awaited<R>>>();

  const deliver = async (key: string, args: Args): Promise<Awaited<R>> => {
    let record: IdempotencyRecord | undefined;
    try {
      record = await store.get(key);
    } catch (error) {
      throw new IdempotencyStoreError('get', key, errorText(error), { cause: error });
    }
    if (record !== undefined) {
      if (!isCompletedRecord(record)) {
        throw new IdempotencyStoreError(
          'get',
          key,
          "it returned a record that is not { state: 'completed', value, completedAt }",
          {
            cause: record,
          },
        );
      }
      // The store gives back what the wrapper stored for this key: a result of `fn`.
      return record.value as Awaited<R>;
    }
    const value = await fn(...args);
    const completed: IdempotencyRecord<Awaited<R>> = { state: 'completed', value, completedAt: clock.now() };
    try {
      await store.set(key, completed, ttlMs === undefined ? {} : { ttlMs });
    } catch (error) {
      throw new IdempotencyStoreError('set', key, errorText(error), { cause: error, value });
    }
    return value;
  };

  return (...args: Args): Promise<Awaited<R>> => {
    let key: unknown;
    try {
      key = keyOf(...args);
    } catch (error) {
      return Promise.reject(error);
    }
    if (typeof key !== 'string' || key.length === 0) {
      return Promise.reject(new InvalidArgumentError('idempotent: options.key(...) result', key, 'a non-empty string'));
    }
    const running = inFlight.get(key);
    if (running !== undefined) return running;
    // Registered before the first await, so a duplicate arriving during the store lookup shares it.
    const run = deliver(key, args).finally(() => inFlight.delete(key));
    inFlight.set(key, run);
    return run;
  };
}

function checkOptions<Args extends unknown[]>(options: IdempotentOptions<Args>): IdempotentOptions<Args> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('idempotent(fn, options)', options, 'an object { store, key, ttlMs? }');
  }
  const store: unknown = options.store;
  const methods = ['get', 'set', 'delete'] as const;
  if (
    typeof store !== 'object' ||
    store === null ||
    methods.some((m) => typeof (store as IdempotencyStore)[m] !== 'function')
  ) {
    throw new InvalidArgumentError('idempotent: options.store', store, 'an IdempotencyStore (get, set, delete)');
  }
  if (typeof options.key !== 'function') {
    throw new InvalidArgumentError('idempotent: options.key', options.key, 'a function (...args) => string');
  }
  const ttlMs: unknown = options.ttlMs;
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || Number.isNaN(ttlMs) || ttlMs <= 0)) {
    throw new InvalidArgumentError('idempotent: options.ttlMs', ttlMs, 'a number of milliseconds > 0');
  }
  return options;
}

function isCompletedRecord(record: unknown): record is IdempotencyRecord {
  return typeof record === 'object' && record !== null && (record as { state?: unknown }).state === 'completed';
}

import { InvalidArgumentError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/system-clock.js';
import { type ClaimingStore, callStore, canClaim, deliverClaimed, replay } from './claimed-delivery.js';
import { DEFAULT_IDEMPOTENCY_LEASE_MS, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';

/** Default interval at which a duplicate polls a busy claim: 100 ms. */
export const DEFAULT_IDEMPOTENCY_POLL_MS = 100;

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
  readonly ttlMs?: number | undefined;
  /**
   * Clock for the record's `completedAt` (informative; expiry is the store's job) and, with a
   * claiming store, for polling a busy claim.
   * @default systemClock
   */
  readonly clock?: Clock | undefined;
  /**
   * With a claiming store (`claim`/`release`, DESIGN §13): how long a claim holds, in
   * milliseconds. Make it longer than the handler ever runs: a lease is not renewed, and once it
   * runs out mid-handler another replica may claim and run the same delivery too.
   * @default the store's `leaseMs`, else 30_000
   */
  readonly leaseMs?: number | undefined;
  /**
   * With a claiming store: who claims. Must differ between replicas (and between wrappers that
   * share a store). @default a random UUID per wrapper
   */
  readonly owner?: string | undefined;
  /**
   * With a claiming store: how often a duplicate that found the delivery `busy` claims again, in
   * milliseconds, to replay the record, or run once the claim is released or its lease ends.
   * @default 100
   */
  readonly pollMs?: number | undefined;
  /**
   * With a claiming store: how long a duplicate waits on `busy` claims before it gives up with an
   * `IdempotencyStoreError` (`operation: 'claim'`; the handler is not run), in milliseconds.
   * @default 2 × leaseMs (the holder's lease, then a takeover's)
   */
  readonly maxWaitMs?: number | undefined;
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
 * In-flight sharing is per wrapper and per process. **Across processes**, when the store has
 * `claim`/`release` (DESIGN §13: `RedisIdempotencyStore` from `kube-lifecycle/redis`,
 * `MemoryIdempotencyStore`), each delivery first claims its key for `leaseMs`:
 * - `claimed` → run `fn`, then `set` the record; a failure of `fn` releases the claim (so a retry
 *   can run) and rejects with it;
 * - `completed` → replay the record;
 * - `busy` → claim again every `pollMs` on the injected clock until the record appears (replay),
 *   or the claim is released or its lease ends (run); after `maxWaitMs` reject with an
 *   `IdempotencyStoreError` (`operation: 'claim'`).
 * A lease that runs out while `fn` still runs is not renewed: another replica may then run the
 * same delivery too (the documented at-least-once edge; make `leaseMs` exceed the handler's
 * longest run). A failed claim rejects without running `fn`; a failed release rejects with
 * `operation: 'release'` and the handler's error in `handlerError`. `fn` is called without `this`.
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
  const claims = canClaim(store) ? claimSettings(store, options) : undefined;

  const deliver = async (key: string, args: Args): Promise<Awaited<R>> => {
    if (claims !== undefined) {
      const run = async (): Promise<Awaited<R>> => (await fn(...args)) as Awaited<R>;
      return deliverClaimed<Awaited<R>>({ ...claims, key, clock, ttlMs }, run);
    }
    const record: IdempotencyRecord | undefined = await callStore('get', key, () => store.get(key));
    // The store gives back what the wrapper stored for this key: a result of `fn`.
    if (record !== undefined) return replay('get', key, record) as Awaited<R>;
    const value = await fn(...args);
    const completed: IdempotencyRecord<Awaited<R>> = { state: 'completed', value, completedAt: clock.now() };
    await callStore('set', key, () => store.set(key, completed, ttlMs === undefined ? {} : { ttlMs }), { value });
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

function claimSettings<Args extends unknown[]>(store: ClaimingStore, options: IdempotentOptions<Args>) {
  const storeLease = typeof store.leaseMs === 'number' && store.leaseMs > 0 ? store.leaseMs : undefined;
  const leaseMs = positive('leaseMs', options.leaseMs) ?? storeLease ?? DEFAULT_IDEMPOTENCY_LEASE_MS;
  const owner: unknown = options.owner ?? randomOwner();
  if (typeof owner !== 'string' || owner.length === 0) {
    throw new InvalidArgumentError('idempotent: options.owner', owner, 'a non-empty string, unique per replica');
  }
  return {
    store,
    owner,
    leaseMs,
    pollMs: positive('pollMs', options.pollMs) ?? DEFAULT_IDEMPOTENCY_POLL_MS,
    maxWaitMs: positive('maxWaitMs', options.maxWaitMs) ?? 2 * leaseMs,
  };
}

function positive(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`idempotent: options.${name}`, value, 'a finite number of milliseconds > 0');
  }
  return value;
}

/** A random owner id: Web Crypto where there is one (Node ≥ 19, browsers), else Math.random. */
function randomOwner(): string {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  return `owner-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

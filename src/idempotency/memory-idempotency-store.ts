import { InvalidArgumentError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  type IdempotencyClaim,
  type IdempotencyClaimOptions,
  type IdempotencyRecord,
  type IdempotencySetOptions,
  type IdempotencyStore,
} from './idempotency-store.js';

/** Default lifetime of a record: one hour, longer than any realistic re-delivery window. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;
/** Default bound on the number of records a {@link MemoryIdempotencyStore} keeps. */
export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 10_000;

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** Time source for expiry. `systemClock` in production, a virtual clock in tests. */
  readonly clock: Clock;
  /**
   * Lifetime of a record when `set` is called without `ttlMs`, in milliseconds (> 0;
   * `Infinity` = never expires).
   * @default 3_600_000 (one hour)
   */
  readonly ttlMs?: number | undefined;
  /**
   * Most records kept at once (integer ≥ 1). Storing one more drops the expired records, then
   * evicts the oldest stored first (a replaced key counts as newly stored).
   * @default 10_000
   */
  readonly maxEntries?: number | undefined;
  /**
   * The lease `idempotent()` claims with when it is given none, in milliseconds (> 0).
   * @default 30_000
   */
  readonly leaseMs?: number | undefined;
}

interface Claim {
  readonly owner: string;
  readonly expiresAt: number;
}

interface Entry {
  readonly record: IdempotencyRecord;
  readonly expiresAt: number;
}

/**
 * An in-process {@link IdempotencyStore}: a bounded map with expiry on the injected clock.
 *
 * - Expiry is checked with `clock.now()` when a key is read (and by `size`); no timers are armed,
 *   so nothing is left pending and a virtual clock needs no ticking.
 * - At most `maxEntries` records; when full, expired records go first, then the oldest stored.
 * - Records are kept by reference: a replayed `value` is the very object the handler returned.
 *   (A serialising store would return a copy.)
 * - Lives as long as the process. Inside a container that is exactly one container instance,
 *   which matches the delivery-key rule that a restart is a new event.
 * - Implements `claim`/`release` (DESIGN §13) on the same clock: claims expire `leaseMs` after they
 *   are taken, are invisible to `get` and `size`, and are replaced by the record on `set`. (Within
 *   one process the wrapper's in-flight map already shares runs; claims matter when several
 *   wrappers share one store, and they make this store the reference for the conformance cases.)
 *
 * @example
 * ```ts
 * const store = new MemoryIdempotencyStore({ clock: systemClock, ttlMs: 10 * 60_000, maxEntries: 1000 });
 * const onPreStop = idempotent(drain, { store, key: () => 'prestop' });
 * ```
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  /** Insertion order = storage order, so the first key is the oldest. */
  readonly #entries = new Map<string, Entry>();
  readonly #claims = new Map<string, Claim>();
  /** The default lease of claims for `idempotent()`, in milliseconds. */
  readonly leaseMs: number;

  constructor(options: MemoryIdempotencyStoreOptions) {
    const clock: unknown = (options as MemoryIdempotencyStoreOptions | undefined)?.clock;
    if (typeof clock !== 'object' || clock === null || typeof (clock as Clock).now !== 'function') {
      throw new InvalidArgumentError('MemoryIdempotencyStore: options.clock', clock, 'a Clock (an object with now())');
    }
    this.#clock = clock as Clock;
    this.#ttlMs = checkTtl('MemoryIdempotencyStore: options.ttlMs', options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
    const maxEntries = options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new InvalidArgumentError('MemoryIdempotencyStore: options.maxEntries', maxEntries, 'an integer >= 1');
    }
    this.#maxEntries = maxEntries;
    this.leaseMs = checkTtl('MemoryIdempotencyStore: options.leaseMs', options.leaseMs ?? DEFAULT_IDEMPOTENCY_LEASE_MS);
  }

  /**
   * Number of live (unexpired) records. Drops expired ones as it counts.
   * @example
   * ```ts
   * await store.set('k', { state: 'completed', value: 1, completedAt: 0 }, {});
   * store.size; // 1
   * ```
   */
  get size(): number {
    const now = this.#clock.now();
    for (const [key, entry] of this.#entries) {
      if (now >= entry.expiresAt) this.#entries.delete(key);
    }
    return this.#entries.size;
  }

  /**
   * The live record of `key`, or `undefined` (absent or expired; an expired record is dropped).
   * @example
   * ```ts
   * const record = await store.get(key); // { state: 'completed', value, completedAt } | undefined
   * ```
   */
  get(key: string): Promise<IdempotencyRecord | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return Promise.resolve(undefined);
    if (this.#clock.now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry.record);
  }

  /**
   * Store `record` under `key` until `options.ttlMs` (or the store's `ttlMs`) from now, evicting
   * the oldest records beyond `maxEntries`.
   * @throws {InvalidArgumentError} (as a rejection) when `ttlMs` is not a number > 0.
   * @example
   * ```ts
   * await store.set(key, { state: 'completed', value: 'ok', completedAt: clock.now() }, { ttlMs: 60_000 });
   * ```
   */
  set(key: string, record: IdempotencyRecord, options: IdempotencySetOptions = {}): Promise<void> {
    try {
      const ttlMs =
        options.ttlMs === undefined
          ? this.#ttlMs
          : checkTtl('MemoryIdempotencyStore.set: options.ttlMs', options.ttlMs);
      const now = this.#clock.now();
      this.#claims.delete(key);
      const existing = this.#entries.get(key);
      // Completing a claimed delivery keeps a live record already there: the first result wins.
      if (options.owner !== undefined && existing !== undefined && now < existing.expiresAt) return Promise.resolve();
      this.#entries.delete(key);
      this.#entries.set(key, { record, expiresAt: now + ttlMs });
      if (this.#entries.size > this.#maxEntries) {
        // Expired records go first, so they never push out a live one; then the oldest stored.
        for (const [oldKey, entry] of this.#entries) if (now >= entry.expiresAt) this.#entries.delete(oldKey);
        for (const oldest of this.#entries.keys()) {
          if (this.#entries.size <= this.#maxEntries) break;
          this.#entries.delete(oldest);
        }
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Forget `key`; resolves whether or not it was there.
   * @example
   * ```ts
   * await store.delete(key); // the next delivery runs the handler again
   * ```
   */
  delete(key: string): Promise<void> {
    this.#entries.delete(key);
    this.#claims.delete(key);
    return Promise.resolve();
  }

  /**
   * Claim `key` for `options.owner` until `options.leaseMs` from now (DESIGN §13): `completed`
   * with the live record, `busy` while any live claim holds the key, else `claimed`.
   * @throws {InvalidArgumentError} (as a rejection) for a lease that is not a number > 0 or an empty owner.
   * @example
   * ```ts
   * await store.claim(key, { leaseMs: 30_000, owner: 'replica-a' }); // { status: 'claimed' }
   * await store.claim(key, { leaseMs: 30_000, owner: 'replica-b' }); // { status: 'busy' }
   * ```
   */
  claim(key: string, options: IdempotencyClaimOptions): Promise<IdempotencyClaim> {
    try {
      const leaseMs = checkTtl('MemoryIdempotencyStore.claim: options.leaseMs', options?.leaseMs);
      const owner = checkOwner('MemoryIdempotencyStore.claim: options.owner', options.owner);
      const now = this.#clock.now();
      const entry = this.#entries.get(key);
      if (entry !== undefined && now < entry.expiresAt)
        return Promise.resolve({ status: 'completed', record: entry.record });
      const held = this.#claims.get(key);
      if (held !== undefined && now < held.expiresAt) return Promise.resolve({ status: 'busy' });
      for (const [oldKey, claim] of this.#claims) if (now >= claim.expiresAt) this.#claims.delete(oldKey);
      this.#claims.set(key, { owner, expiresAt: now + leaseMs });
      return Promise.resolve({ status: 'claimed' });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Drop the claim on `key` if `owner` holds it (a live record, or another owner's claim, stays).
   * @example
   * ```ts
   * await store.release(key, 'replica-a'); // the next claim of `key` is granted
   * ```
   */
  release(key: string, owner: string): Promise<void> {
    if (this.#claims.get(key)?.owner === owner) this.#claims.delete(key);
    return Promise.resolve();
  }

  /**
   * Forget every record.
   * @example
   * ```ts
   * store.clear(); // store.size === 0
   * ```
   */
  clear(): void {
    this.#entries.clear();
    this.#claims.clear();
  }
}

function checkTtl(argument: string, ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs) || ttlMs <= 0) {
    throw new InvalidArgumentError(argument, ttlMs, 'a number of milliseconds > 0 (Infinity = never expires)');
  }
  return ttlMs;
}

function checkOwner(argument: string, owner: unknown): string {
  if (typeof owner !== 'string' || owner.length === 0)
    throw new InvalidArgumentError(argument, owner, 'a non-empty string');
  return owner;
}

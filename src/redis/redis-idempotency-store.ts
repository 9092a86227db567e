import { errorText, InvalidArgumentError } from '../errors.js';
import {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  type IdempotencyClaim,
  type IdempotencyClaimOptions,
  type IdempotencyRecord,
  type IdempotencySetOptions,
  type IdempotencyStore,
} from '../idempotency/idempotency-store.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from '../idempotency/memory-idempotency-store.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/system-clock.js';
import { RedisStoreError } from './errors.js';
import { decodeStored, encodeClaim, encodeRecord } from './json-record.js';
import type { RedisIdempotencyClient } from './redis-client.js';

/** Default prefix of every key the store writes. */
export const DEFAULT_REDIS_KEY_PREFIX = 'kube-lifecycle:idempotency:';
/** Default bound on one Redis command, in milliseconds. */
export const DEFAULT_REDIS_TIMEOUT_MS = 5_000;

/** Options of {@link RedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /**
   * A connected client: an `ioredis` `Redis` or `Cluster` (or anything with the same commands).
   * Recommended ioredis options: `enableOfflineQueue: false` and `maxRetriesPerRequest: 1`, so a
   * command fails fast while Redis is down instead of queueing.
   */
  readonly client: RedisIdempotencyClient;
  /**
   * Prepended to every delivery key. For Redis Cluster keep hash tags (`{…}`) out of it: each
   * command touches one key, so no two keys need share a slot, and a tag here would put every
   * delivery on one node. @default 'kube-lifecycle:idempotency:'
   */
  readonly keyPrefix?: string;
  /**
   * The lease `idempotent()` claims with when it is given none, in milliseconds.
   * @default 30_000
   */
  readonly leaseMs?: number;
  /**
   * Lifetime of a record when `set` is given no `ttlMs`, in milliseconds (`Infinity`: no expiry).
   * @default 3_600_000 (one hour)
   */
  readonly ttlMs?: number;
  /**
   * How long one command may take before the store rejects with `ERR_REDIS_TIMEOUT`, in
   * milliseconds. Bounds every call even when the client would queue or retry. @default 5_000
   */
  readonly timeoutMs?: number;
  /** Clock for `timeoutMs`. @default systemClock */
  readonly clock?: Clock;
}

/** Drop the claim if it is still `ARGV[1]` (this owner's), atomically. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Complete a delivery: keep a completed record already there (the first result wins); otherwise
 * write the record (over this owner's claim, nothing, or, when this owner's lease had run out,
 * another owner's claim). Returns 1 = own claim or none, 2 = another owner's claim, 0 = kept.
 */
const COMPLETE_SCRIPT = `local current = redis.call('GET', KEYS[1])
local result = 1
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and decoded['state'] == 'completed' then return 0 end
  if current ~= ARGV[3] then result = 2 end
end
if ARGV[2] == '' then redis.call('SET', KEYS[1], ARGV[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return result`;

/**
 * An {@link IdempotencyStore} on Redis, shared by every replica of a hook receiver (DESIGN §13),
 * with the optional `claim`/`release` so `idempotent()` runs a delivery in one replica at a time.
 *
 * - One string per key, at `keyPrefix + key`: a claim `{"state":"claimed","owner":…}` that Redis
 *   expires after the lease (`SET NX PX`), then the record `{"state":"completed","value":…,"completedAt":…}`
 *   that Redis expires after `ttlMs` (`PX`). A record's value must survive JSON (checked at `set`).
 * - `release` and the completion (`set` with an owner) are Lua scripts, so checking the owner (or
 *   an existing record) and writing are one atomic step. Every command touches one key: Redis Cluster works.
 * - Every command is bounded by `timeoutMs`. Failures reject with a {@link RedisStoreError}
 *   (`ERR_REDIS_TIMEOUT`, `ERR_REDIS_COMMAND`, `ERR_REDIS_DATA`, `ERR_NOT_JSON`), which
 *   `idempotent()` surfaces as an `IdempotencyStoreError` with it as `cause`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisIdempotencyStore } from 'kube-lifecycle/redis';
 *
 * const store = new RedisIdempotencyStore({ client: new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) });
 * const onPreStop = idempotent(drain, { store, key: () => hookDeliveryKey(parts), leaseMs: 20_000 });
 * ```
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #client: RedisIdempotencyClient;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  /** Prepended to every delivery key. */
  readonly keyPrefix: string;
  /** The default lease of claims for `idempotent()`, in milliseconds. */
  readonly leaseMs: number;

  constructor(options: RedisIdempotencyStoreOptions) {
    const client: unknown = (options as RedisIdempotencyStoreOptions | undefined)?.client;
    const commands = ['get', 'set', 'del', 'eval'] as const;
    if (
      typeof client !== 'object' ||
      client === null ||
      commands.some((c) => typeof (client as never)[c] !== 'function')
    ) {
      throw new InvalidArgumentError(
        'RedisIdempotencyStore: options.client',
        client,
        'a Redis client with get, set, del and eval (an ioredis Redis or Cluster)',
      );
    }
    this.#client = client as RedisIdempotencyClient;
    const keyPrefix: unknown = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    if (typeof keyPrefix !== 'string') {
      throw new InvalidArgumentError('RedisIdempotencyStore: options.keyPrefix', keyPrefix, 'a string');
    }
    this.keyPrefix = keyPrefix;
    this.leaseMs = finiteMs('options.leaseMs', options.leaseMs ?? DEFAULT_IDEMPOTENCY_LEASE_MS);
    this.#timeoutMs = finiteMs('options.timeoutMs', options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
    this.#ttlMs = ttl('options.ttlMs', options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * The record of `key`, or `undefined` when there is none, it expired, or the key is only claimed.
   * @example
   * ```ts
   * const record = await store.get(key); // a JSON copy of what was stored
   * ```
   */
  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const redisKey = this.keyPrefix + key;
    const text = await this.#command('GET', redisKey, () => this.#client.get(redisKey));
    if (text === null) return undefined;
    const stored = decodeStored(redisKey, text);
    return stored.state === 'completed' ? stored.record : undefined;
  }

  /**
   * Store `record` for `options.ttlMs` (`SET PX`). With `options.owner` (a completion by
   * `idempotent()`), a record already there is kept. Rejects with `ERR_NOT_JSON` before any
   * command when the value does not survive JSON.
   * @example
   * ```ts
   * await store.set(key, { state: 'completed', value: { drained: 3 }, completedAt: 0 }, { ttlMs: 600_000 });
   * ```
   */
  async set(key: string, record: IdempotencyRecord, options: IdempotencySetOptions = {}): Promise<void> {
    const redisKey = this.keyPrefix + key;
    const ttlMs = options.ttlMs === undefined ? this.#ttlMs : ttl('set: options.ttlMs', options.ttlMs);
    const text = encodeRecord(redisKey, record);
    const px = Number.isFinite(ttlMs) ? Math.max(1, Math.ceil(ttlMs)) : undefined;
    if (options.owner !== undefined) {
      const claim = encodeClaim(options.owner);
      const args = [text, px === undefined ? '' : String(px), claim];
      await this.#command('EVAL complete', redisKey, () => this.#client.eval(COMPLETE_SCRIPT, 1, redisKey, ...args));
    } else if (px === undefined) {
      await this.#command('SET', redisKey, () => this.#client.set(redisKey, text));
    } else {
      await this.#command('SET PX', redisKey, () => this.#client.set(redisKey, text, 'PX', px));
    }
  }

  /**
   * Forget `key`, record or claim (`DEL`).
   * @example
   * ```ts
   * await store.delete(key); // the next delivery runs again
   * ```
   */
  async delete(key: string): Promise<void> {
    const redisKey = this.keyPrefix + key;
    await this.#command('DEL', redisKey, () => this.#client.del(redisKey));
  }

  /**
   * Claim `key` for `options.leaseMs` with `SET NX PX`; when the key exists, read it to answer
   * `completed` (with the record) or `busy`.
   * @example
   * ```ts
   * await store.claim(key, { leaseMs: 30_000, owner: 'replica-a' }); // { status: 'claimed' }
   * ```
   */
  async claim(key: string, options: IdempotencyClaimOptions): Promise<IdempotencyClaim> {
    const redisKey = this.keyPrefix + key;
    const leaseMs = Math.max(1, Math.ceil(finiteMs('claim: options.leaseMs', options?.leaseMs)));
    const owner = options.owner;
    if (typeof owner !== 'string' || owner === '') {
      throw new InvalidArgumentError('RedisIdempotencyStore.claim: options.owner', owner, 'a non-empty string');
    }
    const claim = encodeClaim(owner);
    const reply = await this.#command('SET NX PX', redisKey, () =>
      this.#client.set(redisKey, claim, 'PX', leaseMs, 'NX'),
    );
    if (reply === 'OK') return { status: 'claimed' };
    const text = await this.#command('GET', redisKey, () => this.#client.get(redisKey));
    // Gone between the two commands (expired or released): busy, and the caller's next poll claims it.
    if (text === null) return { status: 'busy' };
    const stored = decodeStored(redisKey, text);
    return stored.state === 'completed' ? { status: 'completed', record: stored.record } : { status: 'busy' };
  }

  /**
   * Drop the claim on `key` if `owner` still holds it (a Lua script compares and deletes atomically).
   * @example
   * ```ts
   * await store.release(key, 'replica-a');
   * ```
   */
  async release(key: string, owner: string): Promise<void> {
    const redisKey = this.keyPrefix + key;
    const claim = encodeClaim(owner);
    await this.#command('EVAL release', redisKey, () => this.#client.eval(RELEASE_SCRIPT, 1, redisKey, claim));
  }

  /** Run one command, bounded by `timeoutMs`, its failures as {@link RedisStoreError}s. */
  #command<T>(name: string, redisKey: string, send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        reject(
          new RedisStoreError(
            'ERR_REDIS_TIMEOUT',
            redisKey,
            `Redis ${name} ${JSON.stringify(redisKey)} did not answer within ${this.#timeoutMs} ms (timeoutMs); ` +
              'is Redis reachable? It may still apply the command',
          ),
        );
      }, this.#timeoutMs);
      let sent: Promise<T>;
      try {
        sent = Promise.resolve(send());
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(
        (value) => {
          this.#clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.#clock.clearTimeout(timer);
          reject(
            new RedisStoreError(
              'ERR_REDIS_COMMAND',
              redisKey,
              `Redis ${name} ${JSON.stringify(redisKey)} failed: ${errorText(error)}`,
              { cause: error },
            ),
          );
        },
      );
    });
  }
}

function finiteMs(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`RedisIdempotencyStore: ${argument}`, value, 'a finite number of milliseconds > 0');
  }
  return value;
}

function ttl(argument: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new InvalidArgumentError(
      `RedisIdempotencyStore: ${argument}`,
      value,
      'a number of milliseconds > 0 (Infinity = no expiry)',
    );
  }
  return value;
}

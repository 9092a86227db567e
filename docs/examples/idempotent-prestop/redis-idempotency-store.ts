/**
 * An IdempotencyStore on Redis, shared by every replica (docs/idempotency.md, "Backing the store").
 *
 * Written against the small structural `RedisLike` below, which an `ioredis` client satisfies as it
 * is (for `node-redis` v4, adapt `set` to `client.set(key, value, { PX: ttlMs })`). No Redis
 * dependency is needed to type-check or test it.
 */
import type { IdempotencyRecord, IdempotencySetOptions, IdempotencyStore } from '../../../src/idempotency/index.js';

/** The three Redis commands the store needs (ioredis signatures). */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  del(key: string): Promise<number>;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #redis: RedisLike;
  readonly #prefix: string;
  readonly #defaultTtlMs: number;

  constructor(options: { redis: RedisLike; prefix?: string; ttlMs?: number }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'idem:';
    this.#defaultTtlMs = options.ttlMs ?? 60 * 60_000;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const text = await this.#redis.get(this.#prefix + key);
    // Redis expires the key itself (PX). JSON returns a copy of the value, not the original object.
    return text === null ? undefined : (JSON.parse(text) as IdempotencyRecord);
  }

  async set(key: string, record: IdempotencyRecord, options: IdempotencySetOptions): Promise<void> {
    // PX takes whole milliseconds ≥ 1.
    await this.#redis.set(
      this.#prefix + key,
      JSON.stringify(record),
      'PX',
      Math.max(1, Math.ceil(options.ttlMs ?? this.#defaultTtlMs)),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}

import { LifecycleError } from '../errors.js';

/** Stable codes of the errors `RedisIdempotencyStore` rejects with. */
export type RedisStoreErrorCode =
  /** A Redis command did not answer within the store's `timeoutMs`. */
  | 'ERR_REDIS_TIMEOUT'
  /** The Redis client rejected a command (connection refused or lost, a Redis error reply…). */
  | 'ERR_REDIS_COMMAND'
  /** A value at a store key is not what this store writes (not JSON, or an unknown shape). */
  | 'ERR_REDIS_DATA'
  /** A record's value does not survive a JSON round trip, so it cannot be stored. */
  | 'ERR_NOT_JSON';

/**
 * An error of `RedisIdempotencyStore` (`kube-lifecycle/redis`). `idempotent()` wraps it in an
 * `IdempotencyStoreError` that says whether the handler ran; branch on `code` (stable), `cause`
 * keeps the client's own error.
 *
 * @example
 * ```ts
 * if (error instanceof IdempotencyStoreError && error.cause instanceof RedisStoreError && error.cause.code === 'ERR_REDIS_TIMEOUT') …
 * ```
 */
export class RedisStoreError extends LifecycleError<RedisStoreErrorCode> {
  override readonly name = 'RedisStoreError';
  /** The store key concerned (with the prefix). */
  readonly redisKey: string;

  constructor(code: RedisStoreErrorCode, redisKey: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.redisKey = redisKey;
  }
}

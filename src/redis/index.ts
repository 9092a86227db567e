/**
 * `kube-lifecycle/redis`: `RedisIdempotencyStore`, the idempotency store to share between the
 * replicas of a hook receiver (DESIGN §13; guide: docs/idempotency.md, "Across replicas").
 *
 * `ioredis` is an optional peer dependency: this entry never imports it (the client is passed in
 * and typed structurally), so it loads whether or not ioredis is installed.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisIdempotencyStore } from 'kube-lifecycle/redis';
 * const store = new RedisIdempotencyStore({ client: new Redis(process.env.REDIS_URL!) });
 * ```
 * @module
 */
export type { RedisStoreErrorCode } from './errors.js';
export { RedisStoreError } from './errors.js';
export type { RedisIdempotencyClient } from './redis-client.js';
export type { RedisIdempotencyStoreOptions } from './redis-idempotency-store.js';
export {
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  RedisIdempotencyStore,
} from './redis-idempotency-store.js';

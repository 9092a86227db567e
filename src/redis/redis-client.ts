/**
 * The few Redis commands the store sends, as a structural type: an `ioredis` `Redis` or `Cluster`
 * client satisfies it as it is, so `kube-lifecycle/redis` never imports `ioredis` (an optional
 * peer dependency: install it yourself and pass the client in).
 *
 * @module
 */

/**
 * What `RedisIdempotencyStore` needs of a Redis client (ioredis signatures). Every command
 * touches exactly one key, so a Redis Cluster client works too.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: RedisIdempotencyClient = new Redis(process.env.REDIS_URL!);
 * ```
 */
export interface RedisIdempotencyClient {
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `SET key value PX ms NX`: `'OK'` when set, `null` when the key exists. */
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<'OK' | null>;
  /** `SET key value PX ms`. */
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<'OK'>;
  /** `SET key value` (no expiry). */
  set(key: string, value: string): Promise<'OK'>;
  /** `DEL key`. */
  del(key: string): Promise<number>;
  /** `EVAL script 1 key arg…`: the owner-checked release and the completion script. */
  eval(script: string, numberOfKeys: 1, key: string, ...args: Array<string | number>): Promise<unknown>;
}

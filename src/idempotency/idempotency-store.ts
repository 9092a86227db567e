/**
 * The idempotency store port: where {@link idempotent} remembers completed deliveries.
 *
 * It sits after the handler: the wrapper asks `get(key)` before running a delivery and calls
 * `set(key, record, { ttlMs })` once the handler has succeeded. Records are plain data, so a store
 * can keep them in memory ({@link MemoryIdempotencyStore}), in Redis, a database table or a file.
 *
 * @module
 */
import { LifecycleError } from '../errors.js';

/**
 * What the store keeps per key: the outcome of one completed delivery. Plain data; a
 * serialising store must round-trip it (JSON is enough when `value` is JSON).
 *
 * Only `'completed'` exists today. A store returns records as given; the wrapper rejects a record
 * of any other shape with an {@link IdempotencyStoreError} rather than run the handler again.
 *
 * @example
 * ```ts
 * const record: IdempotencyRecord = { state: 'completed', value: { drained: 3 }, completedAt: 12_000 };
 * ```
 */
export interface IdempotencyRecord<T = unknown> {
  readonly state: 'completed';
  /** The handler's resolved value, replayed to later duplicates. */
  readonly value: T;
  /** `clock.now()` of the wrapper's clock when the handler succeeded. Informative only. */
  readonly completedAt: number;
}

/** Options of {@link IdempotencyStore.set}. */
export interface IdempotencySetOptions {
  /**
   * How long the record lives, in milliseconds from now. After that `get` must return
   * `undefined`. Omitted: the store's own default.
   */
  readonly ttlMs?: number;
}

/**
 * Async key–value storage with expiry for {@link idempotent}. Implement it to share completed
 * deliveries between processes (Redis `SET key value PX ttl`, a table with an `expires_at`
 * column, …). Methods reject only when the storage itself fails; the wrapper then surfaces an
 * {@link IdempotencyStoreError} and never silently runs the handler a second time.
 *
 * Concurrency: the wrapper shares one run among concurrent duplicates **within one process**
 * (an in-flight map). Two processes sharing a store can both miss on `get` and both run; an atomic
 * claim (`setIfAbsent`, Redis `SET NX`) would close that gap and may be added to this port later as
 * an optional member.
 *
 * @example
 * ```ts
 * const map = new Map<string, IdempotencyRecord>();
 * const store: IdempotencyStore = {
 *   get: async (key) => map.get(key),                 // (no expiry: a toy)
 *   set: async (key, record) => void map.set(key, record),
 *   delete: async (key) => void map.delete(key),
 * };
 * ```
 */
export interface IdempotencyStore {
  /** The live record of `key`, or `undefined` when there is none or it has expired. */
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Store (or replace) the record of `key`, to expire `options.ttlMs` from now. */
  set(key: string, record: IdempotencyRecord, options: IdempotencySetOptions): Promise<void>;
  /** Forget `key` (no error if absent). Lets an operator force the next delivery to run. */
  delete(key: string): Promise<void>;
}

/** Which store call failed, in an {@link IdempotencyStoreError}. */
export type IdempotencyStoreOperation = 'get' | 'set';

/**
 * The idempotency store failed (rejected, or returned a record of an unknown shape). `cause`
 * keeps the store's own error.
 *
 * - `operation: 'get'`: the handler did **not** run for this delivery.
 * - `operation: 'set'`: the handler **did** run and succeeded, but its result could not be
 *   remembered, so a later duplicate may run it again. `value` holds the handler's result.
 *
 * @example
 * ```ts
 * try { await onPreStop(request) } catch (error) {
 *   if (error instanceof IdempotencyStoreError && error.operation === 'get') retryLater();
 * }
 * ```
 */
export class IdempotencyStoreError extends LifecycleError {
  override readonly name = 'IdempotencyStoreError';
  readonly operation: IdempotencyStoreOperation;
  readonly key: string;
  /** The handler's result when `operation` is `'set'`; `undefined` otherwise. */
  readonly value: unknown;

  constructor(
    operation: IdempotencyStoreOperation,
    key: string,
    detail: string,
    options?: { cause?: unknown; value?: unknown },
  ) {
    const consequence =
      operation === 'set'
        ? 'the handler ran and succeeded but its result was not remembered, so a duplicate may run it again'
        : 'the handler was not run for this delivery';
    super(
      'ERR_IDEMPOTENCY_STORE',
      `idempotency store ${operation}(${JSON.stringify(key)}) failed: ${detail}; ${consequence}`,
      options !== undefined && 'cause' in options ? { cause: options.cause } : undefined,
    );
    this.operation = operation;
    this.key = key;
    this.value = options?.value;
  }
}

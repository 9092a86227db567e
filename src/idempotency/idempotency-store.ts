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
 * Default lease of a claim: 30 s, the default `terminationGracePeriodSeconds`, so a preStop
 * handler cut off by the grace period never holds its claim much longer than the kubelet waits.
 */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 30_000;

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
  readonly ttlMs?: number | undefined;
  /**
   * Set by `idempotent()` when it completes a delivery it claimed: the claim's owner. A store
   * with `claim` then completes rather than replaces: a live record already there (another
   * replica completed first, after this one's lease ran out) is kept, so every replay sees the
   * first result; any claim on the key is replaced by the record. Without `owner`, `set` replaces.
   */
  readonly owner?: string | undefined;
}

/**
 * Async key–value storage with expiry for {@link idempotent}. Implement it to share completed
 * deliveries between processes (Redis `SET key value PX ttl`, a table with an `expires_at`
 * column, …). Methods reject only when the storage itself fails; the wrapper then surfaces an
 * {@link IdempotencyStoreError} and never silently runs the handler a second time.
 *
 * Concurrency: the wrapper shares one run among concurrent duplicates **within one process**
 * (an in-flight map). Across processes, a store that also has the optional `claim`/`release` pair
 * (DESIGN §13) lets the wrapper claim a delivery before running it, so two replicas sharing the
 * store never run it at once (within the lease). Without them two processes can both miss on `get`
 * and both run.
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
  /**
   * Atomically claim `key` for `options.owner` for `options.leaseMs` (optional; present together
   * with {@link IdempotencyStore.release}):
   * - a live record → `{ status: 'completed', record }` (nothing claimed);
   * - a live claim, of any owner (this one included: claims are not re-entrant) → `{ status: 'busy' }`;
   * - otherwise the claim is taken, to expire `leaseMs` from now → `{ status: 'claimed' }`.
   *
   * A claim is invisible to `get` (which still returns `undefined`); `set` replaces it with the record.
   */
  claim?(key: string, options: IdempotencyClaimOptions): Promise<IdempotencyClaim>;
  /** Drop the claim on `key` if `owner` still holds it; otherwise (another owner's claim, a record, nothing) do nothing. */
  release?(key: string, owner: string): Promise<void>;
  /**
   * The lease `idempotent()` claims with when its own `leaseMs` option is omitted (optional).
   * @default 30_000 in the wrapper when the store does not say
   */
  readonly leaseMs?: number;
}

/** Options of {@link IdempotencyStore.claim}. */
export interface IdempotencyClaimOptions {
  /** How long the claim holds, in milliseconds from now, unless released or completed first. */
  readonly leaseMs: number;
  /** Who claims: unique per replica/wrapper; `release` and completion are checked against it. */
  readonly owner: string;
}

/** The answer of {@link IdempotencyStore.claim}. */
export type IdempotencyClaim =
  | { readonly status: 'claimed' }
  | { readonly status: 'busy' }
  | { readonly status: 'completed'; readonly record: IdempotencyRecord };

/** Which store call failed, in an {@link IdempotencyStoreError}. */
export type IdempotencyStoreOperation = 'get' | 'set' | 'claim' | 'release';

const CONSEQUENCES: Readonly<Record<IdempotencyStoreOperation, string>> = {
  get: 'the handler was not run for this delivery',
  claim: 'the handler was not run for this delivery',
  set: 'the handler ran and succeeded but its result was not remembered, so a duplicate may run it again',
  release:
    'the handler failed (see handlerError) and its claim could not be dropped, so a retry waits until the lease ends',
};

/**
 * The idempotency store failed (rejected, or returned a record of an unknown shape). `cause`
 * keeps the store's own error.
 *
 * - `operation: 'get'` or `'claim'`: the handler did **not** run for this delivery.
 * - `operation: 'set'`: the handler **did** run and succeeded, but its result could not be
 *   remembered, so a later duplicate may run it again. `value` holds the handler's result.
 * - `operation: 'release'`: the handler ran and **failed** (`handlerError`), and its claim could
 *   not be dropped: a retry can run only once the lease has ended.
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
  /** The handler's own failure when `operation` is `'release'`; `undefined` otherwise. */
  readonly handlerError: unknown;

  constructor(
    operation: IdempotencyStoreOperation,
    key: string,
    detail: string,
    options?: { cause?: unknown; value?: unknown; handlerError?: unknown },
  ) {
    super(
      'ERR_IDEMPOTENCY_STORE',
      `idempotency store ${operation}(${JSON.stringify(key)}) failed: ${detail}; ${CONSEQUENCES[operation]}`,
      options !== undefined && 'cause' in options ? { cause: options.cause } : undefined,
    );
    this.operation = operation;
    this.key = key;
    this.value = options?.value;
    this.handlerError = options?.handlerError;
  }
}

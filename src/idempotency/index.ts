/**
 * At-least-once helpers for hook authors (spec §6, DESIGN §9): delivery keys, the idempotency
 * store port with an in-memory implementation on the injected clock, and the `idempotent()`
 * wrapper. Guide: `docs/idempotency.md`.
 *
 * @example
 * ```ts
 * import { idempotent, MemoryIdempotencyStore, hookDeliveryKey, systemClock } from 'kube-lifecycle';
 *
 * const store = new MemoryIdempotencyStore({ clock: systemClock });
 * const onPreStop = idempotent(drain, {
 *   store,
 *   key: () => hookDeliveryKey({ podUID, containerName: 'web', containerID, hook: 'PreStop' }),
 * });
 * ```
 * @module
 */
export type { HookDeliveryKeyParts, RestartCountOptions } from './delivery-key.js';
export { hookDeliveryKey, hookDeliveryKeyForRestart } from './delivery-key.js';
export type {
  IdempotencyClaim,
  IdempotencyClaimOptions,
  IdempotencyRecord,
  IdempotencySetOptions,
  IdempotencyStore,
  IdempotencyStoreOperation,
} from './idempotency-store.js';
export { DEFAULT_IDEMPOTENCY_LEASE_MS, IdempotencyStoreError } from './idempotency-store.js';
export type { IdempotentOptions } from './idempotent.js';
export { DEFAULT_IDEMPOTENCY_POLL_MS, idempotent } from './idempotent.js';
export type { MemoryIdempotencyStoreOptions } from './memory-idempotency-store.js';
export {
  DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MemoryIdempotencyStore,
} from './memory-idempotency-store.js';

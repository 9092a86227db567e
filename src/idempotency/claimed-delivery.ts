/**
 * One delivery through a store that can claim (DESIGN §13): claim, then run and complete, replay,
 * or wait for the holder. Used by `idempotent()` when the store has `claim` and `release`.
 *
 * @module
 */
import { errorText } from '../errors.js';
import { type Clock, sleepOn } from '../ports/clock.js';
import {
  type IdempotencyClaim,
  type IdempotencyRecord,
  type IdempotencyStore,
  IdempotencyStoreError,
  type IdempotencyStoreOperation,
} from './idempotency-store.js';

/** A store with both optional members present. */
export type ClaimingStore = IdempotencyStore & Required<Pick<IdempotencyStore, 'claim' | 'release'>>;

/** Whether `store` has the claim pair (both members, as DESIGN §13 requires). */
export function canClaim(store: IdempotencyStore): store is ClaimingStore {
  return typeof store.claim === 'function' && typeof store.release === 'function';
}

/** Everything one claimed delivery needs. */
export interface ClaimPlan {
  readonly store: ClaimingStore;
  readonly key: string;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly maxWaitMs: number;
  readonly ttlMs: number | undefined;
}

/** Call the store, turning a rejection (or a synchronous throw) into an {@link IdempotencyStoreError}. */
export async function callStore<T>(
  operation: IdempotencyStoreOperation,
  key: string,
  call: () => Promise<T>,
  extra: { value?: unknown; handlerError?: unknown } = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new IdempotencyStoreError(operation, key, errorText(error), { cause: error, ...extra });
  }
}

/** The record's value, or an {@link IdempotencyStoreError} for a record of an unknown shape. */
export function replay(operation: IdempotencyStoreOperation, key: string, record: unknown): unknown {
  if (typeof record !== 'object' || record === null || (record as { state?: unknown }).state !== 'completed') {
    throw new IdempotencyStoreError(
      operation,
      key,
      "it returned a record that is not { state: 'completed', value, completedAt }",
      { cause: record },
    );
  }
  return (record as IdempotencyRecord).value;
}

/**
 * Claim `plan.key` and act on the answer:
 * - `claimed` → run, then `set` the record with the owner (a failed run is released);
 * - `completed` → replay the record;
 * - `busy` → wait `pollMs` on the clock and claim again. A poll sees the record once the holder
 *   completes (replay), a released claim or an ended lease (claimed: run). After `maxWaitMs` of
 *   `busy` it gives up with an {@link IdempotencyStoreError} (`operation: 'claim'`), so a
 *   never-ending claim (a broken store) is never a hang.
 */
export async function deliverClaimed<R>(plan: ClaimPlan, run: () => R | Promise<R>): Promise<R> {
  const { store, key, clock, owner, leaseMs } = plan;
  let busySince: number | undefined;
  for (;;) {
    let claim: IdempotencyClaim;
    try {
      claim = await store.claim(key, { leaseMs, owner });
    } catch (error) {
      // The claim may have been taken before the failure was reported (a timed-out reply): drop
      // it if it is ours, so duplicates need not wait for the lease. Best effort: the store is failing.
      Promise.resolve()
        .then(() => store.release(key, owner))
        .catch(() => undefined);
      throw new IdempotencyStoreError('claim', key, errorText(error), { cause: error });
    }
    const status = (claim as { status?: unknown } | undefined)?.status;
    if (status === 'completed') return replay('claim', key, (claim as { record?: unknown }).record) as R;
    if (status === 'claimed') return runClaimed(plan, run);
    if (status !== 'busy') {
      throw new IdempotencyStoreError(
        'claim',
        key,
        `it answered ${describe(claim)}; expected { status: 'claimed' | 'busy' } or { status: 'completed', record }`,
        { cause: claim },
      );
    }
    const now = clock.now();
    busySince ??= now;
    const waited = now - busySince;
    if (waited >= plan.maxWaitMs) {
      throw new IdempotencyStoreError(
        'claim',
        key,
        `the delivery was still claimed by another owner after ${waited} ms (maxWaitMs ${plan.maxWaitMs}); ` +
          'its holder may still complete it. Raise maxWaitMs, or check that every store expires claims after their lease',
      );
    }
    await sleepOn(clock, Math.min(plan.pollMs, plan.maxWaitMs - waited));
  }
}

async function runClaimed<R>(plan: ClaimPlan, run: () => R | Promise<R>): Promise<R> {
  const { store, key, clock, owner, ttlMs } = plan;
  let value: R;
  try {
    value = await run();
  } catch (handlerError) {
    await callStore('release', key, () => store.release(key, owner), { handlerError });
    throw handlerError;
  }
  const record: IdempotencyRecord<R> = { state: 'completed', value, completedAt: clock.now() };
  await callStore('set', key, () => store.set(key, record, ttlMs === undefined ? { owner } : { ttlMs, owner }), {
    value,
  });
  return value;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

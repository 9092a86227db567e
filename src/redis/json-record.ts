/**
 * JSON encoding of the Redis store's values: a completed record, or a claim. One string per key.
 *
 * @module
 */
import type { IdempotencyRecord } from '../idempotency/idempotency-store.js';
import { RedisStoreError } from './errors.js';

/** What a store key holds once decoded. */
export type StoredValue =
  | { readonly state: 'completed'; readonly record: IdempotencyRecord }
  | { readonly state: 'claimed'; readonly owner: string };

/** The exact string a claim of `owner` is stored as (compared verbatim by the release script). */
export function encodeClaim(owner: string): string {
  return JSON.stringify({ state: 'claimed', owner });
}

/**
 * The JSON of a completed record, or a `RedisStoreError` (`ERR_NOT_JSON`) naming the first part
 * of `record.value` that JSON would change or drop: `undefined` in an array, a non-finite number,
 * a bigint, function or symbol, a class instance (Date, Map, Set, Buffer…), a sparse array, a
 * cycle. (`undefined` as the whole value, or as an object property, reads back the same: allowed.)
 */
export function encodeRecord(redisKey: string, record: IdempotencyRecord): string {
  const problem = jsonProblem(record.value, 'value', new Set());
  if (problem !== undefined) {
    throw new RedisStoreError(
      'ERR_NOT_JSON',
      redisKey,
      `cannot store the handler's result at ${JSON.stringify(redisKey)}: ${problem}, which does not survive JSON ` +
        '(the store keeps records as JSON). Return plain data from the handler: objects, arrays, strings, finite numbers, booleans, null',
    );
  }
  const completedAt = record.completedAt;
  return JSON.stringify({ state: 'completed', value: record.value, completedAt });
}

/** Decode a stored string; a `RedisStoreError` (`ERR_REDIS_DATA`) when it is not this store's. */
export function decodeStored(redisKey: string, text: string): StoredValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw dataError(redisKey, text, error);
  }
  const value = parsed as { state?: unknown; owner?: unknown; completedAt?: unknown };
  if (typeof parsed === 'object' && parsed !== null) {
    if (value.state === 'claimed' && typeof value.owner === 'string') return { state: 'claimed', owner: value.owner };
    if (value.state === 'completed') {
      const record = parsed as IdempotencyRecord;
      return {
        state: 'completed',
        record: { state: 'completed', value: record.value, completedAt: record.completedAt },
      };
    }
  }
  throw dataError(redisKey, text);
}

function dataError(redisKey: string, text: string, cause?: unknown): RedisStoreError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new RedisStoreError(
    'ERR_REDIS_DATA',
    redisKey,
    `the value at ${JSON.stringify(redisKey)} is ${JSON.stringify(shown)}, not a record or claim of this store; ` +
      'does another program write under the same keyPrefix? Use a keyPrefix of its own',
    cause === undefined ? undefined : { cause },
  );
}

function jsonProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}`;
    case 'undefined':
      return undefined; // only reached for the whole value or an object property; arrays check below
    case 'bigint':
    case 'function':
    case 'symbol':
      return `${path} is a ${typeof value}`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (seen.has(object)) return `${path} refers back to itself (a cycle)`;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        if (!(i in object)) return `${path}[${i}] is a hole in a sparse array`;
        if (object[i] === undefined) return `${path}[${i}] is undefined (JSON turns it into null)`;
        const inner = jsonProblem(object[i], `${path}[${i}]`, seen);
        if (inner !== undefined) return inner;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'a class';
      return `${path} is a ${name} instance`;
    }
    if (Object.getOwnPropertySymbols(object).length > 0) return `${path} has symbol keys`;
    for (const [name, inner] of Object.entries(object)) {
      const problem = jsonProblem(inner, `${path}.${name}`, seen);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}

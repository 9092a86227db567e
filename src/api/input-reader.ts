/**
 * Internal helpers to read untrusted input (parsed YAML/JSON, client-node objects, garbage)
 * without throwing, without touching prototypes, and with typed field errors.
 *
 * @internal
 * @module
 */
import { type FieldError, tooMany, typeInvalid } from './field-error.js';

/** A non-array, non-null object. */
export type UnknownRecord = Readonly<Record<string, unknown>>;

/** True for a non-null object that is not an array. */
export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an *own* property only (never `__proto__`/`constructor` from the prototype chain). */
export function own(record: UnknownRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `null` and `undefined` both mean "not set" (Go decodes JSON `null` into a nil pointer/zero value). */
export function isUnset(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Type error detail strings (one place, so docs and tests agree). */
export const TYPE_DETAIL = {
  object: 'must be of type object',
  array: 'must be of type array',
  string: 'must be of type string',
  integer: 'must be of type integer',
  intOrString: 'must be of type integer or string',
  safeInteger: `must be a safe integer (between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER})`,
  int32: 'must be a 32-bit integer (between -2147483648 and 2147483647)',
  dense: 'must not have holes (a sparse array cannot come from JSON)',
} as const;

/**
 * What is left of the list items one validation may walk ({@link readList}); shared by every list
 * of one pod so that the total work stays bounded.
 */
export interface ListBudget {
  remaining: number;
}

/** An object at `path`, `undefined` when unset, or a TypeInvalid error (and `undefined`). */
export function readObject(errors: FieldError[], value: unknown, path: string): UnknownRecord | undefined {
  if (isUnset(value)) return undefined;
  if (isRecord(value)) return value;
  errors.push(typeInvalid(path, value, TYPE_DETAIL.object));
  return undefined;
}

/** An array at `path`, `undefined` when unset, or a TypeInvalid error (and `undefined`). */
export function readArray(errors: FieldError[], value: unknown, path: string): readonly unknown[] | undefined {
  if (isUnset(value)) return undefined;
  if (Array.isArray(value)) return value;
  errors.push(typeInvalid(path, value, TYPE_DETAIL.array));
  return undefined;
}

/** A string at `path`, `undefined` when unset, or a TypeInvalid error (and `undefined`). */
export function readString(errors: FieldError[], value: unknown, path: string): string | undefined {
  if (isUnset(value)) return undefined;
  if (typeof value === 'string') return value;
  errors.push(typeInvalid(path, value, TYPE_DETAIL.string));
  return undefined;
}

/**
 * Checks that a number is an integer Go's `int64` would hold exactly in JavaScript: a safe
 * integer. Returns the error detail, or `undefined` when it is fine.
 */
export function integerProblem(value: number): string | undefined {
  if (!Number.isInteger(value)) return TYPE_DETAIL.integer;
  if (!Number.isSafeInteger(value)) return TYPE_DETAIL.safeInteger;
  return undefined;
}

/** A safe integer at `path`, `undefined` when unset, or a TypeInvalid error (and `undefined`). */
export function readInteger(errors: FieldError[], value: unknown, path: string): number | undefined {
  if (isUnset(value)) return undefined;
  const problem = typeof value === 'number' ? integerProblem(value) : TYPE_DETAIL.integer;
  if (problem === undefined) return value as number;
  errors.push(typeInvalid(path, value, problem));
  return undefined;
}

/**
 * An array at `path` that validation may walk: `undefined` when unset, of the wrong type (a
 * TypeInvalid error), longer than `max` (a TooMany error with the limit) or longer than what is
 * left of `budget` (a TooMany error with what is left), or sparse (one TypeInvalid error for the
 * list, found at its first hole: JSON has no holes, and one error per hole would be unbounded
 * work). A list that was looked at is charged to the budget.
 */
export function readList(
  errors: FieldError[],
  value: unknown,
  path: string,
  max: number,
  budget: ListBudget | undefined,
): readonly unknown[] | undefined {
  const list = readArray(errors, value, path);
  if (list === undefined) return undefined;
  if (list.length > max) {
    errors.push(tooMany(path, list.length, max));
    return undefined;
  }
  if (budget !== undefined) {
    if (list.length > budget.remaining) {
      errors.push(tooMany(path, list.length, budget.remaining));
      return undefined;
    }
    budget.remaining -= list.length;
  }
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) {
      errors.push(typeInvalid(path, list, TYPE_DETAIL.dense));
      return undefined;
    }
  }
  return list;
}

/** A Go `int32` at `path`: `undefined` when unset, or a TypeInvalid error (and `undefined`). */
export function readInt32(errors: FieldError[], value: unknown, path: string): number | undefined {
  const integer = readInteger(errors, value, path);
  if (integer === undefined) return undefined;
  if (integer >= -2147483648 && integer <= 2147483647) return integer;
  errors.push(typeInvalid(path, value, TYPE_DETAIL.int32));
  return undefined;
}

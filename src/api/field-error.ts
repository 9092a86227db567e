/**
 * Kubernetes `field.Error` (apimachinery `util/validation/field/errors.go`), rendered exactly as
 * the API server renders it (spec §2, "Error string format"). Constructors mirror the Go ones
 * (`field.Required`, `field.Invalid`, …) and compute `message` once.
 *
 * @module
 */

import { errorText } from '../errors.js';
import { formatGoValue, goQuote } from './go-format.js';

/** The Kubernetes error type names (`field.ErrorType`). */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** One validation problem, with its field path and the API server's rendered message. */
export interface FieldError {
  /** Kubernetes error type name, e.g. `FieldValueInvalid`. */
  readonly type: FieldErrorType;
  /** Field path, e.g. `spec.containers[0].lifecycle.preStop.httpGet.port`. */
  readonly field: string;
  /** The offending value (omitted from the message for Required/Forbidden/…). */
  readonly badValue: unknown;
  /** Extra explanation; may be empty. */
  readonly detail: string;
  /** `<field>: <body>` exactly as the API server prints it. */
  readonly message: string;
}

/** `ErrorType.String()`: the fixed first words of each error body. */
export const FIELD_ERROR_TYPE_TEXT: Readonly<Record<FieldErrorType, string>> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/**
 * `(*field.Error).ErrorBody()`: the message without the field path. Required, Forbidden, TooLong
 * and Internal print no value; every other type prints `<Type text>: <value>` (Go formatting, see
 * {@link formatGoValue}); then `: <detail>` when the detail is non-empty. A `FieldValueTooMany`
 * whose `badValue` is `undefined` omits the value (Go's `omitValue`, used for an unknown count).
 *
 * @example renderErrorBody({ type: 'FieldValueInvalid', badValue: 0, detail: 'must be between 1 and 65535, inclusive' })
 * // 'Invalid value: 0: must be between 1 and 65535, inclusive'
 */
export function renderErrorBody(error: Pick<FieldError, 'type' | 'badValue' | 'detail'>): string {
  let body = FIELD_ERROR_TYPE_TEXT[error.type] ?? String(error.type);
  switch (error.type) {
    case 'FieldValueRequired':
    case 'FieldValueForbidden':
    case 'FieldValueTooLong':
    case 'InternalError':
      break;
    default:
      if (!(error.type === 'FieldValueTooMany' && error.badValue === undefined)) {
        body += `: ${formatGoValue(error.badValue)}`;
      }
  }
  if (error.detail.length > 0) body += `: ${error.detail}`;
  return body;
}

/** `(*field.Error).Error()`: `<field>: <body>`. */
export function renderFieldError(error: Pick<FieldError, 'type' | 'field' | 'badValue' | 'detail'>): string {
  return `${error.field}: ${renderErrorBody(error)}`;
}

/** Builds a frozen {@link FieldError} with its rendered `message`. */
export function makeFieldError(type: FieldErrorType, field: string, badValue: unknown, detail: string): FieldError {
  const error = { type, field, badValue, detail };
  return Object.freeze({ ...error, message: renderFieldError(error) });
}

/** `field.Required`: a value that must be present is missing or empty. `badValue` is `""` as in Go. */
export function required(field: string, detail = ''): FieldError {
  return makeFieldError('FieldValueRequired', field, '', detail);
}

/** `field.Invalid`: a malformed value (out of range, failed pattern, …). */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return makeFieldError('FieldValueInvalid', field, value, detail);
}

/**
 * `field.NotSupported`: a value outside an enumeration. The detail is
 * `supported values: "A", "B"` (each Go-quoted, in the order given), or empty without values.
 */
export function notSupported(field: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return makeFieldError('FieldValueNotSupported', field, value, detail);
}

/** `field.Forbidden`: a valid value not allowed here. `badValue` is `""` as in Go. */
export function forbidden(field: string, detail: string): FieldError {
  return makeFieldError('FieldValueForbidden', field, '', detail);
}

/**
 * `field.TypeInvalid`: the value has the wrong JSON type (rendered `Invalid value: <v>: <detail>`,
 * like Invalid, but typed `FieldValueTypeInvalid`).
 */
export function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return makeFieldError('FieldValueTypeInvalid', field, value, detail);
}

/** `field.Duplicate`: a value that must be unique (e.g. a container name) repeats. */
export function duplicate(field: string, value: unknown): FieldError {
  return makeFieldError('FieldValueDuplicate', field, value, '');
}

/** `field.NotFound`: a referenced value does not exist. */
export function notFound(field: string, value: unknown): FieldError {
  return makeFieldError('FieldValueNotFound', field, value, '');
}

/**
 * `field.TooLong` as apimachinery 1.35 words it: `may not be more than <n> bytes` (`byte` for 1;
 * `value is too long` for a negative limit). The value is not printed. Kubernetes also uses it for
 * lists (1.35's too many `restartPolicyRules`, k/k#137135), hence "bytes" there too.
 */
export function tooLong(field: string, value: unknown, maxLength: number): FieldError {
  const detail =
    maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return makeFieldError('FieldValueTooLong', field, value, detail);
}

/**
 * `field.TooMany`: a list has more than `maxQuantity` items. A negative `actualQuantity` omits the
 * count from the message; a negative `maxQuantity` gives the detail `has too many items`.
 */
export function tooMany(field: string, actualQuantity: number, maxQuantity: number): FieldError {
  const detail = maxQuantity >= 0 ? `must have at most ${maxQuantity} items` : 'has too many items';
  return makeFieldError('FieldValueTooMany', field, actualQuantity >= 0 ? actualQuantity : undefined, detail);
}

/** `field.InternalError`: a failure not caused by the input's content (detail = the error text). */
export function internalError(field: string, error: unknown): FieldError {
  return makeFieldError('InternalError', field, null, errorText(error));
}

/**
 * The API server's message for an invalid object (`apierrors.NewInvalid` with
 * `ErrorList.ToAggregate()`): `Pod "<name>" is invalid: <aggregate>`, where the aggregate drops
 * repeated messages, prints a single error bare and several as `[e1, e2, …]`. The name is
 * Go-quoted. An empty list prints `<nil>`, as Go does for a nil aggregate.
 *
 * @example aggregateMessage('web', errors) // 'Pod "web" is invalid: spec.containers: Required value'
 */
export function aggregateMessage(
  podName: string,
  errors: readonly Pick<FieldError, 'message'>[],
  kind = 'Pod',
): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const error of errors) {
    if (seen.has(error.message)) continue;
    seen.add(error.message);
    messages.push(error.message);
  }
  let aggregate: string;
  if (messages.length === 0) aggregate = '<nil>';
  else if (messages.length === 1) aggregate = messages[0] ?? '';
  else aggregate = `[${messages.join(', ')}]`;
  return `${kind} ${goQuote(podName)} is invalid: ${aggregate}`;
}

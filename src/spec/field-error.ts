/**
 * Kubernetes `field.Error` (apimachinery `util/validation/field/errors.go`), rendered exactly as
 * the API server renders it (spec §2, "Error string format").
 */

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

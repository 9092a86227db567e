/**
 * `validateLivenessProbe` / `validateReadinessProbe` / `validateStartupProbe` and `validateProbe`
 * (spec pod §2.2), as `pkg/apis/core/validation/validation.go` [V] has them: the handler (exactly
 * one of exec, httpGet, tcpSocket, grpc), five non-negative numbers, probe-level grace > 0, then
 * the per-kind rules.
 *
 * @module
 */
import { applyProbeDefaults, type PROBE_FIELDS } from './defaulting.js';
import { type FieldError, invalid, typeInvalid } from './field-error.js';
import { isRecord, isUnset, own, readInt32, readInteger, TYPE_DETAIL } from './input-reader.js';
import { type HandlerValidationOptions, PROBE_HANDLER_FIELDS, validateHandlerFields } from './validate-handler.js';

/** Which probe of a container: `livenessProbe`, `readinessProbe` or `startupProbe`. */
export type ProbeField = (typeof PROBE_FIELDS)[number];

/** The probe numbers `validateProbe` checks with `ValidateNonnegativeField`, in its order. */
export const PROBE_NUMBER_FIELDS = [
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
] as const;

/** `ValidateNonnegativeField`'s detail (apimachinery `api/validation/generic.go`). */
const NON_NEGATIVE = 'must be greater than or equal to 0';

/**
 * Validates one probe at `path` (e.g. `spec.containers[0].livenessProbe`) as the API server does
 * after defaulting (spec pod §2.2):
 * - the handler as `validateHandler` with `handlerFromProbe` (exec, httpGet, tcpSocket, grpc;
 *   none → `Required: must specify a handler type`, later ones `Forbidden`);
 * - `initialDelaySeconds`, `timeoutSeconds`, `periodSeconds`, `successThreshold`,
 *   `failureThreshold`: `Invalid value: -1: must be greater than or equal to 0`;
 * - `terminationGracePeriodSeconds` ≤ 0: `Invalid value: 0: must be greater than 0`;
 * - liveness and startup: `successThreshold` ≠ 1 → `Invalid value: 2: must be 1`;
 * - readiness: `terminationGracePeriodSeconds` set → `must not be set for readinessProbes`, in
 *   addition to "must be greater than 0" when it is ≤ 0 (Go reports both).
 *
 * Applies {@link applyProbeDefaults} first, so unset numbers are valid. `gracePeriod` is unused by
 * probes (no sleep handler) and passed through as Go does. Never throws.
 */
export function validateProbe(
  probe: unknown,
  kind: ProbeField,
  path: string,
  options: HandlerValidationOptions = {},
): FieldError[] {
  if (isUnset(probe)) return [];
  if (!isRecord(probe)) return [typeInvalid(path, probe, TYPE_DETAIL.object)];
  const defaulted = applyProbeDefaults(probe);
  const errors = validateHandlerFields(defaulted, PROBE_HANDLER_FIELDS, undefined, path, options);
  const numbers = new Map<string, number>();
  for (const field of PROBE_NUMBER_FIELDS) {
    const value = readInt32(errors, own(defaulted, field), `${path}.${field}`);
    if (value === undefined) continue;
    numbers.set(field, value);
    if (value < 0) errors.push(invalid(`${path}.${field}`, value, NON_NEGATIVE));
  }
  const gracePath = `${path}.terminationGracePeriodSeconds`;
  const rawGrace = own(defaulted, 'terminationGracePeriodSeconds');
  const grace = readInteger(errors, rawGrace, gracePath);
  if (grace !== undefined && grace <= 0) errors.push(invalid(gracePath, grace, 'must be greater than 0'));
  if (kind === 'readinessProbe') {
    // validateReadinessProbe: any set value, after validateProbe's own check (both errors).
    if (grace !== undefined) errors.push(invalid(gracePath, grace, 'must not be set for readinessProbes'));
  } else {
    // Go decodes a missing successThreshold as 0, which defaulting made 1.
    const successThreshold = numbers.get('successThreshold');
    if (successThreshold !== undefined && successThreshold !== 1) {
      errors.push(invalid(`${path}.successThreshold`, successThreshold, 'must be 1'));
    }
  }
  return errors;
}

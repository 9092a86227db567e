/**
 * `validateLifecycle` (spec §2 rules 1–5 and 9): both hooks and `stopSignal`.
 *
 * @module
 */
import { applyLifecycleDefaults, HOOK_FIELDS } from './defaulting.js';
import { type FeatureGates, resolveFeatureGates } from './drop-disabled-fields.js';
import { type FieldError, forbidden, internalError, notSupported, typeInvalid } from './field-error.js';
import { isRecord, isUnset, own, readObject, TYPE_DETAIL } from './input-reader.js';
import { SIGNAL_NAMES } from './types.js';
import { type HandlerValidationOptions, validateHandler } from './validate-handler.js';

/** Options of {@link validateLifecycle}. */
export interface LifecycleValidationOptions extends HandlerValidationOptions {
  /**
   * The pod's `spec.terminationGracePeriodSeconds` (after defaulting), the upper bound of
   * `sleep.seconds`. `undefined` stands for a nil grace period: sleep bounds are then not checked
   * (the API server reports the missing grace period once, at pod level).
   */
  readonly terminationGracePeriodSeconds?: number | undefined;
  /**
   * The pod's `spec.os.name`. `undefined` means `spec.os` is not set, which makes any
   * `stopSignal` forbidden; `"linux"` allows every signal of the enum, `"windows"` only SIGKILL and
   * SIGTERM; any other value (already reported at `spec.os`) skips the signal check.
   */
  readonly osName?: string | undefined;
  /**
   * Only `ContainerStopSignals` matters here: `false` skips `stopSignal` (the API server drops the
   * field before validating). @default { ContainerStopSignals: true }
   */
  readonly featureGates?: FeatureGates | undefined;
}

/** Stop signals a Linux pod may use, as `sets.List` prints them (sorted by byte order). */
export const LINUX_STOP_SIGNALS: readonly string[] = [...SIGNAL_NAMES].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Stop signals a Windows pod may use (KEP-4960): SIGKILL and SIGTERM. */
export const WINDOWS_STOP_SIGNALS: readonly string[] = ['SIGKILL', 'SIGTERM'];

/**
 * `validateStopSignal` (spec §2 rule 9; ≥1.33, gate `ContainerStopSignals`), as the current
 * `validation.go` has it: `Forbidden` without `spec.os` (`may not be set for containers with empty
 * \`spec.os.name\``); on Linux any signal of the enum, on Windows SIGKILL and SIGTERM, anything else
 * (`""` included: Go has no separate empty check) `NotSupported` with the OS's sorted list; any
 * other OS name (already reported at `spec.os`) is not checked.
 */
export function validateStopSignal(stopSignal: unknown, path: string, osName: string | undefined): FieldError[] {
  if (typeof stopSignal !== 'string') return [typeInvalid(path, stopSignal, TYPE_DETAIL.string)];
  if (osName === undefined) return [forbidden(path, 'may not be set for containers with empty `spec.os.name`')];
  const allowed = osName === 'windows' ? WINDOWS_STOP_SIGNALS : osName === 'linux' ? LINUX_STOP_SIGNALS : undefined;
  if (allowed === undefined) return [];
  return allowed.includes(stopSignal) ? [] : [notSupported(path, stopSignal, allowed)];
}

/** The field path `validateLifecycle` reports under when none is given. */
export const DEFAULT_LIFECYCLE_PATH = 'lifecycle';

/**
 * Validates one container's `lifecycle` at `fieldPath` (e.g. `spec.containers[0].lifecycle`;
 * default `lifecycle`; the options may come second instead), as
 * the API server's `validateLifecycle` does, after applying handler defaulting (`httpGet.path` →
 * `"/"`, `httpGet.scheme` → `"HTTP"`): `postStart` then `preStop` through `validateHandler`
 * (spec §2 rules 1–5), then `stopSignal` (rule 9). Whether a lifecycle is allowed at all on this
 * container (init and ephemeral containers, rules 6–7) is decided by {@link validatePod}.
 *
 * Never throws: any input gets an answer, wrong types included.
 *
 * @example
 * validateLifecycle({ preStop: { sleep: { seconds: 40 } } }, 'spec.containers[0].lifecycle',
 *   { terminationGracePeriodSeconds: 30 })[0]?.message
 * // 'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)'
 */
export function validateLifecycle(
  lifecycle: unknown,
  fieldPath?: string,
  options?: LifecycleValidationOptions,
): FieldError[];
/** The same with the default field path `lifecycle`: `validateLifecycle(lifecycle, options)`. */
export function validateLifecycle(lifecycle: unknown, options: LifecycleValidationOptions): FieldError[];
export function validateLifecycle(
  lifecycle: unknown,
  pathOrOptions?: string | LifecycleValidationOptions,
  maybeOptions?: LifecycleValidationOptions,
): FieldError[] {
  const fieldPath = typeof pathOrOptions === 'string' ? pathOrOptions : DEFAULT_LIFECYCLE_PATH;
  const given = typeof pathOrOptions === 'string' ? maybeOptions : pathOrOptions;
  const options: LifecycleValidationOptions = given !== null && typeof given === 'object' ? given : {};
  return validateLifecycleAt(lifecycle, fieldPath, options, false);
}

/**
 * {@link validateLifecycle} with its arguments resolved. `isDefaulted`: the lifecycle is a copy
 * `applyDefaults` just made (of a container list it defaulted whole), so defaulting it again would
 * only copy the same values: it is validated as it is.
 *
 * @internal
 */
export function validateLifecycleAt(
  lifecycle: unknown,
  fieldPath: string,
  options: LifecycleValidationOptions,
  isDefaulted: boolean,
): FieldError[] {
  try {
    const errors: FieldError[] = [];
    if (isUnset(lifecycle)) return errors;
    if (!isRecord(lifecycle)) return [typeInvalid(fieldPath, lifecycle, TYPE_DETAIL.object)];
    const defaulted = isDefaulted ? lifecycle : applyLifecycleDefaults(lifecycle);
    for (const hook of HOOK_FIELDS) {
      const handler = readObject(errors, own(defaulted, hook), `${fieldPath}.${hook}`);
      if (handler === undefined) continue;
      for (const error of validateHandler(
        handler,
        options.terminationGracePeriodSeconds,
        `${fieldPath}.${hook}`,
        options,
      )) {
        errors.push(error);
      }
    }
    const stopSignal = own(defaulted, 'stopSignal');
    if (!isUnset(stopSignal) && resolveFeatureGates(options.featureGates).ContainerStopSignals) {
      for (const error of validateStopSignal(stopSignal, `${fieldPath}.stopSignal`, options.osName)) errors.push(error);
    }
    return errors;
  } catch (error) {
    return [internalError(fieldPath, error)];
  }
}

/**
 * `validatePod` and `assertValidPod`: API-server validation of everything lifecycle hooks and
 * grace periods depend on (spec §2), after API-server defaulting, never throwing on bad input.
 *
 * @module
 */

import { applyDefaultsNoting } from './defaulting.js';
import { dropDisabledFields, type FeatureGates } from './drop-disabled-fields.js';
import {
  aggregateMessage,
  type FieldError,
  internalError,
  invalid,
  notSupported,
  required,
  typeInvalid,
} from './field-error.js';
import {
  isRecord,
  isUnset,
  own,
  readInteger,
  readObject,
  readString,
  TYPE_DETAIL,
  type UnknownRecord,
} from './input-reader.js';
import { LifecycleSpecError } from './lifecycle-spec-error.js';
import { MAX_LIST_ITEMS_PER_POD } from './limits.js';
import type { Pod } from './types.js';
import { validateContainerLists } from './validate-containers.js';
import { isValidDefaultedPod } from './validate-fast.js';
import type { HandlerValidationOptions } from './validate-handler.js';
import { isDNS1123Subdomain, maskTrailingDash } from './validate-port.js';
import { validatePodRestartPolicy } from './validate-restart-policy.js';

/** Options of {@link validatePod} and {@link assertValidPod}. */
export interface ValidationOptions extends HandlerValidationOptions {
  /**
   * Feature gates as in a 1.35 API server ({@link FeatureGates}); a disabled gate's fields are
   * dropped silently before validation, as `dropDisabledPodFields` does on create.
   * @default { ContainerRestartRules: true, ContainerStopSignals: true }
   */
  readonly featureGates?: FeatureGates | undefined;
}

/** The field used for problems with the value as a whole (not an object, internal failure). */
export const ROOT_FIELD = '<root>';

/** `validOS`, as `sets.List` prints it. */
const VALID_OS = ['linux', 'windows'] as const;

/**
 * `ValidateObjectMeta` with `ValidatePodName` (a DNS-1123 subdomain), for the name only: the API
 * server requires `metadata.name` unless `generateName` is set (it generates the name before
 * validating); the namespace comes from the request, so it is not required here.
 */
function validateMetadata(errors: FieldError[], pod: UnknownRecord): string {
  const rawMetadata = own(pod, 'metadata');
  const metadata = readObject(errors, rawMetadata, 'metadata');
  if (metadata === undefined && !isUnset(rawMetadata)) return '';
  const rawGenerateName = metadata === undefined ? undefined : own(metadata, 'generateName');
  const generateName = readString(errors, rawGenerateName, 'metadata.generateName') ?? '';
  if (generateName !== '') {
    for (const message of isDNS1123Subdomain(maskTrailingDash(generateName))) {
      errors.push(invalid('metadata.generateName', generateName, message));
    }
  }
  const rawName = metadata === undefined ? undefined : own(metadata, 'name');
  const name = readString(errors, rawName, 'metadata.name');
  if (name === undefined && !isUnset(rawName)) return '';
  if (name === undefined || name === '') {
    if (generateName === '') errors.push(required('metadata.name', 'name or generateName is required'));
    return '';
  }
  for (const message of isDNS1123Subdomain(name)) errors.push(invalid('metadata.name', name, message));
  return name;
}

/**
 * Reads `spec.os.name` for the stop-signal rule (`undefined` = no `spec.os`) and collects the
 * `validateOS` problems, which the API server reports last.
 */
function readOsName(spec: UnknownRecord): { osName: string | undefined; osErrors: FieldError[] } {
  const osErrors: FieldError[] = [];
  const os = readObject(osErrors, own(spec, 'os'), 'spec.os');
  if (os === undefined) return { osName: undefined, osErrors };
  const rawName = own(os, 'name');
  const name = readString(osErrors, rawName, 'spec.os.name');
  if (name === undefined && !isUnset(rawName)) return { osName: '', osErrors };
  if (name === undefined || name === '') osErrors.push(required('spec.os.name', 'cannot be empty'));
  else if (!(VALID_OS as readonly string[]).includes(name)) osErrors.push(notSupported('spec.os', name, VALID_OS));
  return { osName: name ?? '', osErrors };
}

function validateDefaultedPod(
  pod: unknown,
  options: ValidationOptions,
  defaultedLists: readonly unknown[],
): { name: string; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isRecord(pod)) return { name: '', errors: [typeInvalid(ROOT_FIELD, pod, TYPE_DETAIL.object)] };
  const name = validateMetadata(errors, pod);
  const spec = readObject(errors, own(pod, 'spec'), 'spec');
  if (spec === undefined) {
    // A missing spec is Go's zero PodSpec: no containers.
    if (isUnset(own(pod, 'spec'))) errors.push(required('spec.containers'));
    return { name, errors };
  }
  const gracePath = 'spec.terminationGracePeriodSeconds';
  const rawGrace = own(spec, 'terminationGracePeriodSeconds');
  // After defaulting only a caller that skipped it can leave this nil (spec §2 rule 5).
  if (isUnset(rawGrace)) errors.push(required(gracePath));
  const terminationGracePeriodSeconds = readInteger(errors, rawGrace, gracePath);
  const { osName, osErrors } = readOsName(spec);
  const listBudget = { remaining: MAX_LIST_ITEMS_PER_POD };
  validateContainerLists(
    errors,
    spec,
    { ...options, terminationGracePeriodSeconds, osName, listBudget },
    defaultedLists,
  );
  validatePodRestartPolicy(errors, spec);
  for (const error of osErrors) errors.push(error);
  return { name, errors };
}

/**
 * Validates a pod as the API server would on create, limited to what lifecycle hooks, grace
 * periods, restarts and probes depend on (spec §2 rules 1–9, spec pod §2), after applying
 * {@link applyDefaults} and dropping the fields of disabled feature gates. Returns every problem
 * as a {@link FieldError} (empty when valid), in the API server's order.
 *
 * Checked: `metadata.name` present (or `generateName`) and a DNS-1123 subdomain;
 * `spec.containers` non-empty; container names present, DNS-1123 labels and unique across all
 * lists; each lifecycle hook (one handler, exec command, httpGet path/port/scheme/header names,
 * tcpSocket port, sleep bounds against the grace period); probes (one handler, grpc port,
 * non-negative numbers, successThreshold 1 for liveness/startup, probe grace); lifecycle and
 * probes only on regular containers and sidecars; pod and container `restartPolicy` and
 * `restartPolicyRules`; `stopSignal` against `spec.os.name`. Values of the wrong JSON type are
 * `FieldValueTypeInvalid`; integers must be safe integers (`int32` fields: 32-bit).
 *
 * Never throws, whatever it is given (cyclic, hostile or huge input included), and never writes
 * to its input. Bounded: lists past the limits of `limits.ts` (100 000 containers per list,
 * 1 000 000 list items per pod) are one `FieldValueTooMany` each and are not walked.
 *
 * @example validatePod({ metadata: { name: 'p' }, spec: { containers: [] } })[0]?.message
 * // 'spec.containers: Required value'
 */
export function validatePod(pod: unknown, options: ValidationOptions = {}): FieldError[] {
  try {
    const lists: unknown[] = [];
    const defaulted = dropDisabledFields(applyDefaultsNoting(pod, lists), options.featureGates);
    // The happy path builds no field path; any problem is reported by the exhaustive walk.
    if (isValidDefaultedPod(defaulted, options, lists)) return [];
    return validateDefaultedPod(defaulted, options, lists).errors;
  } catch (error) {
    return [internalError(ROOT_FIELD, error)];
  }
}

/**
 * {@link validatePod} without the happy path (`validate-fast.ts`): always the exhaustive walk
 * that builds each field's path. Same answer as `validatePod`, slower on a valid pod; the tests
 * compare the two.
 *
 * @internal
 */
export function validatePodExhaustively(pod: unknown, options: ValidationOptions = {}): FieldError[] {
  try {
    const lists: unknown[] = [];
    return validateDefaultedPod(
      dropDisabledFields(applyDefaultsNoting(pod, lists), options.featureGates),
      options,
      lists,
    ).errors;
  } catch (error) {
    return [internalError(ROOT_FIELD, error)];
  }
}

/**
 * Applies API-server defaulting and validates the pod (see {@link validatePod}); returns the
 * defaulted pod, without the fields of disabled feature gates (a new object: the input is never
 * changed), or throws a
 * {@link LifecycleSpecError} whose `errors` hold every {@link FieldError} and whose `message` is
 * the API server's `Pod "<name>" is invalid: …` ({@link aggregateMessage}).
 *
 * @throws {LifecycleSpecError} when the pod is invalid.
 */
export function assertValidPod(pod: unknown, options: ValidationOptions = {}): Pod {
  let defaulted: unknown;
  let result: { name: string; errors: FieldError[] };
  try {
    const lists: unknown[] = [];
    defaulted = dropDisabledFields(applyDefaultsNoting(pod, lists), options.featureGates);
    if (isValidDefaultedPod(defaulted, options, lists)) return defaulted as Pod;
    result = validateDefaultedPod(defaulted, options, lists);
  } catch (error) {
    result = { name: '', errors: [internalError(ROOT_FIELD, error)] };
  }
  if (result.errors.length > 0) {
    throw new LifecycleSpecError(result.name, result.errors, aggregateMessage(result.name, result.errors));
  }
  return defaulted as Pod;
}

/**
 * `validateHandler` and its actions (spec §2 rules 1–5, spec pod §2.2) for a lifecycle hook or a
 * probe, reproducing `pkg/apis/core/validation/validation.go` [V]: exec, httpGet, tcpSocket,
 * grpc (probes only), sleep (hooks only).
 *
 * @module
 */
import { type FieldError, forbidden, invalid, notSupported, required, typeInvalid } from './field-error.js';
import {
  integerProblem,
  isUnset,
  type ListBudget,
  own,
  readInt32,
  readList,
  readObject,
  readString,
  TYPE_DETAIL,
} from './input-reader.js';
import { MAX_LIST_ITEMS } from './limits.js';
import { isHTTPHeaderName, validatePortNumOrName } from './validate-port.js';

/** Options that change handler validation. */
export interface HandlerValidationOptions {
  /**
   * Whether `sleep.seconds: 0` is valid (gate `PodLifecycleSleepActionAllowZero`, GA and locked
   * in 1.34). With `false`, 0 is rejected with the pre-1.34 message.
   * @default true
   */
  readonly allowZeroSleep?: boolean | undefined;
  /**
   * @internal The list items this validation may still walk (see `MAX_LIST_ITEMS_PER_POD`);
   * `validatePod` sets it. Without it each list is bounded by its own limit only.
   */
  readonly listBudget?: ListBudget | undefined;
}

/** The fields of a lifecycle handler in the order `validateHandler` checks them (spec §2 rule 1). */
export const HANDLER_FIELDS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

/** The fields of a probe handler in the order `validateHandler` checks them (spec pod §2.2). */
export const PROBE_HANDLER_FIELDS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

type HandlerField = (typeof HANDLER_FIELDS)[number] | (typeof PROBE_HANDLER_FIELDS)[number];

/** `supportedHTTPSchemes`, as `sets.List` prints it (sorted). */
export const SUPPORTED_HTTP_SCHEMES = ['HTTP', 'HTTPS'] as const;

function validateExecAction(
  errors: FieldError[],
  exec: Readonly<Record<string, unknown>>,
  path: string,
  budget: ListBudget | undefined,
): void {
  // spec §2 rule 2: command must be non-empty; the strings inside are not checked (but typed).
  const rawCommand = own(exec, 'command');
  const command = readList(errors, rawCommand, `${path}.command`, MAX_LIST_ITEMS, budget);
  if (command === undefined) {
    if (isUnset(rawCommand)) errors.push(required(`${path}.command`));
    return;
  }
  if (command.length === 0) {
    errors.push(required(`${path}.command`));
    return;
  }
  for (let i = 0; i < command.length; i++) {
    const arg = command[i];
    if (typeof arg !== 'string') errors.push(typeInvalid(`${path}.command[${i}]`, arg, TYPE_DETAIL.string));
  }
}

/** A missing port is Go's zero value, an `IntOrString` of 0: `Invalid value: 0: must be between 1 and 65535, inclusive`. */
function validatePort(errors: FieldError[], port: unknown, path: string): void {
  errors.push(...validatePortNumOrName(isUnset(port) ? 0 : port, path));
}

function validateHTTPGetAction(
  errors: FieldError[],
  http: Readonly<Record<string, unknown>>,
  path: string,
  budget: ListBudget | undefined,
): void {
  // spec §2 rule 3. After defaulting, an empty path only comes from a caller skipping defaulting.
  const pathValue = readString(errors, own(http, 'path'), `${path}.path`);
  if (pathValue === '' || (pathValue === undefined && isUnset(own(http, 'path'))))
    errors.push(required(`${path}.path`));
  validatePort(errors, own(http, 'port'), `${path}.port`);
  const scheme = own(http, 'scheme');
  if (isUnset(scheme) || typeof scheme === 'string') {
    const value = scheme ?? '';
    if (!(SUPPORTED_HTTP_SCHEMES as readonly string[]).includes(value)) {
      errors.push(notSupported(`${path}.scheme`, value, SUPPORTED_HTTP_SCHEMES));
    }
  } else {
    errors.push(typeInvalid(`${path}.scheme`, scheme, TYPE_DETAIL.string));
  }
  readString(errors, own(http, 'host'), `${path}.host`);
  const headers = readList(errors, own(http, 'httpHeaders'), `${path}.httpHeaders`, MAX_LIST_ITEMS, budget) ?? [];
  for (let i = 0; i < headers.length; i++) {
    const headerPath = `${path}.httpHeaders[${i}]`;
    const record = readObject(errors, headers[i], headerPath);
    if (record === undefined) continue;
    const name = readString(errors, own(record, 'name'), `${headerPath}.name`);
    readString(errors, own(record, 'value'), `${headerPath}.value`);
    if (name === undefined && !isUnset(own(record, 'name'))) continue;
    // Not indexed: the API server reports header-name errors at `….httpGet.httpHeaders`.
    for (const message of isHTTPHeaderName(name ?? ''))
      errors.push(invalid(`${path}.httpHeaders`, name ?? '', message));
  }
}

/**
 * `validateGRPCAction` (spec pod §2.2): `ValidatePortNumOrName(intstr.FromInt32(port))`, so only
 * the number range; `service` is not validated (typed only). A missing port is `Required` here
 * where Go decodes it as 0 (`Invalid value: 0`): same verdict, see docs/semantics.md.
 */
function validateGRPCAction(errors: FieldError[], grpc: Readonly<Record<string, unknown>>, path: string): void {
  // A missing port is Go's zero value (an int32): reported as `Invalid value: 0`.
  const rawPort = own(grpc, 'port') ?? 0;
  const port = readInt32(errors, rawPort, `${path}.port`);
  if (port !== undefined) errors.push(...validatePortNumOrName(port, `${path}.port`));
  readString(errors, own(grpc, 'service'), `${path}.service`);
}

function validateSleepAction(
  errors: FieldError[],
  sleep: Readonly<Record<string, unknown>>,
  gracePeriod: number | undefined,
  path: string,
  options: HandlerValidationOptions,
): void {
  // spec §2 rule 5: the path is `….sleep`, the value the int; seconds == gp is valid.
  // A missing (or null) `seconds` is Go's zero value: 0, valid since 1.34 (issue 18).
  const seconds = own(sleep, 'seconds') ?? 0;
  if (typeof seconds !== 'number') {
    errors.push(typeInvalid(`${path}.seconds`, seconds, TYPE_DETAIL.integer));
    return;
  }
  const problem = integerProblem(seconds);
  if (problem !== undefined) {
    errors.push(typeInvalid(`${path}.seconds`, seconds, problem));
    return;
  }
  // A nil grace period is reported once at pod level; no sleep error then (as in Go).
  if (gracePeriod === undefined) return;
  if (options.allowZeroSleep ?? true) {
    if (seconds < 0 || seconds > gracePeriod) {
      errors.push(
        invalid(path, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`),
      );
    }
  } else if (seconds <= 0 || seconds > gracePeriod) {
    errors.push(
      invalid(
        path,
        seconds,
        `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
      ),
    );
  }
}

/**
 * `validateHandler` for one lifecycle hook at `path` (e.g. `spec.containers[0].lifecycle.preStop`),
 * spec §2 rules 1–5. The first set handler field (order exec, httpGet, tcpSocket, sleep) is
 * validated; each later one is `Forbidden` (`may not specify more than 1 handler type`) and not
 * validated; none at all is `Required` (`must specify a handler type`). A handler field of the
 * wrong type is a `FieldValueTypeInvalid` and still counts as set. `gracePeriod` is the pod's
 * `terminationGracePeriodSeconds` (`undefined` = nil: sleep bounds are then not checked).
 */
export function validateHandler(
  handler: Readonly<Record<string, unknown>>,
  gracePeriod: number | undefined,
  path: string,
  options: HandlerValidationOptions = {},
): FieldError[] {
  return validateHandlerFields(handler, HANDLER_FIELDS, gracePeriod, path, options);
}

/**
 * `validateHandler` over the given handler fields: {@link HANDLER_FIELDS} for a hook,
 * {@link PROBE_HANDLER_FIELDS} for a probe (Go's `handlerFromLifecycle` / `handlerFromProbe`:
 * other fields are not part of that handler type and are ignored, as JSON decoding drops them).
 */
export function validateHandlerFields(
  handler: Readonly<Record<string, unknown>>,
  fields: readonly HandlerField[],
  gracePeriod: number | undefined,
  path: string,
  options: HandlerValidationOptions = {},
): FieldError[] {
  const errors: FieldError[] = [];
  let numHandlers = 0;
  for (const name of fields) {
    const value = own(handler, name);
    if (isUnset(value)) continue;
    const fieldPath = `${path}.${name}`;
    if (numHandlers > 0) {
      errors.push(forbidden(fieldPath, 'may not specify more than 1 handler type'));
      continue;
    }
    numHandlers++;
    const action = readObject(errors, value, fieldPath);
    if (action === undefined) continue;
    if (name === 'exec') validateExecAction(errors, action, fieldPath, options.listBudget);
    else if (name === 'httpGet') validateHTTPGetAction(errors, action, fieldPath, options.listBudget);
    else if (name === 'tcpSocket') {
      validatePort(errors, own(action, 'port'), `${fieldPath}.port`);
      readString(errors, own(action, 'host'), `${fieldPath}.host`);
    } else if (name === 'grpc') validateGRPCAction(errors, action, fieldPath);
    else validateSleepAction(errors, action, gracePeriod, fieldPath, options);
  }
  if (numHandlers === 0) errors.push(required(path, 'must specify a handler type'));
  return errors;
}

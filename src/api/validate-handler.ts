/**
 * `validateHandler` and its actions (spec §2 rules 1–5) for one lifecycle hook, reproducing
 * `pkg/apis/core/validation/validation.go` [V]: exec, httpGet, tcpSocket, sleep.
 *
 * @module
 */
import { type FieldError, forbidden, invalid, notSupported, required, typeInvalid } from './field-error.js';
import { integerProblem, isUnset, own, readArray, readObject, readString, TYPE_DETAIL } from './input-reader.js';
import { isHTTPHeaderName, validatePortNumOrName } from './validate-port.js';

/** Options that change handler validation. */
export interface HandlerValidationOptions {
  /**
   * Whether `sleep.seconds: 0` is valid (gate `PodLifecycleSleepActionAllowZero`, GA and locked
   * in 1.34). With `false`, 0 is rejected with the pre-1.34 message.
   * @default true
   */
  readonly allowZeroSleep?: boolean | undefined;
}

/** The handler fields in the order `validateHandler` checks them (spec §2 rule 1). */
export const HANDLER_FIELDS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

/** `supportedHTTPSchemes`, as `sets.List` prints it (sorted). */
export const SUPPORTED_HTTP_SCHEMES = ['HTTP', 'HTTPS'] as const;

function validateExecAction(errors: FieldError[], exec: Readonly<Record<string, unknown>>, path: string): void {
  // spec §2 rule 2: command must be non-empty; the strings inside are not checked (but typed).
  const command = readArray(errors, own(exec, 'command'), `${path}.command`);
  if (command === undefined) {
    if (isUnset(own(exec, 'command'))) errors.push(required(`${path}.command`));
    return;
  }
  if (command.length === 0) {
    errors.push(required(`${path}.command`));
    return;
  }
  command.forEach((arg, i) => {
    if (typeof arg !== 'string') errors.push(typeInvalid(`${path}.command[${i}]`, arg, TYPE_DETAIL.string));
  });
}

function validatePort(errors: FieldError[], port: unknown, path: string): void {
  if (isUnset(port)) errors.push(required(path));
  else errors.push(...validatePortNumOrName(port, path));
}

function validateHTTPGetAction(errors: FieldError[], http: Readonly<Record<string, unknown>>, path: string): void {
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
  const headers = readArray(errors, own(http, 'httpHeaders'), `${path}.httpHeaders`);
  headers?.forEach((header, i) => {
    const headerPath = `${path}.httpHeaders[${i}]`;
    const record = readObject(errors, header, headerPath);
    if (record === undefined) return;
    const name = readString(errors, own(record, 'name'), `${headerPath}.name`);
    readString(errors, own(record, 'value'), `${headerPath}.value`);
    if (name === undefined && !isUnset(own(record, 'name'))) return;
    // Not indexed: the API server reports header-name errors at `….httpGet.httpHeaders`.
    for (const message of isHTTPHeaderName(name ?? ''))
      errors.push(invalid(`${path}.httpHeaders`, name ?? '', message));
  });
}

function validateSleepAction(
  errors: FieldError[],
  sleep: Readonly<Record<string, unknown>>,
  gracePeriod: number | undefined,
  path: string,
  options: HandlerValidationOptions,
): void {
  // spec §2 rule 5: the path is `….sleep`, the value the int; seconds == gp is valid.
  const seconds = own(sleep, 'seconds');
  if (isUnset(seconds)) {
    errors.push(required(`${path}.seconds`));
    return;
  }
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
  const errors: FieldError[] = [];
  let numHandlers = 0;
  for (const name of HANDLER_FIELDS) {
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
    if (name === 'exec') validateExecAction(errors, action, fieldPath);
    else if (name === 'httpGet') validateHTTPGetAction(errors, action, fieldPath);
    else if (name === 'tcpSocket') {
      validatePort(errors, own(action, 'port'), `${fieldPath}.port`);
      readString(errors, own(action, 'host'), `${fieldPath}.host`);
    } else validateSleepAction(errors, action, gracePeriod, fieldPath, options);
  }
  if (numHandlers === 0) errors.push(required(path, 'must specify a handler type'));
  return errors;
}

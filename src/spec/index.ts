/**
 * Kubernetes spec model, API-server defaulting and validation (spec §1, §2).
 *
 * @module
 */
export type {
  IntOrString, ExecAction, HTTPHeader, HTTPGetAction, TCPSocketAction, SleepAction, LifecycleHandler,
  Signal, Lifecycle, ContainerPort, EnvVar, Probe, Container, ObjectMeta, PodOS, PodSpec, PodIP, PodStatus, Pod, HookName,
} from './types.js';
export { SIGNAL_NAMES } from './types.js';
export type { FieldError, FieldErrorType } from './field-error.js';
export {
  FIELD_ERROR_TYPE_TEXT, renderErrorBody, renderFieldError, makeFieldError, required, invalid, notSupported, forbidden,
  typeInvalid, duplicate, notFound, tooLong, tooMany, internalError, aggregateMessage,
} from './field-error.js';
export { goQuote, formatGoNumber, formatGoValue } from './go-format.js';
export {
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, applyDefaults, applyLifecycleDefaults, applyHandlerDefaults,
} from './defaulting.js';
export type { HandlerValidationOptions } from './validate-handler.js';
export { validateHandler, HANDLER_FIELDS, SUPPORTED_HTTP_SCHEMES } from './validate-handler.js';
export type { LifecycleValidationOptions } from './validate-lifecycle.js';
export { validateLifecycle, validateStopSignal, DEFAULT_LIFECYCLE_PATH, LINUX_STOP_SIGNALS, WINDOWS_STOP_SIGNALS } from './validate-lifecycle.js';
export { validatePortNumOrName, isValidPortNum, isValidPortName, isHTTPHeaderName, isDNS1123Label } from './validate-port.js';
export type { ValidationOptions } from './validation.js';
export { validatePod, assertValidPod, ROOT_FIELD } from './validation.js';

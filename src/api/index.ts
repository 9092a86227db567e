/**
 * Kubernetes spec model, API-server defaulting and validation (spec §1, §2).
 *
 * @module
 */

export {
  applyDefaults,
  applyHandlerDefaults,
  applyLifecycleDefaults,
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
} from './defaulting.js';
export type { FieldError, FieldErrorType } from './field-error.js';
export {
  aggregateMessage,
  duplicate,
  FIELD_ERROR_TYPE_TEXT,
  forbidden,
  internalError,
  invalid,
  makeFieldError,
  notFound,
  notSupported,
  renderErrorBody,
  renderFieldError,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './field-error.js';
export { formatGoNumber, formatGoValue, goQuote } from './go-format.js';
export type {
  Container,
  ContainerPort,
  EnvVar,
  ExecAction,
  HookName,
  HTTPGetAction,
  HTTPHeader,
  IntOrString,
  Lifecycle,
  LifecycleHandler,
  ObjectMeta,
  Pod,
  PodIP,
  PodOS,
  PodSpec,
  PodStatus,
  Probe,
  Signal,
  SleepAction,
  TCPSocketAction,
} from './types.js';
export { SIGNAL_NAMES } from './types.js';
export type { HandlerValidationOptions } from './validate-handler.js';
export { HANDLER_FIELDS, SUPPORTED_HTTP_SCHEMES, validateHandler } from './validate-handler.js';
export type { LifecycleValidationOptions } from './validate-lifecycle.js';
export {
  DEFAULT_LIFECYCLE_PATH,
  LINUX_STOP_SIGNALS,
  validateLifecycle,
  validateStopSignal,
  WINDOWS_STOP_SIGNALS,
} from './validate-lifecycle.js';
export {
  isDNS1123Label,
  isHTTPHeaderName,
  isValidPortName,
  isValidPortNum,
  validatePortNumOrName,
} from './validate-port.js';
export type { ValidationOptions } from './validation.js';
export { assertValidPod, ROOT_FIELD, validatePod } from './validation.js';

/**
 * Kubernetes spec model, API-server defaulting and validation (spec §1, §2).
 *
 * @module
 */

export {
  applyDefaults,
  applyHandlerDefaults,
  applyLifecycleDefaults,
  applyProbeDefaults,
  DEFAULT_RESTART_POLICY,
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
  PROBE_DEFAULTS,
  PROBE_FIELDS,
} from './defaulting.js';
export type { FeatureGates } from './drop-disabled-fields.js';
export { DEFAULT_FEATURE_GATES, dropDisabledFields, resolveFeatureGates } from './drop-disabled-fields.js';
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
export { MAX_CONTAINERS_PER_LIST, MAX_LIST_ITEMS, MAX_LIST_ITEMS_PER_POD } from './limits.js';
export type {
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  PodCondition,
  PodConditionType,
  PodContainerStatus,
  PodLifecycleStatus,
  PodPhase,
  PodStatus,
  PodStatusIP,
} from './pod-status.js';
export { toApiTime } from './pod-status.js';
export type {
  Container,
  ContainerPort,
  ContainerRestartRule,
  ContainerRestartRuleOnExitCodes,
  EnvVar,
  ExecAction,
  GRPCAction,
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
  PodStatusInput,
  Probe,
  ProbeHandler,
  Signal,
  SleepAction,
  TCPSocketAction,
} from './types.js';
export { SIGNAL_NAMES } from './types.js';
export type { HandlerValidationOptions } from './validate-handler.js';
export {
  HANDLER_FIELDS,
  PROBE_HANDLER_FIELDS,
  SUPPORTED_HTTP_SCHEMES,
  validateHandler,
  validateHandlerFields,
} from './validate-handler.js';
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
  isDNS1123Subdomain,
  isHTTPHeaderName,
  isValidPortName,
  isValidPortNum,
  validatePortNumOrName,
} from './validate-port.js';
export type { ProbeField } from './validate-probe.js';
export { PROBE_NUMBER_FIELDS, validateProbe } from './validate-probe.js';
export {
  MAX_RESTART_POLICY_RULES,
  MAX_RESTART_RULE_EXIT_CODES,
  SUPPORTED_CONTAINER_RESTART_POLICIES,
  SUPPORTED_POD_RESTART_POLICIES,
  SUPPORTED_RESTART_RULE_ACTIONS,
  SUPPORTED_RESTART_RULE_OPERATORS,
} from './validate-restart-policy.js';
export type { ValidationOptions } from './validation.js';
export { assertValidPod, ROOT_FIELD, validatePod } from './validation.js';

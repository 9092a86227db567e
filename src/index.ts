/**
 * kube-lifecycle: Kubernetes container lifecycle hooks and termination grace periods, outside a
 * cluster. This entry point is pure (no I/O); adapters live in `kube-lifecycle/node`, test tools
 * in `kube-lifecycle/testing`.
 * @module
 */

export { containersInOrder, isSidecar, type OrderedContainer } from './api/container-order.js';
// Spec model, defaulting, validation (spec §1, §2; DESIGN §7)
export type {
  Container,
  ContainerPort,
  ContainerRestartRule,
  ContainerRestartRuleOnExitCodes,
  EnvVar,
  ExecAction,
  FeatureGates,
  FieldError,
  FieldErrorType,
  GRPCAction,
  HookName,
  HTTPGetAction,
  HTTPHeader,
  IntOrString,
  Lifecycle,
  LifecycleHandler,
  LifecycleValidationOptions,
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
  ValidationOptions,
} from './api/index.js';
export {
  aggregateMessage,
  applyDefaults,
  assertValidPod,
  DEFAULT_FEATURE_GATES,
  dropDisabledFields,
  SIGNAL_NAMES,
  validateLifecycle,
  validatePod,
} from './api/index.js';
export { LifecycleSpecError } from './api/lifecycle-spec-error.js';
// Pod status, the API shape the manager publishes (DESIGN §10)
export type {
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  PodCondition,
  PodConditionType,
  PodContainerStatus,
  PodPhase,
  PodStatus,
  PodStatusIP,
} from './api/pod-status.js';
export { toApiTime } from './api/pod-status.js';
// Errors
export type { LifecycleErrorCode } from './errors.js';
export {
  errorText,
  InvalidArgumentError,
  LifecycleError,
  PodTerminatingError,
  UnknownContainerError,
} from './errors.js';
// Grace arithmetic (spec §4)
export type {
  DeletionState,
  DeletionStateInput,
  EffectiveGrace,
  EffectiveGraceInput,
  GracefulDeleteInput,
  GracefulDeleteResult,
  KillPlan,
  KillPlanInput,
  KillReason,
} from './grace/index.js';
export {
  chargedSeconds,
  containerBaseGrace,
  effectiveGracePeriod,
  gracefulDelete,
  KILL_REASONS,
  killPlan,
  MINIMUM_GRACE_PERIOD_SECONDS,
  stopTimeoutSeconds,
} from './grace/index.js';
// Handler runner (spec §5)
export type { BuildHttpGetRequestResult, HandlerOutcome, HandlerRunContext } from './hooks/index.js';
export { buildHttpGetRequest, formatPodDesc } from './hooks/index.js';
// At-least-once helpers (spec §6, DESIGN §9)
export type {
  HookDeliveryKeyParts,
  IdempotencyClaim,
  IdempotencyClaimOptions,
  IdempotencyRecord,
  IdempotencySetOptions,
  IdempotencyStore,
  IdempotencyStoreOperation,
  IdempotentOptions,
  MemoryIdempotencyStoreOptions,
  RestartCountOptions,
} from './idempotency/index.js';
export {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
  DEFAULT_IDEMPOTENCY_POLL_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  hookDeliveryKey,
  hookDeliveryKeyForRestart,
  IdempotencyStoreError,
  idempotent,
  MemoryIdempotencyStore,
} from './idempotency/index.js';
export type {
  ContainerStatus,
  DeleteOptions,
  HookOutcome,
  HookReport,
  KubeEvent,
  KubeEventObject,
  KubeEventReason,
  LifecycleManagerEvents,
  LifecycleManagerOptions,
  LifecyclePolicy,
  LifecycleStep,
  LifecycleStepKind,
  PodTerminationResult,
  ResolvedPolicy,
  StartResult,
  StopOptions,
  StopResult,
} from './manager/index.js';
// Manager (DESIGN §6)
export { EventMessages, kubernetesPolicy, LifecycleManager, resolvePolicy } from './manager/index.js';
// Pods (DESIGN §10): waits, errors, back-off policy, kubectl-like events
export type { AggregatedEvent, AggregateEventsOptions } from './pod/aggregate-events.js';
export { aggregateEvents } from './pod/aggregate-events.js';
export type { AfterProbeKill, CrashLoopBackOffPolicy } from './pod/crash-loop-back-off.js';
export { CRASH_LOOP_BACK_OFF_DEFAULTS } from './pod/crash-loop-back-off.js';
export type { EventAgeFields } from './pod/format-event-age.js';
export { formatEventAge } from './pod/format-event-age.js';
export type { PodErrorCode } from './pod/pod-errors.js';
export { PodWaitError, UnknownPodError } from './pod/pod-errors.js';
export type { PodWaitCondition, PodWaitOptions } from './pod/pod-waiters.js';
// Ports (DESIGN §5)
export type {
  Clock,
  ContainerExit,
  ContainerRef,
  EscalationOptions,
  EscalationResult,
  ExecResult,
  GrpcHealthChecker,
  HttpClient,
  HttpRequest,
  HttpResponse,
  PodSandbox,
  Runtime,
  RuntimeEvent,
  StartContainerOptions,
  TcpDialer,
} from './ports/index.js';
export { HTTP_RESPONSE_TO_HTTPS_CLIENT, sleepOn, stopWithEscalation, systemClock } from './ports/index.js';
// Probes (DESIGN §11)
export type { ProbePortName, ProbePorts } from './probes/missing-port.js';
export { findMissingProbePort, MissingPortError } from './probes/missing-port.js';

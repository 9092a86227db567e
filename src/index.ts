/**
 * kube-lifecycle: Kubernetes container lifecycle hooks and termination grace periods, outside a
 * cluster. This entry point is pure (no I/O); adapters live in `kube-lifecycle/node`, test tools
 * in `kube-lifecycle/testing`.
 * @module
 */

// Manager (DESIGN §6)
export { LifecycleManager, EventMessages, kubernetesPolicy, resolvePolicy } from './manager/index.js';
export type {
  LifecycleManagerOptions, StopOptions, DeleteOptions, LifecycleManagerEvents, KubeEvent, KubeEventObject,
  KubeEventReason, LifecyclePolicy, ResolvedPolicy, HookOutcome, HookReport, StopResult, StartResult,
  PodTerminationResult, ContainerStatus, LifecycleStep, LifecycleStepKind,
} from './manager/index.js';

// Ports (DESIGN §5)
export type {
  Clock, ContainerRef, ExecResult, Runtime, HttpClient, HttpRequest, HttpResponse, EscalationOptions, EscalationResult,
} from './ports/index.js';
export { sleepOn, systemClock, HTTP_RESPONSE_TO_HTTPS_CLIENT, stopWithEscalation } from './ports/index.js';

// Spec model, defaulting, validation (spec §1, §2; DESIGN §7)
export type {
  IntOrString, ExecAction, HTTPHeader, HTTPGetAction, TCPSocketAction, SleepAction, LifecycleHandler,
  Signal, Lifecycle, ContainerPort, EnvVar, Probe, Container, ObjectMeta, PodOS, PodSpec, PodIP, PodStatus, Pod, HookName,
  FieldError, FieldErrorType, ValidationOptions, LifecycleValidationOptions,
} from './spec/index.js';
export {
  SIGNAL_NAMES, validatePod, validateLifecycle, assertValidPod, applyDefaults, aggregateMessage, renderFieldError,
} from './spec/index.js';

// Grace arithmetic (spec §4)
export type {
  DeletionState, GracefulDeleteInput, GracefulDeleteResult, KillReason, EffectiveGraceInput, EffectiveGrace,
  KillPlanInput, KillPlan,
} from './grace/index.js';
export {
  gracefulDelete, KILL_REASONS, MINIMUM_GRACE_PERIOD_SECONDS, effectiveGracePeriod, containerBaseGrace,
  chargedSeconds, stopTimeoutSeconds, killPlan,
} from './grace/index.js';

// Handler runner (spec §5)
export type { HandlerOutcome, HandlerRunContext, BuildHttpGetRequestResult } from './hooks/index.js';
export { runHandler, buildHttpGetRequest, formatPodDesc } from './hooks/index.js';

// Errors
export type { LifecycleErrorCode } from './errors.js';
export { LifecycleError, LifecycleSpecError, UnknownContainerError, InvalidArgumentError } from './errors.js';

// At-least-once helpers (spec §6, DESIGN §9)
export type {
  HookDeliveryKeyParts, RestartCountOptions, IdempotencyRecord, IdempotencySetOptions, IdempotencyStore,
  IdempotencyStoreOperation, MemoryIdempotencyStoreOptions, IdempotentOptions,
} from './idempotency/index.js';
export {
  hookDeliveryKey, hookDeliveryKeyForRestart, IdempotencyStoreError, MemoryIdempotencyStore,
  DEFAULT_IDEMPOTENCY_TTL_MS, DEFAULT_IDEMPOTENCY_MAX_ENTRIES, idempotent,
} from './idempotency/index.js';

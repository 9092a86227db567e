/**
 * kube-lifecycle: Kubernetes container lifecycle hooks and termination grace periods, outside a
 * cluster. This entry point is pure (no I/O); adapters live in `kube-lifecycle/node`, test tools
 * in `kube-lifecycle/testing`.
 * @module
 */
export type { Clock, ContainerRef, ExecResult, Runtime, HttpClient, HttpRequest, HttpResponse, EscalationOptions, EscalationResult } from './ports/index.js';
export { sleepOn, systemClock, HTTP_RESPONSE_TO_HTTPS_CLIENT, stopWithEscalation } from './ports/index.js';
export type {
  IntOrString, ExecAction, HTTPHeader, HTTPGetAction, TCPSocketAction, SleepAction, LifecycleHandler,
  Signal, Lifecycle, ContainerPort, EnvVar, Probe, Container, ObjectMeta, PodOS, PodSpec, PodIP, PodStatus, Pod, HookName,
} from './spec/types.js';
export { SIGNAL_NAMES } from './spec/types.js';
export type { FieldError, FieldErrorType } from './spec/field-error.js';
export type { LifecycleErrorCode } from './errors.js';
export { LifecycleError, LifecycleSpecError, UnknownContainerError, InvalidArgumentError } from './errors.js';
export type { KubeEvent, KubeEventObject, KubeEventReason } from './manager/events.js';
export { EventMessages } from './manager/events.js';
export type { LifecyclePolicy, ResolvedPolicy } from './manager/policy.js';
export { kubernetesPolicy, resolvePolicy } from './manager/policy.js';
export type { HandlerOutcome, HandlerRunContext } from './hooks/types.js';

export type { LifecycleManagerEvents } from '../container/context.js';
export type { LifecyclePolicy, ResolvedPolicy } from '../container/policy.js';
export { kubernetesPolicy, resolvePolicy } from '../container/policy.js';
export type {
  ContainerStatus,
  HookOutcome,
  HookReport,
  LifecycleStep,
  LifecycleStepKind,
  PodTerminationResult,
  StartResult,
  StopResult,
} from '../container/results.js';
export type { KubeEvent, KubeEventObject, KubeEventReason } from '../hooks/events.js';
export { EventMessages } from '../hooks/events.js';
export { LifecycleManager } from './lifecycle-manager.js';
export type { DeleteOptions, LifecycleManagerOptions, StopOptions } from './options.js';

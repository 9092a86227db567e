export { LifecycleManager } from './lifecycle-manager.js';
export type { LifecycleManagerOptions, StopOptions, DeleteOptions } from './lifecycle-manager.js';
export type { LifecycleManagerEvents } from './event-hub.js';
export type { KubeEvent, KubeEventObject, KubeEventReason } from './events.js';
export { EventMessages } from './events.js';
export type { LifecyclePolicy, ResolvedPolicy } from './policy.js';
export { kubernetesPolicy, resolvePolicy } from './policy.js';
export type {
  HookOutcome,
  HookReport,
  StopResult,
  StartResult,
  PodTerminationResult,
  ContainerStatus,
  LifecycleStep,
  LifecycleStepKind,
} from './results.js';

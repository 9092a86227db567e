export type { LifecycleManagerEvents } from './event-hub.js';
export type { KubeEvent, KubeEventObject, KubeEventReason } from './events.js';
export { EventMessages } from './events.js';
export type { DeleteOptions, LifecycleManagerOptions, StopOptions } from './lifecycle-manager.js';
export { LifecycleManager } from './lifecycle-manager.js';
export type { LifecyclePolicy, ResolvedPolicy } from './policy.js';
export { kubernetesPolicy, resolvePolicy } from './policy.js';
export type {
  ContainerStatus,
  HookOutcome,
  HookReport,
  LifecycleStep,
  LifecycleStepKind,
  PodTerminationResult,
  StartResult,
  StopResult,
} from './results.js';

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { Container, HookName, LifecycleHandler, Pod } from '../api/types.js';
import { errorText } from '../errors.js';
import type { KubeEvent, KubeEventObject } from '../hooks/events.js';
import { runHandler } from '../hooks/run-handler.js';
import type { HandlerOutcome, HandlerRunContext } from '../hooks/types.js';
import type { Clock } from '../ports/clock.js';
import type { HttpClient } from '../ports/http-client.js';
import type { ContainerRef, Runtime } from '../ports/runtime.js';
import type { ResolvedPolicy } from './policy.js';
import { type ContainerRecord, containerFieldPath, type PodRecord } from './records.js';
import type { LifecycleStep } from './results.js';

/** The manager's events: Kubernetes events, internal steps, and listener failures. */
export interface LifecycleManagerEvents {
  /** A Kubernetes event (spec §7), as `kubectl describe` would list it. */
  event: [event: KubeEvent];
  /** An internal step (hook started, stop requested, …), for timelines and trace checks. */
  step: [step: LifecycleStep];
  /**
   * A pod's status changed (DESIGN §10): the pod as handed to `startPod` and the new frozen
   * snapshot, after every change, in order.
   */
  podStatus: [pod: Pod, status: PodLifecycleStatus];
  /** A listener threw; the manager carried on. Throwing here is ignored. */
  listenerError: [error: unknown, eventName: 'event' | 'step' | 'podStatus'];
}

/**
 * Where the container sequences send events and steps: the manager's event hub
 * (src/manager/event-hub.ts), or any sink of the same shape.
 */
export interface EventSink {
  emit<K extends keyof LifecycleManagerEvents>(name: K, ...args: LifecycleManagerEvents[K]): void;
  hasListeners(name: keyof LifecycleManagerEvents): boolean;
}

/** What the manager's internal functions share: ports, policy, and event helpers. */
export interface ManagerContext {
  readonly clock: Clock;
  readonly runtime: Runtime;
  readonly httpClient: HttpClient;
  readonly policy: ResolvedPolicy;
  readonly kubeletVersion: string;
  readonly runtimeRequestTimeoutSeconds: number;
  readonly hub: EventSink;
}

/** Emit a Kubernetes event stamped with `clock.now()`. */
export function emitEvent(ctx: ManagerContext, event: Omit<KubeEvent, 'timestamp'>): void {
  ctx.hub.emit('event', { ...event, timestamp: ctx.clock.now() });
}

/** Emit a Kubernetes event about one container. */
export function emitContainerEvent(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  event: Pick<KubeEvent, 'type' | 'reason' | 'message'> & { detail?: string | undefined },
): void {
  if (!ctx.hub.hasListeners('event')) return;
  const object: KubeEventObject = {
    kind: 'Container',
    name: record.name,
    namespace: pod.namespace,
    fieldPath: containerFieldPath(record),
    podName: pod.name,
  };
  const timestamp = ctx.clock.now();
  ctx.hub.emit(
    'event',
    event.detail === undefined
      ? { type: event.type, reason: event.reason, message: event.message, object, timestamp }
      : { type: event.type, reason: event.reason, message: event.message, detail: event.detail, object, timestamp },
  );
}

/**
 * Whether anyone listens to steps. The sequences ask before building a step object, so that a
 * manager without a `step` listener allocates none (≈ 10 per container started and deleted).
 */
export function hearsSteps(ctx: ManagerContext): boolean {
  return ctx.hub.hasListeners('step');
}

/** Emit an internal step (only built when someone listens). */
export function emitStep(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  step: Omit<LifecycleStep, 'time' | 'pod' | 'container' | 'containerID'>,
): void {
  if (!ctx.hub.hasListeners('step')) return;
  ctx.hub.emit('step', {
    ...step,
    time: ctx.clock.now(),
    pod: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
    container: record.name,
    ...(record.ref !== undefined ? { containerID: record.ref.id } : {}),
  });
}

/** Run one hook through the handler runner, with the manager's ports. Never rejects. */
export function runHook(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  hook: HookName,
  handler: LifecycleHandler,
  signal: AbortSignal,
): Promise<HandlerOutcome> {
  const ref = record.ref;
  if (ref === undefined)
    return Promise.resolve({ ok: false, error: 'container has no id', message: 'container has no id' });
  // Counted on the instance's call scope, so that its exit aborts the signal only when a hook
  // may still be listening (see CallScope).
  const scope = record.calls;
  scope.pendingHooks++;
  return runHandler(handler, new HookRunContext(ctx, pod.pod, container, ref, hook, signal)).then(
    (outcome) => {
      scope.pendingHooks--;
      return outcome;
    },
    (error: unknown) => {
      // The runner promises never to reject; keep the manager safe even if it did.
      scope.pendingHooks--;
      const text = errorText(error);
      return { ok: false as const, error: text, message: text };
    },
  );
}

/**
 * A hook's {@link HandlerRunContext}: the same fields, with `emit` a method of the context rather
 * than a closure made per hook run (docs/performance-history.md, round 5 second sprint), and the manager's
 * ports read through it rather than copied into every context (round 6: 40 B fewer per hook run).
 */
class HookRunContext implements HandlerRunContext {
  constructor(
    private readonly manager: ManagerContext,
    readonly pod: Pod,
    readonly container: Container,
    readonly ref: ContainerRef,
    readonly hook: HookName,
    readonly signal: AbortSignal,
  ) {}

  get runtime(): Runtime {
    return this.manager.runtime;
  }

  get httpClient(): HttpClient {
    return this.manager.httpClient;
  }

  get clock(): Clock {
    return this.manager.clock;
  }

  get kubeletVersion(): string {
    return this.manager.kubeletVersion;
  }

  get policy(): ResolvedPolicy {
    return this.manager.policy;
  }

  emit(event: Omit<KubeEvent, 'timestamp'>): void {
    emitEvent(this.manager, event);
  }
}

/**
 * The kubelet's pod conditions (`pkg/kubelet/status/generate.go`, spec pod §5.2) and the
 * per-container `ready`/`started` rules (spec pod §5.3), as pure functions.
 *
 * @module
 */

import type { PodCondition, PodConditionType, PodContainerStatus, PodPhase } from '../api/pod-status.js';
import { toApiTime } from '../api/pod-status.js';
import type { ContainerKind } from './restart-decision.js';

/** A container as the condition functions see it. */
export interface ConditionContainer {
  readonly name: string;
  readonly kind: ContainerKind;
  readonly status: PodContainerStatus | undefined;
}

/** Inputs of {@link generatePodConditions}. */
export interface ConditionsInput {
  /** Init containers (spec order), then regular containers. */
  readonly containers: readonly ConditionContainer[];
  readonly phase: PodPhase;
  /** A sandbox with network exists (`PodReadyToStartContainers`). */
  readonly sandboxReady: boolean;
  /** The previous conditions: their `lastTransitionTime` is kept while `status` is unchanged. */
  readonly previous: readonly PodCondition[];
  readonly now: number;
}

type Draft = Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>;

/** Go's `%s` of a `[]string`: `[a b]`. */
function goList(names: readonly string[]): string {
  return `[${names.join(' ')}]`;
}

/** `HasAnyRegularContainerStarted`: a regular container is running or has terminated. */
function anyRegularStarted(containers: readonly ConditionContainer[]): boolean {
  return containers.some(
    (c) => c.kind === 'regular' && c.status && (c.status.state.running || c.status.state.terminated),
  );
}

/**
 * `containers with <what> status: [a b]` for each non-empty list, joined by `, ` (the kubelet's
 * messages), as one flat string (a condition's message is kept with the snapshot); `undefined`
 * when both lists are empty.
 */
function statusMessage(
  firstLabel: string,
  first: readonly string[] | undefined,
  secondLabel: string,
  second: readonly string[] | undefined,
): string | undefined {
  const parts: string[] = [];
  if (first !== undefined) parts.push(`containers with ${firstLabel} status: ${goList(first)}`);
  if (second !== undefined) parts.push(`containers with ${secondLabel} status: ${goList(second)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** `list` with `name` appended (a new list when there was none). */
function withName(list: string[] | undefined, name: string): string[] {
  if (list === undefined) return [name];
  list.push(name);
  return list;
}

function initialized(input: ConditionsInput): Draft {
  const type = 'Initialized';
  // The lists are made only for a name to put in them (a pod without init containers makes none).
  let unknown: string[] | undefined;
  let incomplete: string[] | undefined;
  for (const c of input.containers) {
    if (c.kind === 'regular') continue;
    if (!c.status) unknown = withName(unknown, c.name);
    else if (c.kind === 'sidecar' ? !c.status.started : !c.status.ready) incomplete = withName(incomplete, c.name);
  }
  // Succeeded: `PodCompleted` with or without init containers ([SG] GeneratePodInitializedCondition).
  if (input.phase === 'Succeeded' && unknown === undefined) return { type, status: 'True', reason: 'PodCompleted' };
  if (anyRegularStarted(input.containers)) return { type, status: 'True' };
  const message = statusMessage('unknown', unknown, 'incomplete', incomplete);
  if (message !== undefined) return { type, status: 'False', reason: 'ContainersNotInitialized', message };
  return { type, status: 'True' };
}

function containersReady(input: ConditionsInput): Draft {
  const type = 'ContainersReady';
  let unknown: string[] | undefined;
  let unready: string[] | undefined;
  for (const c of input.containers) {
    if (c.kind === 'init') continue; // regular init containers never count (spec pod §5.2)
    if (!c.status) unknown = withName(unknown, c.name);
    else if (!c.status.ready) unready = withName(unready, c.name);
  }
  if (input.phase === 'Succeeded' && unknown === undefined) return { type, status: 'False', reason: 'PodCompleted' };
  if (input.phase === 'Failed') return { type, status: 'False', reason: 'PodFailed' };
  const message = statusMessage('unknown', unknown, 'unready', unready);
  if (message !== undefined) return { type, status: 'False', reason: 'ContainersNotReady', message };
  return { type, status: 'True' };
}

function stamp(draft: Draft, input: ConditionsInput, index: number): PodCondition {
  const { previous } = input;
  // The previous snapshot has the conditions in the same order: look there first.
  const atIndex = previous[index];
  const before = atIndex !== undefined && atIndex.type === draft.type ? atIndex : findCondition(previous, draft.type);
  // Unchanged since the previous snapshot: the same frozen object (no copy, no time to format).
  if (before && before.status === draft.status && before.reason === draft.reason && before.message === draft.message)
    return before;
  const lastTransitionTime =
    before && before.status === draft.status ? before.lastTransitionTime : toApiTime(input.now);
  // Literals, not a spread: a frozen spread copy gets a map of its own in V8 (≈ 200 B each, retained).
  const { type, status, reason, message } = draft;
  const lastProbeTime = null;
  if (reason === undefined)
    return Object.freeze(
      message === undefined
        ? { type, status, lastProbeTime, lastTransitionTime }
        : { type, status, message, lastProbeTime, lastTransitionTime },
    );
  return Object.freeze(
    message === undefined
      ? { type, status, reason, lastProbeTime, lastTransitionTime }
      : { type, status, reason, message, lastProbeTime, lastTransitionTime },
  );
}

/** `draft` as the `Ready` condition (a copy of `ContainersReady`, spec pod §5.2), keys in the same order. */
function asReady(draft: Draft): Draft {
  const { status, reason, message } = draft;
  const type = 'Ready';
  if (reason === undefined) return message === undefined ? { type, status } : { type, status, message };
  return message === undefined ? { type, status, reason } : { type, status, reason, message };
}

/**
 * The kubelet-owned conditions in the kubelet's order (spec pod §5.2): `PodReadyToStartContainers`,
 * `Initialized`, `Ready`, `ContainersReady`, `PodScheduled` (always `True`, from the first status
 * on: `generateAPIPodStatus` appends it). `Ready` copies `ContainersReady` (no readiness gates
 * here). `lastTransitionTime` moves only when a condition's `status` flips.
 */
export function generatePodConditions(input: ConditionsInput): PodCondition[] {
  const sandbox: Draft = { type: 'PodReadyToStartContainers', status: input.sandboxReady ? 'True' : 'False' };
  const ready = containersReady(input);
  return [
    stamp(sandbox, input, 0),
    stamp(initialized(input), input, 1),
    stamp(asReady(ready), input, 2),
    stamp(ready, input, 3),
    stamp(SCHEDULED, input, 4),
  ];
}

/** `PodScheduled`: the kubelet runs the pod, so it was scheduled. */
const SCHEDULED: Draft = Object.freeze({ type: 'PodScheduled', status: 'True' });

/** The condition of `type` in `conditions`, if present. */
export function findCondition(conditions: readonly PodCondition[], type: PodConditionType): PodCondition | undefined {
  return conditions.find((c) => c.type === type);
}

/**
 * `ready` of a container (spec pod §5.3): regular init containers are ready once terminated with
 * exit 0; sidecars and regular containers when started, running and (no readiness probe or its
 * last result is Success).
 */
export function isContainerReady(input: {
  readonly kind: ContainerKind;
  readonly status: Pick<PodContainerStatus, 'state' | 'started'>;
  readonly readiness: boolean | undefined;
}): boolean {
  const { kind, status, readiness } = input;
  if (kind === 'init') return status.state.terminated?.exitCode === 0;
  return status.started && status.state.running !== undefined && readiness !== false;
}

/**
 * `started` of a container (spec pod §5.3): running and (no startup probe, or its result is
 * Success). `startup` is `undefined` without a startup probe, else whether it has succeeded.
 */
export function isContainerStarted(input: {
  readonly running: boolean;
  readonly startup: boolean | undefined;
}): boolean {
  return input.running && input.startup !== false;
}

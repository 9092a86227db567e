/**
 * The pod worker's transition function (STYLE §13): given the containers' named states, what is
 * the next thing to do? The kubelet's `computePodActions` / `computeInitContainerActions`
 * (spec pod §3.2–§3.4) reduced to one action at a time, so starts happen strictly in order.
 *
 * @module
 */

import type { ContainerRecord } from './container-record.js';
import { isRecordStarted } from './container-record.js';
import { type RestartGates, shouldContainerRestart } from './restart-decision.js';

/**
 * The next step of a sync.
 * - `start`: start (`restart: false`) or restart a container (after its back-off check);
 * - `settle`: an exited container will not restart: mark it `done` (no side effect);
 * - `complete`: the KillPod rule (spec pod §3.2 rule 4): regular containers are all done, or a
 *   regular init container failed for good; terminate what still runs and end the pod;
 * - `wait`: nothing to do until an exit, a probe result or a back-off timer.
 */
export type PodAction =
  | { readonly kind: 'start'; readonly container: ContainerRecord; readonly restart: boolean }
  | { readonly kind: 'settle'; readonly container: ContainerRecord }
  | { readonly kind: 'complete'; readonly cause: 'containersDone' | 'initFailed' }
  | { readonly kind: 'wait' };

/** What {@link nextPodAction} reads. */
export interface PodActionInput {
  /** `spec.initContainers` records (regular init containers and sidecars), in spec order. */
  readonly initContainers: readonly ContainerRecord[];
  /** `spec.containers` records, in spec order. */
  readonly containers: readonly ContainerRecord[];
  readonly podRestartPolicy: string | undefined;
  /** Some regular container has started: init containers are not re-run (spec pod §3.3). */
  readonly initialized: boolean;
  /** Containers found in back-off, or whose start failed, during this sync: not retried until the next one. */
  readonly skip: ReadonlySet<string>;
  readonly gates?: RestartGates | undefined;
}

const WAIT: PodAction = Object.freeze({ kind: 'wait' });

function restarts(input: Pick<PodActionInput, 'podRestartPolicy' | 'gates'>, record: ContainerRecord): boolean {
  // Killed by a probe with its restart decided before the kill (spec pod §3.2 rule 3): whatever it exited with.
  if (record.backOffFrom !== undefined) return true;
  const { kind, spec: container } = record;
  const { podRestartPolicy, gates } = input;
  const exitCode = record.lastExit?.exitCode ?? 0;
  return shouldContainerRestart(
    gates === undefined
      ? { kind, container, podRestartPolicy, exitCode }
      : { kind, container, podRestartPolicy, exitCode, gates },
  );
}

/**
 * Whether an exited container is done rather than restarted: the `settle` branches of
 * {@link nextPodAction} (a regular init container that exited 0, or any container but a sidecar
 * whose restart policy does not restart it). Its status then shows the exit, never a Waiting reason.
 */
export function settlesAfterExit(
  record: ContainerRecord,
  policy: Pick<PodActionInput, 'podRestartPolicy' | 'gates'>,
): boolean {
  if (record.kind === 'sidecar') return false;
  if (record.kind === 'init' && record.lastExit?.exitCode === 0) return true;
  return !restarts(policy, record);
}

/**
 * The action for init container `c`. `previouslyInitialized` is the kubelet's
 * `isPreviouslyInitialized` (spec pod §3.4): a regular container has started, or a later init
 * container has run already — then a sidecar that is not (yet) started, or is backing off, holds
 * nothing back: it is restarted or passed over, and whether the regular containers start is the
 * later init containers' business (`computeInitContainerActions` walks them last to first).
 */
function initAction(input: PodActionInput, c: ContainerRecord, previouslyInitialized: boolean): PodAction | 'next' {
  if (c.kind === 'init') {
    if (input.initialized) return 'next';
    switch (c.state) {
      case 'notStarted':
        return input.skip.has(c.name) ? WAIT : { kind: 'start', container: c, restart: false };
      case 'starting':
      case 'running':
        return WAIT; // one at a time: the next waits for exit 0 (spec pod §3.3)
      case 'done':
        return c.lastExit?.exitCode === 0 ? 'next' : { kind: 'complete', cause: 'initFailed' };
      default: // exited, backingOff
        if (c.lastExit?.exitCode === 0) return { kind: 'settle', container: c };
        if (!restarts(input, c)) return { kind: 'settle', container: c };
        return input.skip.has(c.name) ? WAIT : { kind: 'start', container: c, restart: true };
    }
  }
  // sidecar (spec pod §3.4): the next init container starts once this one has started
  switch (c.state) {
    case 'notStarted':
      return input.skip.has(c.name) ? WAIT : { kind: 'start', container: c, restart: false };
    case 'starting':
      return WAIT;
    case 'running':
      return isRecordStarted(c) || previouslyInitialized ? 'next' : WAIT;
    case 'done':
      return 'next';
    default:
      if (!input.skip.has(c.name)) return { kind: 'start', container: c, restart: true };
      return previouslyInitialized ? 'next' : WAIT;
  }
}

/** The index of the last init container that has run (state other than `notStarted`), or -1. */
function lastInitRun(inits: readonly ContainerRecord[]): number {
  let last = -1;
  inits.forEach((c, i) => {
    if (c.state !== 'notStarted') last = i;
  });
  return last;
}

/**
 * The next action of a sync (spec pod §3): init containers in order (regular ones to exit 0,
 * sidecars to start), then regular containers one after another in spec order; exited containers
 * restart per policy (spec pod §3.1) or settle; when every regular container is done, `complete`.
 */
export function nextPodAction(input: PodActionInput): PodAction {
  const inits = input.initContainers;
  const lastRun = input.initialized ? inits.length : lastInitRun(inits);
  let index = 0;
  for (const c of inits) {
    const action = initAction(input, c, index++ < lastRun);
    if (action !== 'next') return action;
  }
  let allDone = input.containers.length > 0;
  for (const c of input.containers) {
    switch (c.state) {
      case 'notStarted':
        if (!input.skip.has(c.name)) return { kind: 'start', container: c, restart: false };
        allDone = false; // its start failed in this sync: retried later (spec pod §4.3)
        break;
      case 'starting':
        return WAIT;
      case 'running':
        allDone = false;
        break;
      case 'done':
        break;
      default:
        if (!restarts(input, c)) return { kind: 'settle', container: c };
        allDone = false;
        if (!input.skip.has(c.name)) return { kind: 'start', container: c, restart: true };
    }
  }
  return allDone ? { kind: 'complete', cause: 'containersDone' } : WAIT;
}

/**
 * The kubelet's `getPhase` (`pkg/kubelet/kubelet_pods.go`, spec pod §5.1), gate-on path (1.35),
 * as a pure function of the spec's containers and their API statuses.
 *
 * @module
 */

import type { PodContainerStatus, PodPhase } from '../api/pod-status.js';
import { type ContainerKind, type RestartGates, type RestartView, shouldContainerRestart } from './restart-decision.js';

/** A container as the phase function sees it: its kind, its spec view, its status (if any). */
export interface PhaseContainer {
  readonly name: string;
  readonly kind: ContainerKind;
  readonly spec: RestartView;
  readonly status: PodContainerStatus | undefined;
}

/** Inputs of {@link getPodPhase}. */
export interface PhaseInput {
  /** Init containers (regular and sidecars, spec order), then regular containers. */
  readonly containers: readonly PhaseContainer[];
  readonly podRestartPolicy: string | undefined;
  /** The pod is being or has been terminated (deleted); spec pod §5.1 rule 4.1. */
  readonly podIsTerminal: boolean;
  /** Some regular container has started in the current sandbox. */
  readonly podHasInitialized: boolean;
  readonly gates?: RestartGates;
}

/**
 * `getPhase` (spec pod §5.1): counts init containers, sidecars and regular containers, then
 * decides, first match wins: failed non-restartable init → Failed; pending init / uninitialised
 * sidecar / waiting → Pending; running → Running; all stopped → Succeeded / Failed / Running
 * (something will restart); else Pending.
 */
export function getPodPhase(input: PhaseInput): PodPhase {
  const { podRestartPolicy, gates = {} } = input;
  let pendingInit = 0;
  let failedInitNotRestartable = 0;
  let pendingSidecar = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let stoppedNotRestartable = 0;
  let succeeded = 0;
  let unknown = 0;
  const restarts = (c: PhaseContainer, exitCode: number): boolean =>
    shouldContainerRestart({ kind: c.kind, container: c.spec, podRestartPolicy, exitCode, gates });

  for (const c of input.containers) {
    const s = c.status;
    if (c.kind === 'init') {
      const last = s?.state.terminated ?? (s?.state.waiting ? s.lastState.terminated : undefined);
      if (!last)
        pendingInit++; // no status, running, waiting without lastState, unknown
      else if (last.exitCode !== 0 && !restarts(c, last.exitCode)) failedInitNotRestartable++;
    } else if (c.kind === 'sidecar') {
      if (!s) unknown++;
      else if (s.state.running) {
        running++;
        if (!s.started) pendingSidecar++;
      } else if (s.state.terminated || (s.state.waiting && s.lastState.terminated)) {
        // ignored (spec pod §3.4 rule 5)
      } else if (s.state.waiting) {
        pendingSidecar++;
        waiting++;
      } else {
        pendingSidecar++;
        unknown++;
      }
    } else if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated || (s.state.waiting && s.lastState.terminated)) {
      const code = (s.state.terminated ?? s.lastState.terminated)?.exitCode ?? 0;
      stopped++;
      if (!restarts(c, code)) stoppedNotRestartable++;
      if (s.state.terminated && code === 0) succeeded++;
    } else if (s.state.waiting) waiting++;
    else unknown++;
  }

  if (failedInitNotRestartable > 0) return 'Failed';
  if (pendingInit > 0 || (pendingSidecar > 0 && !input.podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (input.podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (stopped !== stoppedNotRestartable) return 'Running';
    return stopped === succeeded ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

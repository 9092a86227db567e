import type { ContainerStateTerminated, PodContainerStatus, PodStatus } from '../index.js';

/** What {@link StatusLines.follow} learnt from one status: the lines to print and what happened. */
export interface StatusChange {
  /** Lines for the `run` output (without the `+1.2s` time prefix). */
  readonly lines: readonly string[];
  /** Containers that exited since the previous status, with their termination record. */
  readonly exits: ReadonlyArray<{
    readonly name: string;
    readonly kind: 'init' | 'main';
    readonly terminated: ContainerStateTerminated;
  }>;
  /** Containers that entered a Waiting state with an error reason (not a back-off or creation wait). */
  readonly startErrors: ReadonlyArray<{ readonly name: string; readonly reason: string; readonly message?: string }>;
}

/** Waiting reasons that are part of a normal start or restart, not a failure to start. */
const NORMAL_WAITING = new Set(['ContainerCreating', 'PodInitializing', 'CrashLoopBackOff']);

/**
 * Turns the pod worker's `podStatus` snapshots into `run`'s lines: a container becoming Running
 * (with its restart count after a restart), an exit with its code and reason (once per instance),
 * a Waiting state (`CrashLoopBackOff` with the kubelet's back-off message, a start error), and the
 * pod's phase. Pure: it only compares a status with the previous one it saw.
 */
export class StatusLines {
  #phase = '';
  readonly #shown = new Map<string, string>();
  readonly #exited = new Set<string>();

  follow(status: PodStatus): StatusChange {
    const lines: string[] = [];
    const exits: Array<StatusChange['exits'][number]> = [];
    const startErrors: Array<StatusChange['startErrors'][number]> = [];
    const all = [
      ...status.initContainerStatuses.map((s) => ({ s, kind: 'init' as const })),
      ...status.containerStatuses.map((s) => ({ s, kind: 'main' as const })),
    ];
    for (const { s, kind } of all) {
      for (const terminated of [s.lastState.terminated, s.state.terminated]) {
        if (terminated === undefined) continue;
        const key = `${s.name}|${terminated.containerID ?? ''}|${terminated.startedAt ?? ''}|${terminated.finishedAt ?? ''}`;
        if (this.#exited.has(key)) continue;
        this.#exited.add(key);
        exits.push({ name: s.name, kind, terminated });
        lines.push(
          `container ${s.name} exited with code ${terminated.exitCode}${terminated.reason === undefined ? '' : ` (${terminated.reason})`}`,
        );
      }
      const text = stateText(s);
      if (text === undefined || this.#shown.get(s.name) === text) continue;
      this.#shown.set(s.name, text);
      lines.push(text);
      const waiting = s.state.waiting;
      if (waiting?.reason !== undefined && !NORMAL_WAITING.has(waiting.reason))
        startErrors.push({
          name: s.name,
          reason: waiting.reason,
          ...(waiting.message === undefined ? {} : { message: waiting.message }),
        });
    }
    if (status.phase !== this.#phase) {
      this.#phase = status.phase;
      lines.push(`pod is ${status.phase}`);
    }
    return { lines, exits, startErrors };
  }
}

function stateText(s: PodContainerStatus): string | undefined {
  if (s.state.running !== undefined)
    return `container ${s.name} is Running${s.restartCount > 0 ? ` (restartCount ${s.restartCount})` : ''}`;
  const waiting = s.state.waiting;
  if (waiting === undefined || waiting.reason === undefined || waiting.reason === 'ContainerCreating') return undefined;
  if (waiting.reason === 'CrashLoopBackOff' || waiting.reason === 'PodInitializing')
    return `container ${s.name} is Waiting: ${waiting.reason}${waiting.message === undefined ? '' : ` (${waiting.message})`}`;
  return `container ${s.name} did not become Running: ${waiting.reason}${waiting.message === undefined ? '' : ` (${waiting.message})`}`;
}

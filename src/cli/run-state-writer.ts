import { containersInOrder, type KubeEvent, type Pod, type PodStatus } from '../index.js';
import { wallClock } from './run-runtime.js';
import {
  MAX_STATE_EVENTS,
  type PodStatePaths,
  RUN_STATE_KIND,
  type RunState,
  removeRunState,
  writeRunState,
} from './state-dir.js';

/** What the writer needs to know about the run. */
export interface RunStateSource {
  readonly pod: Pod;
  readonly description: string;
  readonly runtimeName: string;
  readonly manifest: string;
  readonly state: PodStatePaths;
}

/**
 * Keeps `run`'s entry in the state directory current: the pod's status, its events (the latest
 * {@link MAX_STATE_EVENTS}) and the runtime's handle of each container, rewritten atomically after
 * every change; removed when the run ends (the pod was deleted or completed). A write that fails
 * (disk full, directory removed) is reported once and does not stop the pod.
 */
export class RunStateWriter {
  readonly #source: RunStateSource;
  readonly #startedAt: number;
  readonly #events: KubeEvent[] = [];
  readonly #handles = new Map<string, string>();
  #status: PodStatus | undefined;
  #terminating = false;
  #failed = false;
  /** Called once with the first write error. */
  onError: (error: unknown) => void = () => {};

  constructor(source: RunStateSource, startedAt: number) {
    this.#source = source;
    this.#startedAt = startedAt;
  }

  /** An event happened: kept and written. */
  event(event: KubeEvent): void {
    this.#events.push(event);
    if (this.#events.length > MAX_STATE_EVENTS) this.#events.splice(0, this.#events.length - MAX_STATE_EVENTS);
    this.#flush();
  }

  /** A new status (and whether a delete began): written. */
  write(status: PodStatus | undefined, terminating: boolean): void {
    this.#status = status;
    this.#terminating ||= terminating;
    for (const s of [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])])
      if (s.containerID !== undefined) this.#handles.set(s.name, s.containerID);
    this.#flush();
  }

  /** The run is over: the entry goes. */
  remove(): void {
    try {
      removeRunState(this.#source.state);
    } catch {
      // nothing to remove, or not ours to remove
    }
  }

  #flush(): void {
    const { pod, description, runtimeName, manifest, state } = this.#source;
    const entry: RunState = {
      kind: RUN_STATE_KIND,
      pod: {
        name: pod.metadata?.name ?? '',
        namespace: pod.metadata?.namespace ?? 'default',
        uid: pod.metadata?.uid ?? '',
      },
      pid: process.pid,
      runtime: {
        name: runtimeName,
        description,
        containers: Object.fromEntries([...this.#handles].map(([name, id]) => [name, { id }])),
      },
      containers: containersInOrder(pod).map(({ container, kind }) => ({
        name: container.name,
        image: container.image ?? '',
        kind,
      })),
      manifest,
      ...(pod.status?.podIP === undefined ? {} : { podIP: pod.status.podIP }),
      startedAt: this.#startedAt,
      updatedAt: wallClock.now(),
      terminating: this.#terminating,
      status: this.#status,
      events: this.#events,
    };
    try {
      writeRunState(state, entry);
    } catch (error) {
      if (!this.#failed) this.onError(error);
      this.#failed = true;
    }
  }
}

/**
 * Test helper: record every exit a runtime reports through `waitContainer` (the one way every
 * adapter reports exits), as `[ref, status]` pairs in the order they arrive.
 */
import type { ContainerRef, Runtime } from '../../src/ports/runtime.js';

/** The status the node runtimes report, with `signal: null` for an exit by itself. */
export interface RecordedExit {
  readonly exitCode: number;
  readonly signal: string | null;
}

const NEVER = new AbortController().signal;

/**
 * Make `runtime` watch `waitContainer` after each successful start and call `onExit` with what it
 * reports. Returns the runtime (its `startContainer` wrapped in place).
 */
export function recordExits<R extends Runtime>(
  runtime: R,
  onExit: (ref: ContainerRef, status: RecordedExit) => void,
): R {
  const start = runtime.startContainer.bind(runtime);
  const wait = runtime.waitContainer?.bind(runtime);
  if (wait === undefined) throw new Error('recordExits: the runtime has no waitContainer');
  runtime.startContainer = async (pod, container, options) => {
    const started = await start(pod, container, options);
    const ref: ContainerRef = {
      id: started.id,
      name: container.name,
      podName: pod.metadata?.name ?? '',
      podNamespace: pod.metadata?.namespace ?? 'default',
      podUID: pod.metadata?.uid ?? '',
    };
    wait(ref, { signal: NEVER }).then(
      (exit) => onExit(ref, { exitCode: exit.exitCode, signal: exit.signal ?? null }),
      () => undefined,
    );
    return started;
  };
  return runtime;
}

/** Resolve once the reports already due have been recorded (after every pending microtask). */
export function exitsRecorded(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

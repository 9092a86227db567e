/**
 * What the node runtimes remember of containers that have exited: only their exit status, until
 * `waitContainer` has reported it, and at most a bounded number of them.
 * @module
 */
import type { ContainerExit } from '../ports/runtime.js';
import { NodeAdapterError } from './errors.js';

/** How a container's main process ended. */
export interface ContainerExitStatus {
  /** The exit code; 128 + the signal number when a signal killed it (137 for SIGKILL). */
  readonly exitCode: number;
  /** The signal that killed it (`"SIGKILL"`), or null when it exited by itself. */
  readonly signal: string | null;
}

/**
 * How many unreported exits a runtime keeps (oldest forgotten first): a caller that never calls
 * `waitContainer` costs at most this many small records.
 */
export const MAX_UNREPORTED_EXITS = 1024;

/**
 * The exit statuses of containers that have exited and whose exit `waitContainer` has not
 * reported yet. Everything else about an exited container is forgotten at its exit.
 */
export class ExitBook {
  private readonly exits = new Map<string, ContainerExitStatus>();

  constructor(private readonly capacity = MAX_UNREPORTED_EXITS) {}

  /** Note the exit of container `id`, forgetting the oldest unreported exit past the capacity. */
  record(id: string, status: ContainerExitStatus): void {
    this.exits.delete(id);
    this.exits.set(id, status);
    for (const oldest of this.exits.keys()) {
      if (this.exits.size <= this.capacity) break;
      this.exits.delete(oldest);
    }
  }

  /** The unreported exit of `id`, if any (it stays unreported). */
  peek(id: string): ContainerExitStatus | undefined {
    return this.exits.get(id);
  }

  /** The unreported exit of `id`, which is now reported and forgotten. */
  take(id: string): ContainerExitStatus | undefined {
    const status = this.exits.get(id);
    this.exits.delete(id);
    return status;
  }

  /** How many exits are waiting to be reported. */
  get size(): number {
    return this.exits.size;
  }
}

/** The port's {@link ContainerExit} for an exit status (`signal` only when a signal ended it). */
export function toContainerExit(status: ContainerExitStatus): ContainerExit {
  return status.signal === null ? { exitCode: status.exitCode } : { exitCode: status.exitCode, signal: status.signal };
}

/**
 * Wait for `exited`, rejecting with `signal.reason` as soon as `signal` aborts; the abort
 * listener is removed however the wait ends.
 */
export async function waitOrAbort<T>(exited: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([exited, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** `waitContainer` of a container the runtime never started, or whose exit was already reported. */
export function unknownForWait(runtime: string, id: string): NodeAdapterError {
  return new NodeAdapterError(
    'ERR_CONTAINER_NOT_FOUND',
    `waitContainer: container "${id}" is not known to this ${runtime}: it was never started here, or its exit ` +
      `was already reported by an earlier waitContainer (exits are kept until reported, at most ${MAX_UNREPORTED_EXITS})`,
    { containerId: id },
  );
}

/**
 * What the node runtimes remember of containers that have exited: only their exit status, until
 * `waitContainer` has reported it, and at most a bounded number of them; and the order in which
 * they report an exit (after the container's exec calls have settled).
 * @module
 */
import { type Clock, sleepOn } from '../ports/clock.js';
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

/**
 * How long a runtime waits, once a container's main process has exited, for the exec calls still
 * running in it to settle before it reports the exit anyway. They end within milliseconds (their
 * processes are killed with the container); the bound only keeps a stuck pipe from holding the
 * report back.
 */
export const EXEC_SETTLE_MS = 2_000;

/**
 * Resolve once every call in `calls` has settled, or after {@link EXEC_SETTLE_MS} on `clock`.
 * The Runtime port asks an adapter to settle a container's exec calls before it reports that
 * container's exit (`waitContainer`, `stopContainer`): the manager then reports an exec killed
 * with its container as the hook's failure (exit 137) rather than abandoning it.
 */
export async function execsSettled(calls: ReadonlySet<Promise<unknown>>, clock: Clock): Promise<void> {
  if (calls.size === 0) return;
  const timeout = new AbortController();
  await Promise.race([
    Promise.allSettled([...calls]),
    sleepOn(clock, EXEC_SETTLE_MS, timeout.signal).catch(() => undefined),
  ]);
  timeout.abort();
}

/** Keep `call` in `calls` until it settles (see {@link execsSettled}); returns `call`. */
export function trackCall<T>(calls: Set<Promise<unknown>>, call: Promise<T>): Promise<T> {
  calls.add(call);
  const forget = (): void => void calls.delete(call);
  call.then(forget, forget);
  return call;
}

import type { HttpClient } from '../ports/http-client.js';
import type { Runtime } from '../ports/runtime.js';
import { TestingError } from './errors.js';

/** Options of the duplicate-delivery wrappers. */
export interface DuplicateDeliveryOptions {
  /**
   * `'sequential'`: each delivery starts once the previous one has settled (a kubelet that
   * restarts after the hook ran and runs it again). `'concurrent'`: all deliveries start at once
   * (a kubelet that restarts mid-hook while the first delivery is still running).
   * @default 'sequential'
   */
  readonly mode?: 'sequential' | 'concurrent' | undefined;
  /**
   * Which delivery's outcome (its result or its error) the caller sees. Every delivery runs
   * whatever the outcome of the others.
   * @default 'last'
   */
  readonly report?: 'first' | 'last' | undefined;
}

/**
 * Wrap a {@link Runtime} so that every `exec` (the exec hooks) is delivered `times` times, as a
 * kubelet restart can (spec §6: delivery is at least once). The other members pass through once;
 * `stopContainer` and `waitContainer` resolve once the wrapped execs of that container have
 * settled, so the exit is reported after them, as the Runtime port asks. Keep a reference to the wrapped runtime to inspect it.
 *
 * @example
 * ```ts
 * const manager = new LifecycleManager({ runtime: duplicateDeliveryRuntime(fake, 2), httpClient, clock });
 * ```
 */
export function duplicateDeliveryRuntime(
  runtime: Runtime,
  times: number,
  options: DuplicateDeliveryOptions = {},
): Runtime {
  const deliver = deliverer(times, options, 'duplicateDeliveryRuntime');
  /** The wrapped execs still pending, per container id. */
  const pending = new Map<string, Set<Promise<unknown>>>();
  const exec: Runtime['exec'] = (ref, command, o) => {
    const delivered = deliver(() => runtime.exec(ref, command, o));
    const own = pending.get(ref.id) ?? new Set<Promise<unknown>>();
    pending.set(ref.id, own);
    own.add(delivered);
    const forget = (): void => {
      own.delete(delivered);
      if (own.size === 0 && pending.get(ref.id) === own) pending.delete(ref.id);
    };
    delivered.then(forget, forget);
    return delivered;
  };
  /** `work`'s result once the wrapped execs of `id` have settled too (the order the port asks). */
  const afterExecs = async <T>(id: string, work: Promise<T>): Promise<T> => {
    const result = await work;
    const calls = pending.get(id);
    if (calls !== undefined) await Promise.allSettled([...calls]);
    return result;
  };
  const wrapped: Runtime = {
    startContainer: (pod, container, o) => runtime.startContainer(pod, container, o),
    exec,
    stopContainer: (ref, o) => afterExecs(ref.id, runtime.stopContainer(ref, o)),
  };
  const { waitContainer, runPodSandbox, stopPodSandbox } = runtime;
  if (waitContainer !== undefined)
    wrapped.waitContainer = (ref, o) => afterExecs(ref.id, waitContainer.call(runtime, ref, o));
  if (runPodSandbox !== undefined) wrapped.runPodSandbox = (pod, o) => runPodSandbox.call(runtime, pod, o);
  if (stopPodSandbox !== undefined) wrapped.stopPodSandbox = (id, o) => stopPodSandbox.call(runtime, id, o);
  return wrapped;
}

/**
 * Wrap an {@link HttpClient} so that every request (the httpGet hooks) is delivered `times`
 * times (see {@link duplicateDeliveryRuntime}).
 */
export function duplicateDeliveryHttpClient(
  client: HttpClient,
  times: number,
  options: DuplicateDeliveryOptions = {},
): HttpClient {
  const deliver = deliverer(times, options, 'duplicateDeliveryHttpClient');
  return { request: (request, o) => deliver(() => client.request(request, o)) };
}

/**
 * Both wrappers at once: every exec and HTTP hook is delivered `times` times.
 *
 * @example
 * ```ts
 * const ports = deliverHooksTimes(3, { runtime, httpClient }, { mode: 'concurrent' });
 * const manager = new LifecycleManager({ ...ports, clock });
 * ```
 */
export function deliverHooksTimes(
  times: number,
  ports: { readonly runtime: Runtime; readonly httpClient: HttpClient },
  options: DuplicateDeliveryOptions = {},
): { runtime: Runtime; httpClient: HttpClient } {
  return {
    runtime: duplicateDeliveryRuntime(ports.runtime, times, options),
    httpClient: duplicateDeliveryHttpClient(ports.httpClient, times, options),
  };
}

function deliverer(times: number, options: DuplicateDeliveryOptions, caller: string) {
  if (!Number.isInteger(times) || times < 1) {
    throw new TestingError(
      'ERR_FAKE_MISUSE',
      `${caller}: times must be an integer >= 1 (1 = deliver once), got ${String(times)}`,
    );
  }
  const { mode = 'sequential', report = 'last' } = options;
  const pick = report === 'first' ? 0 : times - 1;
  return async <T>(once: () => Promise<T>): Promise<T> => {
    const outcomes: Array<PromiseSettledResult<T>> = [];
    if (mode === 'concurrent') {
      outcomes.push(...(await Promise.allSettled(Array.from({ length: times }, () => Promise.resolve().then(once)))));
    } else {
      for (let i = 0; i < times; i++) outcomes.push(...(await Promise.allSettled([Promise.resolve().then(once)])));
    }
    const chosen = outcomes[pick]!;
    if (chosen.status === 'rejected') throw chosen.reason;
    return chosen.value;
  };
}

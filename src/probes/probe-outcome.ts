/**
 * What one probe attempt yields, and the context handlers run in.
 *
 * @module
 */

import type { Container, Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import type { GrpcHealthChecker } from '../ports/grpc-health-checker.js';
import type { HttpClient } from '../ports/http-client.js';
import type { ContainerRef, Runtime } from '../ports/runtime.js';
import type { TcpDialer } from '../ports/tcp-dialer.js';

/**
 * The kubelet's `probe.Result` of one attempt (`pkg/probe`): `warning` counts as success and
 * emits `ProbeWarning`; `unknown` with an `error` is the "errored" path (retried, then discarded).
 */
export type ProbeAttemptResult = 'success' | 'warning' | 'failure' | 'unknown';

/** One attempt's result, its output (the text of `Unhealthy` events) and, if it errored, the error. */
export interface ProbeOutcome {
  readonly result: ProbeAttemptResult;
  readonly output: string;
  /** Set when the prober itself errored (runtime error, unresolvable port): no threshold counting. */
  readonly error?: string;
}

/** The ports and data a probe handler needs. */
export interface ProbeRunContext {
  readonly pod: Pod;
  readonly container: Container;
  readonly ref: ContainerRef;
  /** The target host when the probe names none: `status.podIP`. Empty when unknown. */
  readonly podIP: string;
  readonly runtime: Runtime;
  readonly httpClient: HttpClient;
  readonly tcpDialer?: TcpDialer;
  readonly grpcHealthChecker?: GrpcHealthChecker;
  readonly clock: Clock;
  /** `major.minor`, sent as `User-Agent: kube-probe/<kubeletVersion>`. */
  readonly kubeletVersion: string;
  /** Aborted when the worker stops; every pending adapter call is abandoned then. */
  readonly signal: AbortSignal;
}

/** The reason a probe's own deadline aborts its signal with. */
export class ProbeTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** A deadline controller linked to a parent signal, kept between the parent's probe runs. */
interface Linked {
  readonly controller: AbortController;
  readonly unlink: () => void;
  isBusy: boolean;
}

/**
 * Per parent signal (a probe worker's), the controller its last run used: a worker runs one probe
 * at a time, so the next run reuses it unless it was aborted (a timeout), which spares an
 * `AbortController` and two listener registrations per probe run (docs/performance-history.md).
 */
const keptByParent = new WeakMap<AbortSignal, Linked>();

function link(parent: AbortSignal): Linked {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, unlink: noop, isBusy: true };
  }
  const onParentAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  return { controller, unlink: () => parent.removeEventListener('abort', onParentAbort), isBusy: true };
}

function noop(): void {}

/**
 * Run `fn` with a signal that aborts after `timeoutMs` on `clock` (reason: a `TimeoutError`) or
 * when `parent` aborts. The timer is cleared once `fn` settles. The signal is reused by the next
 * run with the same `parent` (never while this one runs) unless it was aborted; adapters remove
 * the listeners they add to it once their call settles (as for the `Runtime` port's signals).
 */
export function withDeadline<T>(
  clock: Clock,
  timeoutMs: number,
  parent: AbortSignal,
  fn: (signal: AbortSignal, hasTimedOut: () => boolean) => Promise<T>,
): Promise<T> {
  try {
    return raceWithDeadline(clock, timeoutMs, parent, fn);
  } catch (error) {
    return Promise.reject(error); // as the async function it was: a throw is a rejection
  }
}

function raceWithDeadline<T>(
  clock: Clock,
  timeoutMs: number,
  parent: AbortSignal,
  fn: (signal: AbortSignal, hasTimedOut: () => boolean) => Promise<T>,
): Promise<T> {
  let linked = keptByParent.get(parent);
  const isShared = linked !== undefined && !linked.isBusy && !linked.controller.signal.aborted;
  if (isShared) (linked as Linked).isBusy = true;
  else {
    const fresh = link(parent);
    // Replace a kept controller that was aborted (its listener goes); a busy one stays kept.
    if (linked === undefined || !linked.isBusy) {
      linked?.unlink();
      keptByParent.set(parent, fresh);
    }
    linked = fresh;
  }
  const used = linked as Linked;
  const { controller } = used;
  let hasTimedOut = false;
  const handle = clock.setTimeout(() => {
    hasTimedOut = true;
    controller.abort(new ProbeTimeoutError(`probe timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const release = (): void => {
    clock.clearTimeout(handle);
    used.isBusy = false;
    // A one-off (the kept one was busy) is unlinked now; the kept one stays linked for the next run.
    if (keptByParent.get(parent) !== used) used.unlink();
  };
  // A promise chain rather than an async frame (one run per probe period per probe).
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(fn(controller.signal, () => hasTimedOut));
  } catch (error) {
    release();
    return Promise.reject(error);
  }
  return pending.then(
    (value) => {
      release();
      return value;
    },
    (error: unknown) => {
      release();
      throw error;
    },
  );
}

/** The first pod IP (`status.podIP`, else `status.podIPs[0].ip`), or `''`. */
export function podIPOf(pod: Pod): string {
  const status = pod.status ?? {};
  if (typeof status.podIP === 'string' && status.podIP !== '') return status.podIP;
  const first = Array.isArray(status.podIPs) ? status.podIPs[0]?.ip : undefined;
  return typeof first === 'string' ? first : '';
}

/** The text the kubelet's prober reports when the pod has no IP yet (`failed to find networking container`). */
export function noPodIPError(pod: Pod): string {
  const meta = pod.metadata ?? {};
  return `failed to find networking container: &{ID:${meta.uid ?? ''} Name:${meta.name ?? ''} Namespace:${meta.namespace ?? ''} IPs:[]}`;
}

/**
 * Go's `time.Duration.String()` for whole seconds: `1s`, `59s`, `1m0s`, `1h1m1s`.
 *
 * @example goDurationSeconds(90) === '1m30s'
 */
export function goDurationSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

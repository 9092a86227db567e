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

/**
 * Run `fn` with a signal that aborts after `timeoutMs` on `clock` (reason: a `TimeoutError`) or
 * when `parent` aborts. The timer is cleared and the listener removed once `fn` settles.
 */
export async function withDeadline<T>(
  clock: Clock,
  timeoutMs: number,
  parent: AbortSignal,
  fn: (signal: AbortSignal, hasTimedOut: () => boolean) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let hasTimedOut = false;
  const onParentAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onParentAbort, { once: true });
  const handle = clock.setTimeout(() => {
    hasTimedOut = true;
    controller.abort(new ProbeTimeoutError(`probe timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    return await fn(controller.signal, () => hasTimedOut);
  } finally {
    clock.clearTimeout(handle);
    parent.removeEventListener('abort', onParentAbort);
  }
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

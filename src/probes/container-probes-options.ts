/**
 * What a {@link ContainerProbes} is given, and the context each probe attempt gets from it.
 *
 * @module
 */

import type { Container, Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import type { GrpcHealthChecker } from '../ports/grpc-health-checker.js';
import type { HttpClient } from '../ports/http-client.js';
import type { ContainerRef, Runtime } from '../ports/runtime.js';
import type { TcpDialer } from '../ports/tcp-dialer.js';
import type { ProbeKill } from './probe-kill.js';
import { type ProbeRunContext, podIPOf } from './probe-outcome.js';
import type { ProbeResult, ProbeStatus } from './probe-results.js';
import type { ProbeType } from './probe-spec.js';
import type { ProbeAttempt, ProbeEvent } from './run-probe.js';

/**
 * Options of {@link ContainerProbes}. Callbacks may throw: that is ignored. Each callback also gets
 * `container` (the option), so one set of callbacks can serve every container of a pod.
 */
export interface ContainerProbesOptions {
  readonly pod: Pod;
  readonly container: Container;
  readonly clock: Clock;
  readonly runtime: Runtime;
  readonly httpClient: HttpClient;
  readonly tcpDialer?: TcpDialer;
  readonly grpcHealthChecker?: GrpcHealthChecker;
  /** `major.minor` for `User-Agent: kube-probe/<version>`. @default '1.35' */
  readonly kubeletVersion?: string;
  /**
   * The default probe host: a value, or a function read at every attempt (the kubelet's prober
   * reads `status.podIP` each time, and workers exist before the sandbox has an IP).
   * @default `pod.status.podIP`
   */
  readonly podIP?: string | (() => string | undefined);
  /** Every `Unhealthy`/`ProbeWarning` event, to record on the container `ref`. */
  readonly onEvent?: (event: ProbeEvent, ref: ContainerRef, container?: Container) => void;
  /** A liveness or startup failure reached its threshold on a running container: kill it. */
  readonly onKill?: (kill: ProbeKill, container?: Container) => void;
  /** `started` or `ready` changed. */
  readonly onStatusChange?: (status: ProbeStatus, container?: Container) => void;
  /** Every value written into the results cache (for traces and tests). */
  readonly onResult?: (probeType: ProbeType, result: ProbeResult) => void;
  /**
   * The container instance already running when the workers are created (then their immediate
   * first probe sees it). Without it the first probe that can see the container comes one period
   * after creation, as in the kubelet, whose workers start at `AddPod` before the container.
   * With it, `onStatusChange` is first called inside the constructor.
   */
  readonly running?: { readonly ref: ContainerRef; readonly startedAt?: number };
  /** How one attempt runs. @default the real handlers (`runProbeAttempt`) */
  readonly attempt?: ProbeAttempt;
}

/** The context of one probe attempt on container instance `ref` (spec pod §6.2). */
export function probeRunContext(o: ContainerProbesOptions, ref: ContainerRef, signal: AbortSignal): ProbeRunContext {
  return buildContext(o, ref, signal, currentPodIP(o));
}

/**
 * {@link probeRunContext}, reusing `previous` (the worker's last one) when it was built for the
 * same instance, signal and pod IP: a probe worker then builds one context per container
 * instance instead of one per run. The context is read-only to the handlers.
 */
export function probeRunContextFrom(
  previous: ProbeRunContext | undefined,
  o: ContainerProbesOptions,
  ref: ContainerRef,
  signal: AbortSignal,
): ProbeRunContext {
  const podIP = currentPodIP(o);
  if (previous !== undefined && previous.ref === ref && previous.signal === signal && previous.podIP === podIP)
    return previous;
  return buildContext(o, ref, signal, podIP);
}

function currentPodIP(o: ContainerProbesOptions): string {
  const podIP = typeof o.podIP === 'function' ? o.podIP() : o.podIP;
  return podIP ?? podIPOf(o.pod);
}

function buildContext(
  o: ContainerProbesOptions,
  ref: ContainerRef,
  signal: AbortSignal,
  podIP: string,
): ProbeRunContext {
  return {
    pod: o.pod,
    container: o.container,
    ref,
    podIP,
    runtime: o.runtime,
    httpClient: o.httpClient,
    ...(o.tcpDialer !== undefined ? { tcpDialer: o.tcpDialer } : {}),
    ...(o.grpcHealthChecker !== undefined ? { grpcHealthChecker: o.grpcHealthChecker } : {}),
    clock: o.clock,
    kubeletVersion: o.kubeletVersion ?? '1.35',
    signal,
  };
}

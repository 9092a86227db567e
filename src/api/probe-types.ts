/**
 * Kubernetes v1 `Probe` and its handlers (spec pod §1.1, §6), with the API's field names.
 *
 * @module
 */
import type { ExecAction, HTTPGetAction, TCPSocketAction } from './types.js';

/** `GRPCAction`: a `grpc.health.v1.Health/Check` call on the pod IP. */
export interface GRPCAction {
  /** Port number 1–65535 (a number only: no named ports). Required. */
  port: number;
  /** Service name sent in the health check request. @default "" */
  service?: string | undefined;
}

/** `ProbeHandler`: exactly one of `exec`, `httpGet`, `tcpSocket`, `grpc` (no `sleep`). */
export interface ProbeHandler {
  exec?: ExecAction | undefined;
  httpGet?: HTTPGetAction | undefined;
  tcpSocket?: TCPSocketAction | undefined;
  grpc?: GRPCAction | undefined;
}

/**
 * `Probe`: a health check of a container (spec pod §1.1, §6). Numbers are whole seconds or
 * counts; `0` and unset are the same (Go's `int32` zero value) and are defaulted.
 *
 * @example { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 3 }
 */
export interface Probe extends ProbeHandler {
  /** Seconds after the container started before the first probe. @default 0 */
  initialDelaySeconds?: number | undefined;
  /** Seconds after which one probe run times out; minimum 1. @default 1 */
  timeoutSeconds?: number | undefined;
  /** Seconds between probe runs; minimum 1. @default 10 */
  periodSeconds?: number | undefined;
  /** Consecutive successes to count as success; must be 1 for liveness and startup. @default 1 */
  successThreshold?: number | undefined;
  /** Consecutive failures to count as failure. @default 3 */
  failureThreshold?: number | undefined;
  /**
   * Overrides the pod grace for kills caused by this probe (liveness/startup only); minimum 1.
   * @default the pod's `terminationGracePeriodSeconds`
   */
  terminationGracePeriodSeconds?: number | undefined;
}

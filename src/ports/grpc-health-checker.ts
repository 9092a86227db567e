/**
 * The gRPC port for `grpc` probes (DESIGN §11, pinned shape).
 *
 * @module
 */

/**
 * Calls the standard `grpc.health.v1.Health/Check` with `{ service }` on `host:port` (plaintext,
 * as the kubelet's gRPC prober, `pkg/probe/grpc`) and resolves with the response's status name:
 * `'SERVING'`, `'NOT_SERVING'`, `'UNKNOWN'` or `'SERVICE_UNKNOWN'`. Only `'SERVING'` passes.
 *
 * Rejections become the probe output as the kubelet words them:
 * - an error whose `code` is `12` (gRPC `UNIMPLEMENTED`, as `@grpc/grpc-js` reports it) →
 *   `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): <details>`;
 * - a message already in the kubelet's form (starting with `error: ` or `timeout: `) → as is;
 * - anything else → `error: health rpc probe failed: <message>`.
 *
 * The core bounds each call by the probe's `timeoutSeconds` on the injected clock and aborts
 * `signal` when that runs out (`timeout: health rpc did not complete within 1s`) or when the
 * probe's worker stops. Implementations must give up when `signal` aborts.
 *
 * The kubelet dials with `grpc.WithBlock()`: a refused connection is retried until the timeout,
 * which then reads `timeout: failed to connect service "10.0.0.7:9090" within 1s: context
 * deadline exceeded`. A checker that dials the same way sets {@link reportsConnection} and calls
 * `options.onConnected` once its connection is up; the core then tells the two timeouts apart.
 * One that does not is taken as connected (a timeout is always `health rpc did not complete`).
 */
export interface GrpcHealthChecker {
  /** The checker calls `onConnected` once connected (see the interface). @default false */
  readonly reportsConnection?: boolean;
  check(
    host: string,
    port: number,
    service: string,
    options: { signal: AbortSignal; onConnected?: () => void },
  ): Promise<string>;
}

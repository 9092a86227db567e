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
 */
export interface GrpcHealthChecker {
  check(host: string, port: number, service: string, options: { signal: AbortSignal }): Promise<string>;
}

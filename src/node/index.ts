/**
 * `kube-lifecycle/node`: real adapters for the ports — local processes ({@link ProcessRuntime}),
 * OCI containers through runc/crun ({@link OciRuntime}), HTTP over `node:http`/`node:https`
 * ({@link NodeHttpClient}), TCP dials ({@link NodeTcpDialer}) and gRPC health checks over
 * `node:http2` ({@link NodeGrpcHealthChecker}). Behaviour, options and limits: docs/adapters.md.
 * @module
 */

export { DEFAULT_OUTPUT_CAP_BYTES, truncationMarker } from './child.js';
export { MAX_ATTEMPT_COUNTERS } from './container-process.js';
export type { NodeAdapterErrorCode } from './errors.js';
export { NodeAdapterError } from './errors.js';
export { MAX_UNREPORTED_EXITS } from './exit-book.js';
export type { NodeGrpcHealthCheckerOptions } from './node-grpc-health-checker.js';
export { GrpcHealthCheckError, NodeGrpcHealthChecker } from './node-grpc-health-checker.js';
export {
  HttpRequestError,
  type HttpRequestErrorCode,
  MAX_RESPONSE_BODY_BYTES,
  NodeHttpClient,
} from './node-http-client.js';
export type { TcpDialErrorCode } from './node-tcp-dialer.js';
export { NodeTcpDialer, TcpDialError } from './node-tcp-dialer.js';
export type { OciConfigInput, OciSpec } from './oci-config.js';
export { buildOciConfig, DEFAULT_CAPABILITIES } from './oci-config.js';
export type { OciRuntimeOptions } from './oci-runtime.js';
export { OciRuntime } from './oci-runtime.js';
export type { ContainerExitStatus, ProcessRuntimeOptions } from './process-runtime.js';
export { ProcessRuntime } from './process-runtime.js';

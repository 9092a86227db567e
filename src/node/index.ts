/**
 * `kube-lifecycle/node`: real adapters for the ports — local processes ({@link ProcessRuntime}),
 * OCI containers through runc/crun ({@link OciRuntime}) and HTTP over `node:http`/`node:https`
 * ({@link NodeHttpClient}). Behaviour, options and limits: docs/adapters.md.
 * @module
 */

export { DEFAULT_OUTPUT_CAP_BYTES, truncationMarker } from './child.js';
export { defaultContainerId, expandKubeVars } from './container-process.js';
export type { NodeAdapterErrorCode } from './errors.js';
export { NodeAdapterError } from './errors.js';
export {
  HttpRequestError,
  type HttpRequestErrorCode,
  MAX_RESPONSE_BODY_BYTES,
  NodeHttpClient,
} from './node-http-client.js';
export type { OciConfigInput, OciSpec } from './oci-config.js';
export { buildOciConfig, DEFAULT_CAPABILITIES } from './oci-config.js';
export type { OciRuntimeOptions } from './oci-runtime.js';
export { OciRuntime } from './oci-runtime.js';
export type { ContainerExitStatus, ProcessRuntimeOptions } from './process-runtime.js';
export { ProcessRuntime } from './process-runtime.js';
export { signalNumber } from './signals.js';

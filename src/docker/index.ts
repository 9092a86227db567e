/**
 * `kube-lifecycle/docker`: the `Runtime` port over the Docker Engine API ({@link DockerRuntime}),
 * which also speaks to Podman's Docker-compatible socket. Needs the optional peer dependency
 * `dockerode` (`npm i dockerode`). Behaviour, options and limits: docs/adapters.md.
 * @module
 */

export type { DockerConnectionOptions, DockerOption, DockerodeInstance } from './connection.js';
export type { ImagePullPolicy } from './container-config.js';
export { DockerRuntime } from './docker-runtime.js';
export type { DockerFault, DockerRuntimeErrorCode } from './errors.js';
export { DockerRuntimeError } from './errors.js';
export type { DockerPullEvent } from './images.js';
export { ADAPTER_LABELS, KUBERNETES_LABELS } from './names.js';
export type { DockerRuntimeOptions } from './options.js';
export { DEFAULT_SANDBOX_IMAGE } from './options.js';
export type { SweepOptions, SweepResult } from './sweep.js';

import { LifecycleError } from '../errors.js';

/** Stable codes of the errors thrown by the `kube-lifecycle/node` adapters. */
export type NodeAdapterErrorCode =
  /** The `runc`/`crun` binary (or another helper binary) is not installed or not executable. */
  | 'ERR_RUNTIME_BINARY_NOT_FOUND'
  /** The root filesystem directory given to `OciRuntime` does not exist or is not a directory. */
  | 'ERR_ROOTFS_NOT_FOUND'
  /** A container with the same id already exists (left over from an earlier run, or started twice). */
  | 'ERR_CONTAINER_ID_TAKEN'
  /** The container has neither `command` nor `args`: there is no image entrypoint to fall back on. */
  | 'ERR_NO_COMMAND'
  /** A signal name that is neither a core/v1 `Signal` nor known to Node.js. */
  | 'ERR_UNKNOWN_SIGNAL'
  /** The container id is not known to this runtime instance. */
  | 'ERR_CONTAINER_NOT_FOUND'
  /** `exec` into a container whose main process has already exited. */
  | 'ERR_CONTAINER_NOT_RUNNING'
  /** The main process (or the OCI runtime) failed to start. */
  | 'ERR_START_FAILED'
  /** `exec` could not start the command (e.g. executable not found). */
  | 'ERR_EXEC_FAILED'
  /** An OCI runtime command failed for another reason; the message carries its stderr. */
  | 'ERR_RUNTIME_COMMAND_FAILED'
  /** The runtime was disposed; it accepts no new containers. */
  | 'ERR_DISPOSED';

/**
 * Error thrown or rejected by `ProcessRuntime` and `OciRuntime`. Branch on `code` (stable);
 * `containerId` names the container when there is one, `cause` keeps the underlying error.
 */
export class NodeAdapterError extends LifecycleError<NodeAdapterErrorCode> {
  override readonly name = 'NodeAdapterError';
  /** The container concerned, if any. */
  readonly containerId: string | undefined;

  constructor(code: NodeAdapterErrorCode, message: string, options?: { cause?: unknown; containerId?: string }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.containerId = options?.containerId;
  }
}

import { LifecycleError } from '../errors.js';

/** Stable codes of the errors thrown or rejected by `DockerRuntime` (`kube-lifecycle/docker`). */
export type DockerRuntimeErrorCode =
  /** The optional peer dependency `dockerode` is not installed: `npm i dockerode`. */
  | 'ERR_DOCKERODE_MISSING'
  /** No daemon answers at the socket or address (not running, wrong socket, wrong `DOCKER_HOST`). */
  | 'ERR_DOCKER_UNREACHABLE'
  /** The socket exists but this user may not open it (not in the `docker` group). */
  | 'ERR_DOCKER_PERMISSION_DENIED'
  /** The image is not on the machine and the pull policy is `Never` (the kubelet's `ErrImageNeverPull`). */
  | 'ERR_IMAGE_NEVER_PULL'
  /** Pulling the image failed (unknown name or tag, registry unreachable, credentials). */
  | 'ERR_IMAGE_PULL'
  /** The container has no `image`: Docker has nothing to run. */
  | 'ERR_NO_IMAGE'
  /** The network mode does not exist on this daemon (e.g. `bridge` on a daemon started with `--bridge=none`). */
  | 'ERR_NETWORK_UNAVAILABLE'
  /** The daemon created the container but could not start it (e.g. executable not found). */
  | 'ERR_START_FAILED'
  /** The container id is unknown to the daemon (removed, or never created). */
  | 'ERR_CONTAINER_NOT_FOUND'
  /** `exec` into a container that is not running. */
  | 'ERR_CONTAINER_NOT_RUNNING'
  /** An option of `DockerRuntime` has the wrong type or value. */
  | 'ERR_INVALID_OPTION'
  /** The runtime was disposed: it creates no more containers. */
  | 'ERR_DISPOSED'
  /** Any other answer of the daemon; the message carries its status and text. */
  | 'ERR_DOCKER_API';

/**
 * What the daemon or the HTTP client said, as plain data (kept as `cause` instead of the HTTP
 * client's own error, so logging a {@link DockerRuntimeError} never prints a dockerode stack).
 */
export interface DockerFault {
  /** HTTP status of the daemon's answer, when there was one. */
  readonly statusCode?: number;
  /** The daemon's message (`{"message": …}` of its JSON answer) or the socket error's message. */
  readonly message: string;
  /** The socket error's code (`ENOENT`, `ECONNREFUSED`, `EACCES`, …), when there was one. */
  readonly code?: string;
  /** The socket path or address the client tried, when known. */
  readonly address?: string;
}

/**
 * Error thrown or rejected by `DockerRuntime`. Branch on `code` (stable); `cause` is a
 * {@link DockerFault} (plain data) when the daemon or the socket produced the failure, and the
 * message says what to do.
 *
 * @example
 * ```ts
 * try { await runtime.startContainer(pod, container, { signal }); }
 * catch (e) { if (e instanceof DockerRuntimeError && e.code === 'ERR_DOCKER_UNREACHABLE') … }
 * ```
 */
export class DockerRuntimeError extends LifecycleError<DockerRuntimeErrorCode> {
  override readonly name = 'DockerRuntimeError';
  /** The container concerned (a Docker id or name), if any. */
  readonly containerId: string | undefined;
  /** The image concerned, if any. */
  readonly image: string | undefined;

  constructor(
    code: DockerRuntimeErrorCode,
    message: string,
    options?: { cause?: unknown; containerId?: string; image?: string },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.containerId = options?.containerId;
    this.image = options?.image;
  }
}

/** Reads the fields dockerode / docker-modem / Node put on their errors, without throwing. */
export function toFault(error: unknown): DockerFault {
  const e = (error ?? {}) as Record<string, unknown>;
  const json = e['json'] as Record<string, unknown> | string | null | undefined;
  const daemonMessage =
    typeof json === 'object' && json !== null && typeof json['message'] === 'string'
      ? json['message']
      : typeof json === 'string' && json !== ''
        ? json
        : undefined;
  const statusCode = typeof e['statusCode'] === 'number' ? e['statusCode'] : undefined;
  const code = typeof e['code'] === 'string' ? e['code'] : undefined;
  const address = typeof e['address'] === 'string' ? e['address'] : undefined;
  const raw = typeof e['message'] === 'string' ? e['message'] : String(error);
  return {
    message: (daemonMessage ?? raw).trim(),
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(code === undefined ? {} : { code }),
    ...(address === undefined ? {} : { address }),
  };
}

const UNREACHABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENOTSOCK']);

/** Where the client talks to the daemon, for messages (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
export type DaemonAddress = string;

/**
 * Translate a failure of a daemon call into a {@link DockerRuntimeError}: connection failures
 * to `ERR_DOCKER_UNREACHABLE` / `ERR_DOCKER_PERMISSION_DENIED`, 404 to `ERR_CONTAINER_NOT_FOUND`
 * when a container was addressed, anything else to `ERR_DOCKER_API` with `what` and the daemon's text.
 */
export function daemonError(
  error: unknown,
  what: string,
  daemon: DaemonAddress,
  context: { containerId?: string; image?: string } = {},
): DockerRuntimeError {
  if (error instanceof DockerRuntimeError) return error;
  const fault = toFault(error);
  const options = { cause: fault, ...context };
  if (fault.code === 'EACCES' || fault.code === 'EPERM') {
    return new DockerRuntimeError(
      'ERR_DOCKER_PERMISSION_DENIED',
      `${what}: permission denied on the Docker socket ${daemon} (${fault.code}). Run as a user in the ` +
        "'docker' group (sudo usermod -aG docker $USER, then log in again), or point DOCKER_HOST (or the " +
        "'docker' option) at a socket you own, such as rootless Docker's or Podman's " +
        '(unix://$XDG_RUNTIME_DIR/podman/podman.sock)',
      options,
    );
  }
  if (fault.statusCode === undefined && fault.code !== undefined && UNREACHABLE_CODES.has(fault.code)) {
    return new DockerRuntimeError(
      'ERR_DOCKER_UNREACHABLE',
      `${what}: no Docker daemon answers at ${daemon} (${fault.code}: ${fault.message}). Start it ` +
        "(sudo systemctl start docker, or 'podman system service' for Podman), or point DOCKER_HOST " +
        "(or the 'docker' option) at the socket it listens on",
      options,
    );
  }
  if (fault.statusCode === 404 && context.containerId !== undefined) {
    return new DockerRuntimeError(
      'ERR_CONTAINER_NOT_FOUND',
      `${what}: the daemon knows no container ${context.containerId} (${fault.message}); it was removed ` +
        '(dispose, sweep, docker rm) or never created by this runtime',
      options,
    );
  }
  const status = fault.statusCode === undefined ? (fault.code ?? 'no status') : `HTTP ${fault.statusCode}`;
  return new DockerRuntimeError(
    'ERR_DOCKER_API',
    `${what}: the Docker daemon at ${daemon} answered ${status}: ${fault.message}`,
    options,
  );
}

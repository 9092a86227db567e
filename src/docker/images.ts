import type Dockerode from 'dockerode';
import type { RuntimeEvent } from '../ports/runtime.js';
import { linkedAbort } from './abort.js';
import type { ImagePullPolicy } from './container-config.js';
import { DockerRuntimeError, daemonError, toFault } from './errors.js';

/**
 * What `DockerRuntime` reports through its `onPull` option while it makes sure an image is on the
 * machine. `Pulling`, `Pulled`, `Failed` and `ErrImageNeverPull` carry the kubelet's event type,
 * reason and message (`kubectl describe pod` shows the same lines); `Progress` carries the
 * daemon's per-layer progress, for a progress bar.
 */
export interface DockerPullEvent {
  readonly reason: 'Pulling' | 'Pulled' | 'Progress' | 'Failed' | 'ErrImageNeverPull';
  readonly type: 'Normal' | 'Warning';
  /** The image as written in the container spec. */
  readonly image: string;
  /** The kubelet's message, e.g. `Pulling image "nginx"`; for `Progress`, the daemon's status line. */
  readonly message: string;
  /** The pod and container the image is for (`POD` for the sandbox). */
  readonly pod: { readonly name: string; readonly namespace: string; readonly uid: string };
  readonly container: string;
  /** `Progress` only: the layer and its byte counts, when the daemon sends them. */
  readonly progress?: {
    readonly status: string;
    readonly layer?: string;
    readonly currentBytes?: number;
    readonly totalBytes?: number;
  };
}

/**
 * A duration as Go's `time.Duration.String()` prints it once truncated to milliseconds, as the
 * kubelet's `Pulled` message shows it: `512ms`, `1.5s`, `1m2.003s`, `1h0m0s`.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  const seconds = `${Math.floor(secondsMs / 1000)}${
    secondsMs % 1000 === 0
      ? ''
      : `.${String(secondsMs % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
  }s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** Who the image is for, and where to report. */
export interface ImageRequest {
  readonly image: string;
  readonly policy: ImagePullPolicy;
  readonly pod: DockerPullEvent['pod'];
  readonly container: string;
  readonly daemon: string;
  readonly onPull: ((event: DockerPullEvent) => void) | undefined;
  /** The manager's event sink of this start (`StartContainerOptions.onEvent`): every report but `Progress`. */
  readonly onEvent?: ((event: RuntimeEvent) => void) | undefined;
  /** Wall-clock milliseconds, for the `Pulled` durations. */
  readonly now: () => number;
}

/**
 * Make sure `request.image` is on the machine as the kubelet's image manager does
 * (`EnsureImageExists`): `Never` → present or `ERR_IMAGE_NEVER_PULL`; `IfNotPresent` → pull when
 * absent; `Always` → pull. Reports `Pulling`/`Progress`/`Pulled` (or `Failed`) through `onPull`,
 * and all but `Progress` through `onEvent` (the manager's events, spec pod §4.6).
 */
export async function ensureImage(docker: Dockerode, request: ImageRequest, signal: AbortSignal): Promise<void> {
  const { image, policy } = request;
  const report = (event: Omit<DockerPullEvent, 'image' | 'pod' | 'container'>): void => {
    try {
      request.onPull?.({ ...event, image, pod: request.pod, container: request.container });
    } catch {
      // a listener's fault is not the pull's
    }
    if (event.reason === 'Progress') return;
    try {
      request.onEvent?.({ type: event.type, reason: event.reason, message: event.message });
    } catch {
      // nor the manager's
    }
  };
  const present = policy === 'Always' ? false : await isImagePresent(docker, request, signal);
  if (present) {
    report({ reason: 'Pulled', type: 'Normal', message: `Container image "${image}" already present on machine` });
    return;
  }
  if (policy === 'Never') {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    report({ reason: 'ErrImageNeverPull', type: 'Warning', message });
    throw new DockerRuntimeError(
      'ERR_IMAGE_NEVER_PULL',
      `${message}: load it into the daemon first (docker pull ${image}, docker load or docker import), ` +
        'or set imagePullPolicy (or the runtime option pullPolicy) to IfNotPresent',
      { image },
    );
  }
  report({ reason: 'Pulling', type: 'Normal', message: `Pulling image "${image}"` });
  const startedAt = request.now();
  try {
    await linkedAbort(signal, (inner) => pull(docker, image, inner, report));
  } catch (error) {
    if (signal.aborted) throw error;
    const fault = toFault(error);
    const reachability = daemonError(error, `pulling image "${image}"`, request.daemon, { image });
    if (reachability.code === 'ERR_DOCKER_UNREACHABLE' || reachability.code === 'ERR_DOCKER_PERMISSION_DENIED')
      throw reachability;
    report({ reason: 'Failed', type: 'Warning', message: `Failed to pull image "${image}": ${fault.message}` });
    throw new DockerRuntimeError(
      'ERR_IMAGE_PULL',
      `Failed to pull image "${image}": ${fault.message}. Check the image name and tag, that the registry is ` +
        'reachable from the daemon, and its credentials (docker login); to run offline, put the image on the ' +
        'machine (docker load / docker import) and use imagePullPolicy IfNotPresent or Never',
      { cause: fault, image },
    );
  }
  const tookMs = request.now() - startedAt;
  const size = await imageSize(docker, image);
  const took = formatGoDuration(tookMs);
  report({
    reason: 'Pulled',
    type: 'Normal',
    message: `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
  });
}

async function isImagePresent(docker: Dockerode, request: ImageRequest, signal: AbortSignal): Promise<boolean> {
  try {
    await linkedAbort(signal, () => docker.getImage(request.image).inspect());
    return true;
  } catch (error) {
    if (signal.aborted) throw error;
    if (toFault(error).statusCode === 404) return false;
    throw daemonError(error, `inspecting image "${request.image}"`, request.daemon, { image: request.image });
  }
}

async function imageSize(docker: Dockerode, image: string): Promise<number> {
  try {
    const info = await docker.getImage(image).inspect();
    return typeof info.Size === 'number' ? info.Size : 0;
  } catch {
    return 0;
  }
}

type Report = (event: Omit<DockerPullEvent, 'image' | 'pod' | 'container'>) => void;

interface ProgressLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** `docker pull`: the create-image request, then its JSON progress stream until the end. */
async function pull(docker: Dockerode, image: string, signal: AbortSignal, report: Report): Promise<void> {
  const stream = (await docker.pull(image, { abortSignal: signal })) as NodeJS.ReadableStream;
  // The daemon reports a failure mid-pull as a `{"error": …}` line of a 200 answer.
  let failure: string | undefined;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: unknown) => {
        if (error !== null && error !== undefined) reject(error);
        else if (failure !== undefined) reject(new Error(failure));
        else resolve();
      },
      (line: ProgressLine) => {
        if (line.error !== undefined) {
          failure ??= line.errorDetail?.message ?? line.error;
          return;
        }
        const status = line.status ?? '';
        const detail = line.progressDetail ?? {};
        report({
          reason: 'Progress',
          type: 'Normal',
          message: line.id === undefined ? status : `${line.id}: ${status}`,
          progress: {
            status,
            ...(line.id === undefined ? {} : { layer: line.id }),
            ...(typeof detail.current === 'number' ? { currentBytes: detail.current } : {}),
            ...(typeof detail.total === 'number' ? { totalBytes: detail.total } : {}),
          },
        });
      },
    );
  });
}

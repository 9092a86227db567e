import type { DockerOption } from './connection.js';
import { type ImagePullPolicy, isImagePullPolicy } from './container-config.js';
import { DockerRuntimeError } from './errors.js';
import type { DockerPullEvent } from './images.js';

/** The pause image the kubelet (1.31+) uses for sandboxes. */
export const DEFAULT_SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** Options of {@link DockerRuntime} (DESIGN §12). */
export interface DockerRuntimeOptions {
  /** The daemon: a dockerode instance or its connection options. @default `DOCKER_HOST`, else `/var/run/docker.sock` */
  readonly docker?: DockerOption;
  /**
   * The image of each pod's sandbox container, which holds the pod's network (and IPC) namespace.
   * Pulled if not present (so, offline, it must be on the machine). @default 'registry.k8s.io/pause:3.10'
   */
  readonly sandboxImage?: string;
  /**
   * The sandbox's command, for a sandbox image without a suitable entrypoint (e.g. a busybox image:
   * `['sleep', '2147483647']`). @default the image's entrypoint (`/pause`)
   */
  readonly sandboxCommand?: readonly string[];
  /**
   * `bridge`: each sandbox gets its own IP on Docker's default bridge; that IP is the pod IP.
   * `host`: pods share the host's network (for daemons without a bridge); the pod IP is `127.0.0.1`.
   * @default 'bridge'
   */
  readonly network?: 'bridge' | 'host';
  /** Overrides every container's `imagePullPolicy`. @default each container's, else the API default by tag */
  readonly pullPolicy?: ImagePullPolicy;
  /** Called with the kubelet's `Pulling`/`Pulled`/`Failed` lines and the daemon's pull progress. */
  readonly onPull?: (event: DockerPullEvent) => void;
}

/** Check the options' types and values: a `DockerRuntimeError` `ERR_INVALID_OPTION` naming the first bad one. */
export function validateOptions(options: DockerRuntimeOptions): void {
  const invalid = (what: string, got: unknown): never => {
    throw new DockerRuntimeError('ERR_INVALID_OPTION', `DockerRuntime option ${what}, got ${JSON.stringify(got)}`);
  };
  if (options === null || typeof options !== 'object') invalid('object: expected an options object', options);
  if (options.network !== undefined && options.network !== 'bridge' && options.network !== 'host')
    invalid("network: expected 'bridge' or 'host'", options.network);
  if (options.pullPolicy !== undefined && !isImagePullPolicy(options.pullPolicy))
    invalid("pullPolicy: expected 'Always', 'IfNotPresent' or 'Never'", options.pullPolicy);
  if (options.onPull !== undefined && typeof options.onPull !== 'function')
    invalid('onPull: expected a function', typeof options.onPull);
  if (options.sandboxImage !== undefined && (typeof options.sandboxImage !== 'string' || options.sandboxImage === ''))
    invalid('sandboxImage: expected an image reference', options.sandboxImage);
  if (
    options.sandboxCommand !== undefined &&
    !(Array.isArray(options.sandboxCommand) && options.sandboxCommand.every((a) => typeof a === 'string'))
  )
    invalid('sandboxCommand: expected an array of strings', options.sandboxCommand);
}

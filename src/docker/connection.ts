import type Dockerode from 'dockerode';
import type { Daemon } from './container-ops.js';
import { loadDockerode, type RequireFunction } from './load-dockerode.js';

/**
 * How to reach the daemon, as dockerode's connection options (a subset). Unset: `DOCKER_HOST`,
 * else `/var/run/docker.sock`.
 *
 * @example { socketPath: '/run/user/1000/podman/podman.sock' } // rootless Podman
 * @example { host: '10.0.0.5', port: 2376, protocol: 'https', ca, cert, key }
 */
export interface DockerConnectionOptions {
  /** A Unix socket path, e.g. `/var/run/docker.sock`. */
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number | string;
  readonly protocol?: 'http' | 'https' | 'ssh';
  readonly ca?: string | Uint8Array;
  readonly cert?: string | Uint8Array;
  readonly key?: string | Uint8Array;
  /** The Engine API version to speak, e.g. `v1.41`. @default the daemon's */
  readonly version?: string;
  /** Socket timeout of each request, in ms. @default none */
  readonly timeout?: number;
}

/**
 * A dockerode instance you made yourself (typed by shape, so that these declarations need no
 * `@types/dockerode`).
 */
export interface DockerodeInstance {
  getContainer(id: string): unknown;
  createContainer(options: object): Promise<unknown>;
  readonly modem: unknown;
}

/** The `docker` option: a dockerode instance, or the options to make one. */
export type DockerOption = DockerConnectionOptions | DockerodeInstance;

function isInstance(value: DockerOption): value is DockerodeInstance {
  return typeof (value as { getContainer?: unknown }).getContainer === 'function';
}

/** The daemon's address as a URL, for messages (`unix:///var/run/docker.sock`, `https://host:2376`). */
function addressOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown };
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  if (typeof modem.host === 'string')
    return `${String(modem.protocol ?? 'http')}://${modem.host}${modem.port === undefined ? '' : `:${String(modem.port)}`}`;
  return 'the default Docker socket';
}

/** Connect (lazily: dockerode opens no socket until the first call) to the daemon `option` names. */
export function connect(option: DockerOption | undefined, load?: RequireFunction): Daemon {
  if (option !== undefined && isInstance(option)) {
    const docker = option as unknown as Dockerode;
    return { docker, address: addressOf(docker) };
  }
  const Docker = loadDockerode(load);
  const docker = option === undefined ? new Docker() : new Docker({ ...option } as Dockerode.DockerOptions);
  return { docker, address: addressOf(docker) };
}

import type Dockerode from 'dockerode';
import type { Container } from '../api/types.js';

/** `imagePullPolicy` of core/v1. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

const PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

/** Whether `value` is one of the three `imagePullPolicy` values. */
export function isImagePullPolicy(value: unknown): value is ImagePullPolicy {
  return typeof value === 'string' && PULL_POLICIES.includes(value);
}

/**
 * The tag of an image reference, or undefined when it has none (`nginx`, `host:5000/nginx`).
 * A digest (`nginx@sha256:…`) is reported as `@digest`.
 */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : image.slice(colon + 1);
}

/**
 * The API server's default `imagePullPolicy` (core/v1 `SetDefaults_Container`): `Always` for an
 * image tagged `:latest` or with no tag (and no digest), `IfNotPresent` otherwise.
 *
 * @example defaultPullPolicy('nginx') // 'Always'; defaultPullPolicy('nginx:1.27') // 'IfNotPresent'
 */
export function defaultPullPolicy(image: string): ImagePullPolicy {
  const tag = imageTag(image);
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * The policy a container's image is pulled with: the runtime's `pullPolicy` option when set (it
 * overrides every container), else the container's `imagePullPolicy`, else the default by tag.
 */
export function effectivePullPolicy(container: Container, override: ImagePullPolicy | undefined): ImagePullPolicy {
  if (override !== undefined) return override;
  const own = (container as Container & { imagePullPolicy?: unknown }).imagePullPolicy;
  return isImagePullPolicy(own) ? own : defaultPullPolicy(container.image ?? '');
}

/**
 * Expand Kubernetes `$(VAR)` references as the kubelet's `expansion.Expand` does: `$$` is a
 * literal `$`, an unknown `$(VAR)` (or one never closed) stays as written, any other `$` is kept.
 */
export function expandKubeVars(input: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    const next = input[i + 1];
    if (ch !== '$' || next === undefined) out += ch;
    else if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) return out + input.slice(i);
      const name = input.slice(i + 2, close);
      out += vars.get(name) ?? `$(${name})`;
      i = close;
    } else out += ch;
  }
  return out;
}

/**
 * The container's environment in order, each value expanded against the variables defined before
 * it (kubelet `makeEnvironmentVariables`); `valueFrom` is not resolved here (empty value).
 */
export function containerEnv(container: Container): Array<[string, string]> {
  const vars = new Map<string, string>();
  for (const entry of container.env ?? []) vars.set(entry.name, expandKubeVars(entry.value ?? '', vars));
  return [...vars];
}

/**
 * `command`/`args` as the kubelet hands them to the runtime: `$(VAR)` expanded from the env, then
 * `command` → Docker `Entrypoint` (replacing the image's, whose `Cmd` is then dropped) and
 * `args` → `Cmd`. Either one absent keeps the image's value (dockershim's mapping).
 */
export function entrypointAndCmd(
  container: Container,
  env: ReadonlyMap<string, string>,
): { Entrypoint?: string[]; Cmd?: string[] } {
  const expand = (list: readonly string[]): string[] => list.map((s) => expandKubeVars(s, env));
  return {
    ...(container.command === undefined ? {} : { Entrypoint: expand(container.command) }),
    ...(container.args === undefined ? {} : { Cmd: expand(container.args) }),
  };
}

/** What {@link containerCreateOptions} needs besides the container spec. */
export interface ContainerPlacement {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly sandboxId: string;
}

/**
 * The Docker create request of a pod's container: image, entrypoint/cmd, env, working dir, the
 * labels, and the sandbox's network and IPC namespaces joined (`container:<sandbox>`).
 */
export function containerCreateOptions(container: Container, at: ContainerPlacement): Dockerode.ContainerCreateOptions {
  const env = containerEnv(container);
  return {
    name: at.name,
    Image: container.image ?? '',
    ...entrypointAndCmd(container, new Map(env)),
    Env: env.map(([k, v]) => `${k}=${v}`),
    ...(container.workingDir === undefined || container.workingDir === '' ? {} : { WorkingDir: container.workingDir }),
    Labels: at.labels,
    HostConfig: {
      NetworkMode: `container:${at.sandboxId}`,
      IpcMode: `container:${at.sandboxId}`,
    },
  };
}

/** What {@link sandboxCreateOptions} needs. */
export interface SandboxPlacement {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly command: readonly string[] | undefined;
  readonly network: 'bridge' | 'host';
  /** The pod's hostname (its name), set only on a bridge network (host mode shares the host's). */
  readonly hostname: string;
}

/** The Docker create request of a pod's sandbox: holds the network and a shareable IPC namespace. */
export function sandboxCreateOptions(at: SandboxPlacement): Dockerode.ContainerCreateOptions {
  const hostname = at.hostname.slice(0, 63).replace(/[^A-Za-z0-9-]/g, '-');
  return {
    name: at.name,
    Image: at.image,
    ...(at.command === undefined ? {} : { Entrypoint: [...at.command], Cmd: [] }),
    ...(at.network === 'bridge' && hostname !== '' ? { Hostname: hostname } : {}),
    Labels: at.labels,
    HostConfig: { NetworkMode: at.network, IpcMode: 'shareable' },
  };
}

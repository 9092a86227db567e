/**
 * The OCI bundle of an {@link OciRuntime} container: its root filesystem checked, its
 * `<stateDir>/<id>/config.json` written, and the error of an id already taken.
 * @module
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Container, Pod } from '../api/types.js';
import { containerArgv, containerEnv, DEFAULT_PATH, envList } from './container-process.js';
import { NodeAdapterError } from './errors.js';
import { buildOciConfig } from './oci-config.js';

/** Where a bundle goes and what it runs. */
export interface BundleInput {
  readonly pod: Pod;
  readonly container: Container;
  /** The root filesystem option of the runtime (a directory, or a choice per container). */
  readonly rootfs: string | ((pod: Pod, container: Container) => string);
  readonly stateDir: string;
  readonly id: string;
}

/** The root filesystem of `input.container`; rejects with `ERR_ROOTFS_NOT_FOUND` when it is not a directory. */
export async function checkedRootfs(input: Pick<BundleInput, 'pod' | 'container' | 'rootfs'>): Promise<string> {
  const { pod, container } = input;
  const rootfs = resolve(typeof input.rootfs === 'function' ? input.rootfs(pod, container) : input.rootfs);
  const isDir = await stat(rootfs).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new NodeAdapterError(
      'ERR_ROOTFS_NOT_FOUND',
      `rootfs "${rootfs}" for container "${container.name}" does not exist or is not a directory: ` +
        'pass OciRuntimeOptions.rootfs pointing at an unpacked root filesystem (e.g. a busybox one)',
    );
  }
  return rootfs;
}

/** Write `<stateDir>/<id>/config.json` (replacing a stale bundle of that id); returns the bundle directory. */
export async function writeBundle(input: BundleInput, rootfsPath: string): Promise<string> {
  const { pod, container } = input;
  const podName = pod.metadata?.name ?? '';
  const env = containerEnv(container, { PATH: DEFAULT_PATH, HOSTNAME: podName, HOME: '/root' });
  const bundle = join(input.stateDir, input.id);
  await rm(bundle, { recursive: true, force: true });
  await mkdir(bundle, { recursive: true });
  const config = buildOciConfig({
    args: containerArgv(container, env),
    env: envList(env),
    cwd: container.workingDir,
    hostname: podName,
    rootfsPath,
    annotations: {
      'io.kubernetes.pod.name': podName,
      'io.kubernetes.pod.namespace': pod.metadata?.namespace ?? 'default',
      'io.kubernetes.pod.uid': pod.metadata?.uid ?? '',
      'io.kubernetes.container.name': container.name,
    },
  });
  await writeFile(join(bundle, 'config.json'), JSON.stringify(config, null, 2));
  return bundle;
}

/** `ERR_CONTAINER_ID_TAKEN`: a container of that id exists already. */
export function idTaken(id: string, binary: string): NodeAdapterError {
  return new NodeAdapterError(
    'ERR_CONTAINER_ID_TAKEN',
    `container id "${id}" is already taken: a container of that id exists (${binary} state ${id}); ` +
      `remove it with "${binary} delete --force ${id}" or choose ids with OciRuntimeOptions.containerId`,
    { containerId: id },
  );
}

import type Dockerode from 'dockerode';
import { linkedAbort } from './abort.js';
import type { Daemon } from './container-ops.js';
import { DockerRuntimeError, daemonError, toFault } from './errors.js';
import { removeContainers } from './sweep.js';

/**
 * Create and start a container; `created` records its id at once (for `dispose`). The daemon
 * requests are not cancelled mid-flight (a cancelled create may still create): on abort, whatever
 * was created is removed, then the call rejects with the signal's reason. A container the daemon
 * created but could not start is removed too (`ERR_START_FAILED`).
 */
export async function createAndStart(
  daemon: Daemon,
  created: Set<string>,
  create: Dockerode.ContainerCreateOptions,
  signal: AbortSignal,
  what: string,
): Promise<string> {
  const remove = async (id: string): Promise<void> => {
    await removeContainers(daemon, [id], `removing ${what}`).catch(() => undefined);
    created.delete(id);
  };
  let id: string;
  try {
    id = await linkedAbort(
      signal,
      async () => {
        const container = await daemon.docker.createContainer(create);
        created.add(container.id);
        return container.id;
      },
      (late) => void remove(late),
    );
  } catch (error) {
    if (signal.aborted) throw error;
    throw createError(daemon, error, what, create);
  }
  try {
    await linkedAbort(signal, () => daemon.docker.getContainer(id).start());
  } catch (error) {
    await remove(id);
    if (signal.aborted) throw error;
    const fault = toFault(error);
    if (fault.statusCode === undefined) throw daemonError(error, `starting ${what}`, daemon.address);
    throw new DockerRuntimeError('ERR_START_FAILED', `the daemon could not start ${what}: ${fault.message}`, {
      cause: fault,
      containerId: id,
    });
  }
  return id;
}

function createError(
  daemon: Daemon,
  error: unknown,
  what: string,
  create: Dockerode.ContainerCreateOptions,
): DockerRuntimeError {
  const fault = toFault(error);
  if (fault.statusCode === 404 && /network/i.test(fault.message) && create.HostConfig?.NetworkMode === 'bridge')
    return new DockerRuntimeError(
      'ERR_NETWORK_UNAVAILABLE',
      `creating ${what}: this daemon has no 'bridge' network (${fault.message}; dockerd started with --bridge=none?). ` +
        "Use new DockerRuntime({ network: 'host' }), or run a daemon with its default bridge",
      { cause: fault },
    );
  return daemonError(error, `creating ${what}`, daemon.address, { image: create.Image ?? '' });
}

/**
 * The IP address the daemon gave sandbox `id` on its network. None (a daemon started with
 * `--bridge=none` accepts NetworkMode 'bridge' and gives no address): the sandbox is removed and
 * the call rejects with `ERR_NETWORK_UNAVAILABLE`, naming the fix.
 */
export async function sandboxIP(daemon: Daemon, id: string, podName: string): Promise<string> {
  const info = await daemon.docker
    .getContainer(id)
    .inspect()
    .catch((error: unknown) =>
      Promise.reject(
        daemonError(error, `inspecting the sandbox of pod "${podName}"`, daemon.address, { containerId: id }),
      ),
    );
  const networks = Object.values(info.NetworkSettings.Networks ?? {});
  const podIP =
    (info.NetworkSettings as { IPAddress?: string }).IPAddress ||
    networks.find((n) => n.IPAddress)?.IPAddress ||
    undefined;
  if (podIP !== undefined) return podIP;
  await removeContainers(daemon, [id], `removing the sandbox of pod "${podName}"`).catch(() => undefined);
  throw new DockerRuntimeError(
    'ERR_NETWORK_UNAVAILABLE',
    `the sandbox of pod "${podName}" got no IP address on the 'bridge' network: this daemon has no working ` +
      "bridge (dockerd started with --bridge=none?). Use new DockerRuntime({ network: 'host' }), or a daemon " +
      'with its default bridge',
    { containerId: id },
  );
}

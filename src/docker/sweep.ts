import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import type { Daemon } from './container-ops.js';
import { daemonError, toFault } from './errors.js';
import { ADAPTER_LABELS, KUBERNETES_LABELS } from './names.js';

/** Options of `DockerRuntime.sweep`. */
export interface SweepOptions {
  /**
   * Also remove containers whose creating process is still alive (or runs on another host, where
   * liveness cannot be checked). Without it a sweep removes only leftovers of crashed runs, so it
   * is safe while other runs use the same daemon. @default false
   */
  readonly includeLive?: boolean;
  /** Only the containers of this run (a `DockerRuntime`'s `runId`). @default every run */
  readonly runId?: string;
}

/** What a sweep did. */
export interface SweepResult {
  /** Ids of the containers (sandboxes included) removed. */
  readonly removed: readonly string[];
  /** Ids of the adapter's containers left in place because their run is alive. */
  readonly kept: readonly string[];
}

/** Is process `pid` alive on this host? (`EPERM`: it exists, owned by someone else.) */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** Force-remove containers (no volumes), regular ones before sandboxes; 404 counts as removed. */
export async function removeContainers(daemon: Daemon, ids: readonly string[], what: string): Promise<void> {
  const failures: unknown[] = [];
  await Promise.all(
    ids.map(async (id) => {
      try {
        await daemon.docker.getContainer(id).remove({ force: true });
      } catch (error) {
        const fault = toFault(error);
        // 404: already gone. 409 "removal already in progress": someone else (a concurrent
        // stopPodSandbox) is removing it; wait for that to finish, so "removed" means gone.
        if (fault.statusCode === 409) await untilGone(daemon, id);
        else if (fault.statusCode !== 404) failures.push(error);
      }
    }),
  );
  if (failures.length > 0) throw daemonError(failures[0], what, daemon.address);
}

/** How long a removal waits for somebody else's removal of the same container to finish. */
const FOREIGN_REMOVAL_WAIT_MS = 30_000;

/** Polls until the daemon no longer knows container `id` (404), for at most {@link FOREIGN_REMOVAL_WAIT_MS}. */
async function untilGone(daemon: Daemon, id: string): Promise<void> {
  const until = Date.now() + FOREIGN_REMOVAL_WAIT_MS;
  while (Date.now() < until) {
    try {
      await daemon.docker.getContainer(id).inspect();
    } catch (error) {
      if (toFault(error).statusCode === 404) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The adapter's containers on the daemon (all states), optionally of one run only. */
export async function listManaged(daemon: Daemon, runId?: string): Promise<Dockerode.ContainerInfo[]> {
  const label = [`${ADAPTER_LABELS.managed}=true`, ...(runId === undefined ? [] : [`${ADAPTER_LABELS.run}=${runId}`])];
  try {
    return await daemon.docker.listContainers({ all: true, filters: { label } });
  } catch (error) {
    throw daemonError(error, 'listing the containers kube-lifecycle created', daemon.address);
  }
}

/** Sandboxes last: a container that joined a sandbox's namespaces goes first. */
export function sandboxesLast(containers: readonly Dockerode.ContainerInfo[]): Dockerode.ContainerInfo[][] {
  const isSandbox = (c: Dockerode.ContainerInfo): boolean => c.Labels?.[KUBERNETES_LABELS.type] === 'podsandbox';
  return [containers.filter((c) => !isSandbox(c)), containers.filter(isSandbox)];
}

/**
 * Remove the containers a `DockerRuntime` left behind (label `dev.kube-lifecycle.managed=true`):
 * by default only those whose creating process is gone from this host (a crashed run).
 */
export async function sweep(daemon: Daemon, options: SweepOptions = {}): Promise<SweepResult> {
  const here = hostname();
  const removed: string[] = [];
  const kept: string[] = [];
  const all = await listManaged(daemon, options.runId);
  for (const group of sandboxesLast(all)) {
    const doomed = group.filter((c) => {
      const labels = c.Labels ?? {};
      const isLive =
        labels[ADAPTER_LABELS.ownerHost] !== here || isProcessAlive(Number(labels[ADAPTER_LABELS.ownerPid]));
      if (isLive && options.includeLive !== true) kept.push(c.Id);
      return !isLive || options.includeLive === true;
    });
    await removeContainers(
      daemon,
      doomed.map((c) => c.Id),
      'sweeping the containers kube-lifecycle left behind',
    );
    removed.push(...doomed.map((c) => c.Id));
  }
  return { removed, kept };
}

/**
 * The KillPod rule of a pod that completes by itself (spec pod §3.2 rule 4, §3.4 rule 6): every
 * regular container is done (or a regular init container failed for good), so what still runs is
 * killed as a deletion kills it (`killContainersWithSyncResult`, spec §4.2-B): all at once with the
 * pod's grace, each sidecar's stop signal waiting for the main containers and the next-declared
 * sidecar (spec §4.2-C.6), so the sidecars' preStop hooks run together and they stop in reverse
 * order — and the sandbox stops. The worker then ends in `completed`.
 *
 * @internal
 * @module
 */

import type { ContainerExit } from './container-driver.js';
import { type ContainerRecord, DEFAULT_KILL_EXIT } from './container-record.js';
import type { PodSync } from './pod-sync.js';

/** Run KillPod on `sync` (see the module comment); resolves once the pod is `completed`. */
export async function killPod(sync: PodSync): Promise<void> {
  sync.state = 'completing';
  const running = (r: ContainerRecord) => r.state === 'running';
  const kill = async (r: ContainerRecord): Promise<void> => {
    const instance = r.instances;
    let exit: ContainerExit = DEFAULT_KILL_EXIT;
    try {
      exit = (await sync.driver.kill(r.name, { reason: 'Unknown', ordered: true })).exit ?? DEFAULT_KILL_EXIT;
    } catch {}
    sync.recordExit(r, instance, exit, false);
    sync.publish();
  };
  const targets = [...sync.regulars.filter(running), ...sync.inits.filter(running)];
  // Nothing running: no await, so the last status comes in the turn it always did (turn-order tests).
  if (targets.length > 0) await Promise.all(targets.map(kill));
  for (const r of sync.all()) if (r.state === 'exited' || r.state === 'backingOff') sync.settle(r);
  await sync.stopSandbox();
  if (sync.state === 'completing') sync.state = 'completed';
  sync.releaseWatchers();
  sync.publish();
}

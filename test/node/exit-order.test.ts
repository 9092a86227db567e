/**
 * The exit report is the signal (issue 18, issue 13 "no timing constant that counts microtask
 * turns"): with real processes, an exec killed with its container (exit 137) settles before
 * ProcessRuntime reports the exit, so the manager reports the hook's failure instead of
 * abandoning it — the child's exit arrives in a later event-loop turn than the main process's,
 * which a count of microtask turns could not wait for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { ProcessRuntime } from '../../src/node/process-runtime.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const never = (): AbortSignal => new AbortController().signal;

function pod(preStop: string[], tgps: number): Pod {
  return {
    metadata: { name: 'order', namespace: 'default', uid: `uid-${Math.random().toString(36).slice(2)}` },
    spec: {
      terminationGracePeriodSeconds: tgps,
      containers: [
        {
          name: 'main',
          command: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.05; done'],
          lifecycle: { preStop: { exec: { command: preStop } } },
        },
      ],
    },
  };
}

describe('ProcessRuntime: the execs of a container settle before its exit is reported (real processes)', () => {
  it('an exec running when the main process exits settles (137) before waitContainer resolves', async () => {
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    const p = pod(['true'], 30);
    const c = p.spec?.containers[0] as NonNullable<Pod['spec']>['containers'][number];
    const { id } = await runtime.startContainer(p, c, { signal: never() });
    const ref = { id, name: 'main', podName: 'order', podNamespace: 'default', podUID: p.metadata?.uid ?? '' };
    const order: string[] = [];
    const exec = runtime.exec(ref, ['sleep', '30'], { signal: never() }).then(
      (r) => order.push(`exec ${r.exitCode}`),
      (e: unknown) => order.push(`exec rejected ${String(e)}`),
    );
    const wait = runtime.waitContainer(ref, { signal: never() }).then((e) => order.push(`wait ${e.exitCode}`));
    await new Promise((r) => setTimeout(r, 200));
    const stop = runtime.stopContainer(ref, { timeoutSeconds: 5, signal: never() }).then(() => order.push('stop'));
    await Promise.all([exec, wait, stop]);
    expect(order[0]).toBe('exec 137');
    expect(order.slice(1).sort()).toEqual(['stop', 'wait 0']);
  });

  it('a preStop exec still running at the exit is reported FailedPreStopHook (137), not abandoned (spec §4.2-C.5.6)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-order-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    const manager = new LifecycleManager({ runtime, httpClient: new NodeHttpClient() });
    const events: KubeEvent[] = [];
    manager.on('event', (e) => events.push(e));
    // The preStop outlives the 1 s grace; the stop's SIGTERM then ends the main process, and the
    // exec dies with the container.
    const p = pod(['sleep', '30'], 1);
    await manager.startContainer(p, 'main');
    const t0 = Date.now();
    const result = await manager.deletePod(p);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(result.containers[0]?.preStop.outcome).toBe('timedOut');
    await new Promise((r) => setImmediate(r));
    const failed = events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toContain("command 'sleep 30' exited with 137");
    expect(runtime.runningContainerIds()).toEqual([]);
  });
});

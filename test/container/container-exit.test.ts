import { describe, expect, it } from 'vitest';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { makePod, setup } from '../support/manager-harness.js';

/**
 * The Terminated status (container-exit.ts): built as one literal for a started instance (round 6
 * of docs/performance-history.md), with the keys in the order they always had, with and without an exit
 * code; a status JSON an embedder serialises must not change.
 */
describe('the Terminated status of an exited instance', () => {
  it("stopped by the manager: the runtime's exit code (SIGTERM: 143) and reason between containerID and startedAt", async () => {
    const env = setup();
    const pod = makePod([{ name: 'web' }]);
    env.track(pod);
    await env.settle(env.manager.startContainer(pod, 'web'));
    await env.clock.advance(1_000);
    await env.settle(env.manager.stopContainer(pod, 'web'));
    const status = env.manager.status(pod, 'web');
    expect(Object.keys(status)).toEqual([
      'state',
      'restartCount',
      'containerID',
      'exitCode',
      'reason',
      'startedAt',
      'finishedAt',
    ]);
    expect(status).toMatchObject({ state: 'Terminated', restartCount: 0, exitCode: 143, reason: 'Error' });
    expect(status).toMatchObject({ startedAt: 0, finishedAt: 1_000 });
    expect(status.containerID).toEqual(expect.any(String));
  });

  it('exited by itself with a code: exitCode and its reason between containerID and startedAt (0: Completed, else Error)', async () => {
    for (const [exitCode, reason] of [
      [0, 'Completed'],
      [137, 'Error'],
    ] as const) {
      const env = setup();
      const pod = makePod([{ name: 'web' }]);
      env.track(pod);
      await env.settle(env.manager.startContainer(pod, 'web'));
      await env.clock.advance(500);
      env.manager.notifyExited(pod, 'web', { exitCode });
      await env.clock.flush();
      const status = env.manager.status(pod, 'web');
      expect(Object.keys(status)).toEqual([
        'state',
        'restartCount',
        'containerID',
        'exitCode',
        'reason',
        'startedAt',
        'finishedAt',
      ]);
      expect(status).toMatchObject({ state: 'Terminated', exitCode, reason, startedAt: 0, finishedAt: 500 });
    }
  });

  it('a runtime that reports no exit code (no waitContainer): no exitCode nor reason, the other keys in order', async () => {
    const clock = new VirtualClock();
    const runtime: Runtime = {
      startContainer: () => Promise.resolve({ id: 'c-1' }),
      exec: () => Promise.resolve({ exitCode: 0 }),
      stopContainer: () => Promise.resolve(),
    };
    const manager = new LifecycleManager({
      runtime,
      httpClient: { request: () => Promise.resolve({ status: 200 }) },
      clock,
    });
    const pod = makePod([{ name: 'web' }]);
    await manager.startContainer(pod, 'web');
    await clock.advance(250);
    await manager.stopContainer(pod, 'web');
    const status = manager.status(pod, 'web');
    expect(Object.keys(status)).toEqual(['state', 'restartCount', 'containerID', 'startedAt', 'finishedAt']);
    expect(status).toEqual({ state: 'Terminated', restartCount: 0, containerID: 'c-1', startedAt: 0, finishedAt: 250 });
  });
});

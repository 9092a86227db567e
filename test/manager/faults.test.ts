import { describe, expect, it } from 'vitest';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { makePod, RecordingHttpClient, setup } from '../support/manager-harness.js';

const quit = ['quit'];

describe('adapter faults become outcomes and events, never rejections (DESIGN §6)', () => {
  it('a runtime.exec that throws synchronously fails the hook', async () => {
    const env = setup();
    env.runtime.onExec(quit, { throw: new TypeError('adapter bug') });
    const pod = env.track(makePod([{ name: 'web', lifecycle: { preStop: { exec: { command: quit } } } }]));
    await env.settle(env.manager.startContainer(pod, 'web'));
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'failed' } });
    expect(result.preStop.message).toContain('adapter bug');
  });

  it('a malformed exec result (exitCode not an integer) fails the hook', async () => {
    const env = setup();
    env.runtime.onExec(quit, { malformed: { exitCode: 1.5 } });
    const pod = env.track(makePod([{ name: 'web', lifecycle: { preStop: { exec: { command: quit } } } }]));
    await env.settle(env.manager.startContainer(pod, 'web'));
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result.preStop.outcome).toBe('failed');
    expect(env.reasons()).toContain('FailedPreStopHook');
  });

  it('a malformed start result fails the start with a clear message', async () => {
    const clock = new VirtualClock();
    const runtime: Runtime = {
      startContainer: async () => ({ id: 42 }) as unknown as { id: string },
      exec: async () => ({ exitCode: 0 }),
      stopContainer: async () => undefined,
    };
    const manager = new LifecycleManager({ runtime, httpClient: new RecordingHttpClient(), clock });
    const result = await manager.startContainer(makePod([{ name: 'web' }]), 'web');
    expect(result).toMatchObject({ outcome: 'startFailed' });
    expect(result.message).toMatch(/expected \{ id: non-empty string \}/);
  });

  it('a rejecting runtime stop gives stopFailed; the container stays Running and a later stop retries (preStop again, spec §6)', async () => {
    const env = setup();
    env.runtime.onStop('web', { reject: new Error('rpc error: code = Unavailable') }, { times: 1 });
    env.runtime.onExec(quit, { exitCode: 0 });
    const pod = env.track(makePod([{ name: 'web', lifecycle: { preStop: { exec: { command: quit } } } }]));
    await env.settle(env.manager.startContainer(pod, 'web'));
    const first = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(first).toMatchObject({ outcome: 'stopFailed', error: 'rpc error: code = Unavailable' });
    expect(env.manager.status(pod, 'web').state).toBe('Running');
    const second = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(second.outcome).toBe('stopped');
    expect(env.runtime.timeline.filter((t) => t.kind === 'exec')).toHaveLength(2);
  });

  it('a runtime stop that never settles is given up after timeout + runtime request timeout, with ExceededGracePeriod', async () => {
    const clock = new VirtualClock();
    const fake = new FakeRuntime({ clock });
    const stopSignals: AbortSignal[] = [];
    const runtime: Runtime = {
      startContainer: (p, c, o) => fake.startContainer(p, c, o),
      exec: (r, c, o) => fake.exec(r, c, o),
      stopContainer: (_ref, { signal }) => {
        stopSignals.push(signal);
        return new Promise<void>(() => undefined);
      },
    };
    const manager = new LifecycleManager({
      runtime,
      httpClient: new RecordingHttpClient(),
      clock,
      runtimeRequestTimeoutSeconds: 10,
    });
    const reasons: string[] = [];
    manager.on('event', (e) => reasons.push(e.reason));
    const pod = makePod([{ name: 'web' }], { tgps: 5 });
    await manager.startContainer(pod, 'web');
    const stopping = manager.stopContainer(pod, 'web');
    await clock.runAll();
    const result = await stopping;
    expect(result).toMatchObject({ outcome: 'stopTimedOut', stopTimeoutSeconds: 5 });
    expect(clock.now()).toBe(15_000);
    expect(reasons).toContain('ExceededGracePeriod');
    expect(clock.pendingTimers).toBe(0);
    // The runtime is told to stop waiting on the call the manager gave up on.
    expect(stopSignals.map((s) => s.aborted)).toEqual([true]);
  });

  it('a throwing event listener neither breaks the manager nor hides events from other listeners', async () => {
    const env = setup();
    const seen: string[] = [];
    const errors: unknown[] = [];
    env.manager.on('event', () => {
      throw new Error('listener bug');
    });
    env.manager.on('event', (e) => seen.push(e.reason));
    env.manager.on('listenerError', (error) => errors.push(error));
    const pod = makePod([{ name: 'web' }]);
    await env.settle(env.manager.startContainer(pod, 'web'));
    await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(seen).toEqual(['Started', 'Killing']);
    expect(errors).toHaveLength(2);
  });

  it('once() and off() manage listeners', async () => {
    const env = setup();
    const once: string[] = [];
    const removed: string[] = [];
    const listener = (e: { reason: string }) => removed.push(e.reason);
    env.manager.once('event', (e) => once.push(e.reason));
    env.manager.on('event', listener);
    env.manager.off('event', listener);
    const pod = makePod([{ name: 'web' }]);
    await env.settle(env.manager.startContainer(pod, 'web'));
    await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(once).toEqual(['Started']);
    expect(removed).toEqual([]);
  });
});

describe('programmer errors reject with typed errors (DESIGN §6)', () => {
  it('an unknown container name', async () => {
    const env = setup();
    const pod = makePod([{ name: 'web' }]);
    await expect(env.manager.startContainer(pod, 'db')).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_CONTAINER',
      name: 'UnknownContainerError',
      knownContainers: ['web'],
    });
    expect(() => env.manager.status(pod, 'db')).toThrow(/container "db" is not declared in pod "web-pod"/);
  });

  it('an invalid pod, with every field error', async () => {
    const env = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { httpGet: { port: 0 } } } }]);
    const error = await env.manager.stopContainer(pod, 'web').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_LIFECYCLE_SPEC', name: 'LifecycleSpecError' });
    expect((error as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'spec.containers[0].lifecycle.preStop.httpGet.port',
    ]);
  });

  it('bad options', async () => {
    const env = setup();
    const pod = makePod([{ name: 'web' }]);
    await expect(env.manager.stopContainer(pod, 'web', { gracePeriodOverride: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(env.manager.stopContainer(pod, 'web', { reason: 'Bogus' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(env.manager.deletePod(pod, { gracePeriodSeconds: 1.5 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    expect(() => env.manager.notifyExited(pod, 'web', { exitCode: Number.NaN })).toThrow(/exitCode/);
    expect(() => new LifecycleManager({} as never)).toThrow(/options.runtime/);
    expect(
      () =>
        new LifecycleManager({
          runtime: env.runtime,
          httpClient: env.httpClient,
          policy: { httpStatus: 'strict' as never },
        }),
    ).toThrow(/policy.httpStatus/);
    expect(
      () => new LifecycleManager({ runtime: env.runtime, httpClient: env.httpClient, kubeletVersion: 'v1' }),
    ).toThrow(/kubeletVersion/);
  });
});

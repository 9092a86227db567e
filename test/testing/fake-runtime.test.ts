import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import type { ContainerRef } from '../../src/ports/runtime.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const pod: Pod = {
  metadata: { name: 'shop', namespace: 'prod', uid: 'u-1' },
  spec: { containers: [{ name: 'web' }, { name: 'db' }] },
};
const signal = new AbortController().signal;

async function setup() {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const start = async (name = 'web'): Promise<ContainerRef> => {
    const { id } = await runtime.startContainer(pod, { name }, { signal });
    return { id, name, podName: 'shop', podNamespace: 'prod', podUID: 'u-1' };
  };
  return { clock, runtime, start };
}

describe('FakeRuntime: exec', () => {
  it('resolves exit 0 with empty output by default and records the call', async () => {
    const { runtime, start } = await setup();
    const ref = await start();
    expect(await runtime.exec(ref, ['/bin/true'], { signal })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(runtime.timeline.map((e) => e.kind)).toEqual(['start', 'started', 'exec', 'exec-result']);
    expect(runtime.timeline[2]).toMatchObject({ argv: ['/bin/true'], container: 'web', containerId: ref.id, at: 0 });
  });

  it('matches by argv array, joined string, RegExp and predicate, first script first, honouring times', async () => {
    const { runtime, start } = await setup();
    runtime
      .onExec(['drain', '--fast'], { exitCode: 1 })
      .onExec('drain --slow', { exitCode: 2 })
      .onExec(/^flush/, { exitCode: 3, stdout: 'o', stderr: 'e' }, { times: 1 })
      .onExec((argv, ref) => ref.name === 'web' && argv[0] === 'flush', { exitCode: 4 });
    const ref = await start();
    const code = async (argv: string[]): Promise<number> => (await runtime.exec(ref, argv, { signal })).exitCode;
    expect(await code(['drain', '--fast'])).toBe(1);
    expect(await code(['drain', '--slow'])).toBe(2);
    expect(await runtime.exec(ref, ['flush', 'all'], { signal })).toEqual({ exitCode: 3, stdout: 'o', stderr: 'e' });
    expect(await code(['flush', 'all'])).toBe(4);
    expect(await code(['other'])).toBe(0);
  });

  it('delays on the clock, hangs until aborted, rejects, throws synchronously, returns malformed results', async () => {
    const { clock, runtime, start } = await setup();
    const boom = new Error('exec failed: OCI runtime error');
    runtime
      .onExec('slow', { exitCode: 0, delayMs: 5_000 })
      .onExec('hang', { hang: true })
      .onExec('reject', { reject: boom })
      .onExec('throw', { throw: boom })
      .onExec('weird', { malformed: { code: 'x' } });
    const ref = await start();
    let settled = false;
    const slow = runtime.exec(ref, ['slow'], { signal }).then((r) => {
      settled = true;
      return r;
    });
    await clock.advance(4_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await slow).toMatchObject({ exitCode: 0 });

    const controller = new AbortController();
    const hung = runtime.exec(ref, ['hang'], { signal: controller.signal });
    await clock.advance(60_000);
    controller.abort(new Error('grace over'));
    await expect(hung).rejects.toThrow('grace over');

    await expect(runtime.exec(ref, ['reject'], { signal })).rejects.toBe(boom);
    expect(() => runtime.exec(ref, ['throw'], { signal })).toThrow(boom);
    expect(await runtime.exec(ref, ['weird'], { signal })).toEqual({ code: 'x' });
    expect(runtime.timeline.filter((e) => e.kind === 'exec-failed').map((e) => e.error)).toEqual([
      'grace over',
      'exec failed: OCI runtime error',
      'exec failed: OCI runtime error',
    ]);
  });

  it('computes results with a function script (e.g. echo argv)', async () => {
    const { runtime, start } = await setup();
    runtime.onExec(
      () => true,
      ({ argv }) => ({ exitCode: 0, stdout: argv.slice(1).join('\n') }),
    );
    const ref = await start();
    expect((await runtime.exec(ref, ['echo', '$HOME; echo x'], { signal })).stdout).toBe('$HOME; echo x');
  });

  it('rejects an exec with an aborted signal without running it', async () => {
    const { runtime, start } = await setup();
    const ref = await start();
    await expect(runtime.exec(ref, ['x'], { signal: AbortSignal.abort(new Error('too late')) })).rejects.toThrow(
      'too late',
    );
  });

  it('explains exec on a container it never started or that has exited', async () => {
    const { runtime, start } = await setup();
    const ref = await start();
    await expect(runtime.exec({ ...ref, id: 'nope' }, ['x'], { signal })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TestingError: FakeRuntime: exec ["x"] on container "web" (id "nope") of pod "shop", which this runtime never started; started: shop-web-1 (running). Use the id returned by startContainer]`,
    );
    runtime.crash('web', { exitCode: 3 });
    await expect(runtime.exec(ref, ['x'], { signal })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TestingError: exec in container "web" (id "shop-web-1") of pod "shop": the container is not running; it exited at 0 ms with code 3]`,
    );
  });

  it('ends an exec in flight with exit code 137 when the container exits (killed with it, as runc reports)', async () => {
    const { clock, runtime, start } = await setup();
    runtime.onExec('hang', { hang: true });
    const ref = await start();
    const hung = runtime.exec(ref, ['hang'], { signal });
    runtime.crash('web', { afterMs: 100 });
    await clock.advance(100);
    await expect(hung).resolves.toEqual({ exitCode: 137, stdout: '', stderr: '' });
    expect(runtime.timeline.filter((t) => t.kind === 'exec-result').map((t) => [t.at, t.exitCode])).toEqual([
      [100, 137],
    ]);
  });
});

describe('FakeRuntime: start', () => {
  it('gives each start a new id; scripts reject, throw, delay and hang (until aborted)', async () => {
    const { clock, runtime } = await setup();
    const pulled = new Error('ErrImagePull');
    runtime
      .onStart('web', { reject: pulled, delayMs: 10 }, { times: 1 })
      .onStart('db', { throw: pulled })
      .onStart('web', { delayMs: 500 });
    const first = runtime.startContainer(pod, { name: 'web' }, { signal });
    await clock.advance(10);
    await expect(first).rejects.toBe(pulled);
    expect(() => runtime.startContainer(pod, { name: 'db' }, { signal })).toThrow(pulled);
    const second = runtime.startContainer(pod, { name: 'web' }, { signal });
    await clock.advance(500);
    expect(await second).toEqual({ id: 'shop-web-1' });
    expect(runtime.container('web')).toMatchObject({ state: 'running', startedAt: 510 });

    runtime.onStart('side', { hang: true });
    const controller = new AbortController();
    const hung = runtime.startContainer(pod, { name: 'side' }, { signal: controller.signal });
    await clock.advance(1_000);
    controller.abort(new Error('pod deleted'));
    await expect(hung).rejects.toThrow('pod deleted');
    expect(runtime.timeline.filter((e) => e.kind === 'start-failed').map((e) => e.error)).toEqual([
      'ErrImagePull',
      'ErrImagePull',
      'pod deleted',
    ]);
  });
});

describe('FakeRuntime: stop', () => {
  it('sends SIGTERM by default; the process exits at once with 143', async () => {
    const { runtime, start } = await setup();
    const ref = await start();
    await runtime.stopContainer(ref, { timeoutSeconds: 30, signal });
    expect(runtime.container(ref.id)).toMatchObject({ state: 'exited', exitCode: 143, signals: ['SIGTERM'] });
    expect(
      runtime.timeline.slice(2).map(({ kind, signal: s, timeoutSeconds }) => ({ kind, s, timeoutSeconds })),
    ).toEqual([
      { kind: 'stop', s: undefined, timeoutSeconds: 30 },
      { kind: 'signal', s: 'SIGTERM', timeoutSeconds: undefined },
      { kind: 'exit', s: undefined, timeoutSeconds: undefined },
      { kind: 'stopped', s: undefined, timeoutSeconds: undefined },
    ]);
  });

  it('exits N ms after a handled signal with the scripted code', async () => {
    const { clock, runtime, start } = await setup();
    runtime.onStop('web', { exitsOn: ['SIGQUIT'], exitDelayMs: 3_000, exitCode: 0 });
    const ref = await start();
    const stopping = runtime.stopContainer(ref, { stopSignal: 'SIGQUIT', timeoutSeconds: 30, signal });
    await clock.advance(2_999);
    expect(runtime.container('web')?.state).toBe('running');
    await clock.advance(1);
    await stopping;
    expect(runtime.container('web')).toMatchObject({
      state: 'exited',
      exitCode: 0,
      exitedAt: 3_000,
      signals: ['SIGQUIT'],
    });
  });

  it('ignores the stop signal until SIGKILL, which comes exactly at the timeout', async () => {
    const { clock, runtime, start } = await setup();
    runtime.onStop('web', { exitsOn: [] });
    const ref = await start();
    const stopping = runtime.stopContainer(ref, { timeoutSeconds: 2, signal });
    await clock.advance(1_999);
    expect(runtime.container('web')?.signals).toEqual(['SIGTERM']);
    await clock.advance(1);
    await stopping;
    expect(runtime.container('web')).toMatchObject({
      exitCode: 137,
      exitedAt: 2_000,
      signals: ['SIGTERM', 'SIGKILL'],
    });
  });

  it('resolves at once for an exited container; a scripted rejection fails the stop', async () => {
    const { runtime, start } = await setup();
    const ref = await start();
    runtime.crash('web');
    await runtime.stopContainer(ref, { timeoutSeconds: 30, signal });
    expect(runtime.timeline.filter((e) => e.kind === 'signal')).toEqual([]);
    runtime.onStop('db', { reject: new Error('rpc error: code = Unavailable') });
    const db = await start('db');
    await expect(runtime.stopContainer(db, { timeoutSeconds: 30, signal })).rejects.toThrow('Unavailable');
    expect(runtime.container('db')?.state).toBe('running');
  });

  it('honours the abort signal while waiting for the exit', async () => {
    const { clock, runtime, start } = await setup();
    runtime.onStop('web', { exitsOn: [] });
    const ref = await start();
    const controller = new AbortController();
    const stopping = runtime.stopContainer(ref, { timeoutSeconds: 30, signal: controller.signal });
    await clock.advance(1_000);
    controller.abort(new Error('shutdown'));
    await expect(stopping).rejects.toThrow('shutdown');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('FakeRuntime: crashes and exits', () => {
  it('crash() exits the main process (now or later): waitContainer and the timeline report every exit', async () => {
    const { clock, runtime, start } = await setup();
    const seen: string[] = [];
    const watch = (ref: ContainerRef): Promise<unknown> =>
      runtime
        .waitContainer(ref, { signal })
        .then(({ exitCode }) => seen.push(`${ref.name}:${exitCode}@${clock.now()}`));
    const web = await start();
    const db = await start('db');
    const watched = [watch(web), watch(db)];
    runtime.crash('web', { exitCode: 2, afterMs: 1_500 });
    await clock.advance(2_000);
    await runtime.stopContainer(db, { timeoutSeconds: 1, signal });
    runtime.crash('db'); // already exited: nothing more happens
    await Promise.all(watched);
    expect(seen).toEqual(['web:2@1500', 'db:143@2000']);
    const exits = runtime.timeline.filter((e) => e.kind === 'exit');
    expect(exits.map((e) => `${e.container}:${e.exitCode}:${e.reason}@${e.at}`)).toEqual([
      'web:2:crash@1500',
      'db:143:signal@2000',
    ]);
  });

  it("an exec running at the exit settles (exit 137) before waitContainer resolves, whatever its script awaits (the port's order)", async () => {
    const { runtime, start } = await setup();
    runtime.onExec(['/bin/slow'], async ({ signal: execSignal }) => {
      for (let i = 0; i < 100; i++) await Promise.resolve();
      await new Promise((resolve) => execSignal.addEventListener('abort', resolve));
      return { exitCode: 0 };
    });
    const ref = await start();
    const order: string[] = [];
    const exec = runtime.exec(ref, ['/bin/slow'], { signal }).then((r) => order.push(`exec ${r.exitCode}`));
    const wait = runtime.waitContainer(ref, { signal }).then((e) => order.push(`wait ${e.exitCode}`));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    runtime.crash('web', { exitCode: 3 });
    await Promise.all([exec, wait]);
    expect(order).toEqual(['exec 137', 'wait 3']);
  });

  it('explains an unknown or ambiguous crash target', async () => {
    const { runtime, start } = await setup();
    expect(() => runtime.crash('web')).toThrowErrorMatchingInlineSnapshot(
      `[TestingError: FakeRuntime.crash("web"): no such container was started; no container has been started yet]`,
    );
    await start();
    await runtime.startContainer({ metadata: { name: 'other' } }, { name: 'web' }, { signal });
    expect(() => runtime.crash('web')).toThrow(
      /ambiguous, running in pods shop, other; pass "pod\/web" or a container id/,
    );
    expect(runtime.container('web')).toBeUndefined(); // ambiguous: no guess
    expect(runtime.container('nope')).toBeUndefined();
    runtime.crash('other/web');
    expect(runtime.container('other/web')?.state).toBe('exited');
    // Only shop's web runs now: the name alone finds it, the latest running before any exited one.
    expect(runtime.container('web')?.ref.podName).toBe('shop');
    runtime.crash('web');
    expect(runtime.container('web')).toMatchObject({ state: 'exited', ref: { podName: 'other' } });
  });
});

describe('FakeRuntime: abort listener hygiene (the manager passes one signal to many calls)', () => {
  /** Abort listeners really attached to `s` (Node's own bookkeeping, not a wrapper). */
  const listeners = (s: AbortSignal): number => getEventListeners(s, 'abort').length;

  it("leaves no abort listener on the caller's signal once any call has settled, whatever the outcome", async () => {
    const { clock, runtime } = await setup();
    const shared = new AbortController().signal; // never aborted: every call must clean up by itself
    const boom = new Error('boom');
    runtime
      .onStart('slow', { delayMs: 100 })
      .onStart('bad', { reject: boom, delayMs: 10 })
      .onStart('worse', { throw: boom })
      .onStop('stubborn', { exitsOn: [] })
      .onStop('broken', { reject: boom })
      .onExec('fail', { exitCode: 3, stderr: 'no' })
      .onExec('slow', { exitCode: 0, delayMs: 50 })
      .onExec('reject', { reject: boom })
      .onExec('throw', { throw: boom })
      .onExec('weird', { malformed: 42 })
      .onExec('fn', ({ argv }) => ({ exitCode: argv.length }))
      .onExec('fn-reject', async () => Promise.reject(boom))
      .onExec('hang', { hang: true });
    const settled = async (call: Promise<unknown>): Promise<void> => {
      await clock.advance(1_000); // lets delays and escalations run; nothing here takes longer
      await call.then(
        () => undefined,
        () => undefined,
      );
    };
    const startRef = async (name: string): Promise<ContainerRef> => {
      const { id } = await runtime.startContainer(pod, { name }, { signal: shared });
      return { id, name, podName: 'shop', podNamespace: 'prod', podUID: 'u-1' };
    };

    const ref = await startRef('web');
    expect(listeners(shared)).toBe(0);
    await settled(runtime.startContainer(pod, { name: 'slow' }, { signal: shared }));
    await settled(runtime.startContainer(pod, { name: 'bad' }, { signal: shared }));
    expect(() => runtime.startContainer(pod, { name: 'worse' }, { signal: shared })).toThrow(boom);
    expect(listeners(shared)).toBe(0);

    for (const argv of [['ok'], ['fail'], ['slow'], ['reject'], ['weird'], ['fn', 'a'], ['fn-reject']]) {
      await settled(runtime.exec(ref, argv, { signal: shared }));
      expect({ argv, left: listeners(shared) }).toEqual({ argv, left: 0 });
    }
    expect(() => runtime.exec(ref, ['throw'], { signal: shared })).toThrow(boom);
    await settled(runtime.exec({ ...ref, id: 'unknown' }, ['ok'], { signal: shared }));
    expect(listeners(shared)).toBe(0);

    // An exec killed with its container (exit 137), by a crash and by a stop.
    const hung = runtime.exec(ref, ['hang'], { signal: shared });
    expect(listeners(shared)).toBe(1); // attached while the call is in flight
    runtime.crash('web');
    await expect(hung).resolves.toMatchObject({ exitCode: 137 });
    expect(listeners(shared)).toBe(0);
    await settled(runtime.exec(ref, ['ok'], { signal: shared })); // container not running: rejects
    const db = await startRef('db');
    const hungInDb = runtime.exec(db, ['hang'], { signal: shared });
    const stop = runtime.stopContainer(db, { timeoutSeconds: 30, signal: shared });
    await settled(stop);
    await expect(hungInDb).resolves.toMatchObject({ exitCode: 137 });
    expect(listeners(shared)).toBe(0);

    // Stops: already exited, SIGKILL after the timeout, scripted rejection.
    await settled(runtime.stopContainer(db, { timeoutSeconds: 30, signal: shared }));
    await settled(runtime.stopContainer(await startRef('stubborn'), { timeoutSeconds: 1, signal: shared }));
    await settled(runtime.stopContainer(await startRef('broken'), { timeoutSeconds: 1, signal: shared }));
    expect(runtime.container('stubborn')).toMatchObject({ state: 'exited', exitCode: 137 });
    expect(listeners(shared)).toBe(0);
  });

  it('leaves none once a hung start, exec or stop has been aborted, nor after an exec with an aborted signal', async () => {
    const { clock, runtime, start } = await setup();
    runtime.onStart('side', { hang: true }).onExec('hang', { hang: true }).onStop('web', { exitsOn: [] });
    const ref = await start();
    const abortAfter = async (call: (s: AbortSignal) => Promise<unknown>): Promise<void> => {
      const controller = new AbortController();
      const pending = call(controller.signal);
      await clock.advance(500);
      expect(listeners(controller.signal)).toBeGreaterThan(0);
      controller.abort(new Error('gave up'));
      await expect(pending).rejects.toThrow('gave up');
      expect(listeners(controller.signal)).toBe(0);
    };
    await abortAfter((s) => runtime.startContainer(pod, { name: 'side' }, { signal: s }));
    await abortAfter((s) => runtime.exec(ref, ['hang'], { signal: s }));
    await abortAfter((s) => runtime.stopContainer(ref, { timeoutSeconds: 30, signal: s }));
    const aborted = AbortSignal.abort(new Error('too late'));
    await expect(runtime.exec(ref, ['x'], { signal: aborted })).rejects.toThrow('too late');
    expect(listeners(aborted)).toBe(0);
  });
});

describe('FakeRuntime: waitContainer (DESIGN §10)', () => {
  it('a scripted crash resolves it on the clock with the exit code and the reason given', async () => {
    const { clock, runtime, start } = await setup();
    const ref = await start();
    runtime.crash('web', { exitCode: 137, afterMs: 5_000, reason: 'OOMKilled' });
    let exit: unknown;
    const wait = runtime.waitContainer(ref, { signal }).then((e) => {
      exit = e;
    });
    await clock.advance(4_999);
    expect(exit).toBeUndefined();
    await clock.advance(1);
    await wait;
    expect(exit).toEqual({ exitCode: 137, reason: 'OOMKilled' });
    expect(await runtime.waitContainer(ref, { signal })).toEqual({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('a stop reports the signal that ended the process; a scripted exit code is the process own', async () => {
    const { clock, runtime, start } = await setup();
    const web = await start('web');
    const wait = runtime.waitContainer(web, { signal });
    await runtime.stopContainer(web, { timeoutSeconds: 30, signal });
    expect(await wait).toEqual({ exitCode: 143, signal: 'SIGTERM' });
    runtime.onStop('db', { exitCode: 0, exitDelayMs: 1_000 });
    const db = await start('db');
    const stopped = runtime.stopContainer(db, { timeoutSeconds: 30, signal });
    await clock.advance(1_000);
    await stopped;
    expect(await runtime.waitContainer(db, { signal })).toEqual({ exitCode: 0 });
  });

  it('rejects on abort without leaving a listener, and for a container it never started', async () => {
    const { runtime, start } = await setup();
    const ref = await start();
    const controller = new AbortController();
    const wait = runtime.waitContainer(ref, { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(wait).rejects.toThrow('gave up');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await expect(runtime.waitContainer({ ...ref, id: 'nope' }, { signal })).rejects.toMatchObject({
      code: 'ERR_FAKE_MISUSE',
    });
  });
});

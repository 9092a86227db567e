/**
 * The signals the manager hands to the Runtime port (DESIGN §5: every call takes a `signal`).
 * One controller serves an instance's start and postStart calls, one its kill's preStop and stop
 * calls (src/container/records.ts, CallScope; a running container holds none, nor one that exited
 * during its start, and a sequential start/stop gets the same one back): aborted only when the
 * manager abandons a call still pending, and reused when never aborted (docs/performance-history.md).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { makePod, RecordingHttpClient } from '../support/manager-harness.js';

type Call = {
  readonly kind: 'start' | 'exec' | 'stop';
  readonly signal: AbortSignal;
  readonly argv?: readonly string[];
};

/** A runtime that records each call's signal; `hang` names calls that never settle by themselves. */
class SignalRecordingRuntime implements Runtime {
  readonly calls: Call[] = [];
  hang = new Set<string>();
  #ids = 0;

  startContainer(_pod: Pod, _container: Container, { signal }: { signal: AbortSignal }): Promise<{ id: string }> {
    this.calls.push({ kind: 'start', signal });
    if (this.hang.has('start')) return untilAborted(signal);
    return Promise.resolve({ id: `c${++this.#ids}` });
  }

  exec(_ref: ContainerRef, argv: readonly string[], { signal }: { signal: AbortSignal }): Promise<ExecResult> {
    this.calls.push({ kind: 'exec', signal, argv });
    if (this.hang.has(argv.join(' '))) return untilAborted(signal);
    return Promise.resolve({ exitCode: 0 });
  }

  stopContainer(_ref: ContainerRef, { signal }: { timeoutSeconds: number; signal: AbortSignal }): Promise<void> {
    this.calls.push({ kind: 'stop', signal });
    if (this.hang.has('stop')) return untilAborted(signal);
    return Promise.resolve();
  }

  signals(kind?: Call['kind']): AbortSignal[] {
    return this.calls.filter((c) => kind === undefined || c.kind === kind).map((c) => c.signal);
  }
}

function untilAborted<T>(signal: AbortSignal): Promise<T> {
  return new Promise<T>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

const hooked = (preStop: string[] = ['quit']): Container => ({
  name: 'web',
  lifecycle: { postStart: { exec: { command: ['ready'] } }, preStop: { exec: { command: preStop } } },
});

function setup(runtimeRequestTimeoutSeconds?: number) {
  const clock = new VirtualClock();
  const runtime = new SignalRecordingRuntime();
  const manager = new LifecycleManager({
    runtime,
    httpClient: new RecordingHttpClient(),
    clock,
    ...(runtimeRequestTimeoutSeconds !== undefined ? { runtimeRequestTimeoutSeconds } : {}),
  });
  /** Run the clock until `promise` settles. */
  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    await clock.flush();
    while (!done && clock.pendingTimers > 0) await clock.next();
    return promise;
  };
  return { clock, runtime, manager, settle };
}

describe('the signal of a container instance (DESIGN §5 ports; spec §3, §4.2-C)', () => {
  it('start, postStart, preStop and stop of one instance carry one signal, never aborted by a clean cycle', async () => {
    const { runtime, manager, settle } = setup();
    const pod = makePod([hooked()]);
    expect(await settle(manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await settle(manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopped' });
    expect(runtime.calls.map((c) => c.kind)).toEqual(['start', 'exec', 'exec', 'stop']);
    const [first, ...rest] = runtime.signals();
    for (const signal of rest) expect(signal).toBe(first);
    expect(first!.aborted).toBe(false);
  });

  it('a restart reuses the signal when nothing was pending at the exit', async () => {
    const { runtime, manager, settle } = setup();
    const pod = makePod([hooked()]);
    for (let i = 0; i < 3; i++) {
      await settle(manager.startContainer(pod, 'web'));
      await settle(manager.stopContainer(pod, 'web'));
    }
    expect(new Set(runtime.signals()).size).toBe(1);
  });

  it('an instance that exits during its start gives its signal back at once: the next start anywhere reuses it (a crash loop holds none while backing off)', async () => {
    const { runtime, manager, settle } = setup();
    // A runtime whose containers exit the moment they run (waitContainer answers at once).
    Object.assign(runtime, { waitContainer: () => Promise.resolve({ exitCode: 1 }) });
    const crashing = makePod([{ name: 'web' }]);
    expect(await settle(manager.startContainer(crashing, 'web'))).toMatchObject({ outcome: 'exited' });
    const other = {
      ...makePod([{ name: 'web' }]),
      metadata: { name: 'other', namespace: 'default', uid: 'uid-other' },
    };
    await settle(manager.startContainer(other, 'web'));
    const [exited, next] = runtime.signals('start');
    expect(next).toBe(exited);
    expect(exited!.aborted).toBe(false);
  });

  it('a preStop still running when the container exits has its signal aborted; the next instance gets a fresh one (spec §4.2-C.5)', async () => {
    const { runtime, manager, settle } = setup();
    runtime.hang.add('quit');
    const pod = makePod([hooked()], { tgps: 5 });
    await settle(manager.startContainer(pod, 'web'));
    const stopped = await settle(manager.stopContainer(pod, 'web'));
    expect(stopped).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'timedOut' } });
    const [instance] = runtime.signals('exec').slice(-1);
    expect(instance!.aborted).toBe(true);
    expect((instance!.reason as Error).message).toBe('container exited');
    runtime.hang.clear();
    await settle(manager.startContainer(pod, 'web'));
    const next = runtime.signals('start').at(-1)!;
    expect(next).not.toBe(instance);
    expect(next.aborted).toBe(false);
  });

  it('a start past the runtime request timeout aborts its signal; a later start gets a fresh one', async () => {
    const { runtime, manager, settle } = setup(10);
    runtime.hang.add('start');
    const pod = makePod([hooked()]);
    const failed = await settle(manager.startContainer(pod, 'web'));
    expect(failed).toMatchObject({ outcome: 'startFailed', message: 'runtime did not start the container within 10s' });
    const [timedOut] = runtime.signals('start');
    expect(timedOut!.aborted).toBe(true);
    runtime.hang.clear();
    expect(await settle(manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(runtime.signals('start')[1]!.aborted).toBe(false);
    expect(runtime.signals('start')[1]).not.toBe(timedOut);
  });

  it('a stop given up on aborts its signal, and the retry runs preStop on a live one (spec §6 retry)', async () => {
    const { runtime, manager, settle } = setup(10);
    runtime.hang.add('stop');
    const pod = makePod([hooked()], { tgps: 5 });
    await settle(manager.startContainer(pod, 'web'));
    const givenUp = await settle(manager.stopContainer(pod, 'web'));
    expect(givenUp).toMatchObject({ outcome: 'stopTimedOut' });
    const [abandoned] = runtime.signals('stop');
    expect(abandoned!.aborted).toBe(true);
    expect(manager.status(pod, 'web').state).toBe('Running');

    runtime.hang.clear();
    const retried = await settle(manager.stopContainer(pod, 'web'));
    expect(retried).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'succeeded' } });
    const retry = runtime.calls.slice(-2);
    expect(retry.map((c) => c.kind)).toEqual(['exec', 'stop']);
    for (const call of retry) {
      expect(call.signal.aborted).toBe(false);
      expect(call.signal).not.toBe(abandoned);
    }
  });

  it('each container of a pod has its own signal: one exit aborts nothing of its neighbours', async () => {
    const { runtime, manager, settle } = setup();
    runtime.hang.add('slow');
    const pod = makePod(
      [
        { ...hooked(['slow']), name: 'a' },
        { ...hooked(), name: 'b' },
      ],
      { tgps: 3 },
    );
    await settle(Promise.all([manager.startContainer(pod, 'a'), manager.startContainer(pod, 'b')]));
    const [a, b] = runtime.signals('start');
    expect(a).not.toBe(b); // calls in flight at the same time never share a signal
    await settle(manager.stopContainer(pod, 'a')); // its preStop hangs past the grace: aborted at exit
    const slow = runtime.calls.find((c) => c.argv?.[0] === 'slow');
    expect(slow?.signal.aborted).toBe(true);
    // A running container holds no signal (its kill takes one): b's kill runs on a live one.
    const stopped = await settle(manager.stopContainer(pod, 'b'));
    expect(stopped.preStop.outcome).toBe('succeeded');
    expect(runtime.calls.filter((c) => c.argv?.[0] === 'quit').at(-1)?.signal.aborted).toBe(false);
    expect(runtime.signals('stop').at(-1)?.aborted).toBe(false);
  });

  it('an exec preStop the runtime ends with its container (exit 137) before it reports the stop is reported, however many awaits the stop takes after (spec §4.2-C.5.6)', async () => {
    const clock = new VirtualClock();
    let endExec: (() => void) | undefined;
    const runtime: Runtime = {
      startContainer: () => Promise.resolve({ id: 'c1' }),
      exec: (_ref, argv) =>
        argv[0] === 'drain'
          ? new Promise<ExecResult>((resolve) => (endExec = () => resolve({ exitCode: 137 })))
          : Promise.resolve({ exitCode: 0 }),
      // The exec's death first (the order the Runtime port asks), then 100 awaits, then the stop.
      stopContainer: async () => {
        endExec?.();
        await afterTurns(100);
      },
    };
    const manager = new LifecycleManager({ runtime, httpClient: new RecordingHttpClient(), clock });
    const reasons: string[] = [];
    manager.on('event', (e) => reasons.push(e.reason));
    const pod = makePod([hooked(['drain'])], { tgps: 2 });
    await manager.startContainer(pod, 'web');
    const stopping = manager.stopContainer(pod, 'web');
    await clock.runAll();
    expect(await stopping).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'timedOut' } });
    await clock.flush();
    expect(reasons).toEqual(['Started', 'Killing', 'FailedPreStopHook']);
  });

  it('an exec preStop the runtime never ends is abandoned at the exit: aborted, unreported, nothing left pending', async () => {
    const { runtime, manager, settle, clock } = setup();
    runtime.hang.add('quit');
    const reasons: string[] = [];
    manager.on('event', (e) => reasons.push(e.reason));
    const pod = makePod([hooked()], { tgps: 2 });
    await settle(manager.startContainer(pod, 'web'));
    await settle(manager.stopContainer(pod, 'web'));
    await clock.flush();
    expect(runtime.signals('exec').at(-1)!.aborted).toBe(true);
    expect(reasons).toEqual(['Started', 'Killing']);
    expect(clock.pendingTimers).toBe(0);
  });
});

/** Resolves after `turns` microtask turns. */
function afterTurns(turns: number): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < turns; i++) chain = chain.then();
  return chain;
}

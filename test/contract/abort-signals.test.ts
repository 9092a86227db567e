/**
 * Black-box contract: The AbortSignals the manager hands to Runtime / HttpClient calls (docs/semantics.md "The signals
 * adapters get", "Hooks still running when the container exits", "Runtime request timeout").
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import { execHook, makePod, run, setup, watch } from '../support/scripted-adapters.js';
import { settle } from '../support/settle.js';

// =============================================================================================
// 1. The signals adapters get
// =============================================================================================

describe('1. the AbortSignals handed to the runtime (semantics.md "The signals adapters get")', () => {
  it('a clean cycle: start, postStart, preStop and stop of one instance carry one signal, never aborted', async () => {
    const { clock, runtime, manager } = setup();
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 1_000, result: { exitCode: 0 } });
    const pod = makePod([
      { name: 'web', lifecycle: { postStart: execHook('/bin/post'), preStop: execHook('/bin/pre') } },
    ]);
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'succeeded' },
    });
    await clock.runAll();
    await settle();
    expect(runtime.calls.map((c) => c.kind)).toEqual(['start', 'exec', 'exec', 'stop']);
    const signals = new Set(runtime.calls.map((c) => c.signal));
    expect(signals.size).toBe(1);
    expect([...signals][0]!.aborted).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a restart reuses the never-aborted signal of the previous instance, and postStart runs again (spec §3.6)', async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod([
      { name: 'web', lifecycle: { postStart: execHook('/bin/post'), preStop: execHook('/bin/pre') } },
    ]);
    for (let i = 0; i < 3; i++) {
      expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
      expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopped' });
    }
    expect(runtime.of('exec').filter((c) => c.argv?.[0] === '/bin/post')).toHaveLength(3);
    expect(new Set(runtime.calls.map((c) => c.signal)).size).toBe(1);
    expect(runtime.calls.every((c) => !c.signal.aborted)).toBe(true);
    expect(manager.status(pod, 'web').restartCount).toBe(2);
  });

  it('a preStop exec still running when its container exits is abandoned: signal aborted at the exit, no report, no timer; the next instance gets a fresh signal (spec §4.2-C.5, semantics.md "Hooks still running when the container exits")', async () => {
    const { clock, runtime, manager, reasons } = setup();
    runtime.execs.set('/bin/pre', { kind: 'hang' });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 4 }));
    expect(result).toMatchObject({
      outcome: 'stopped',
      gracePeriodSeconds: 4,
      stopTimeoutSeconds: 2,
      exitedAt: 4_500,
      preStop: { outcome: 'timedOut', elapsedMs: 4_000 },
    });
    await settle();
    const [exec] = runtime.of('exec');
    expect(exec?.settled).toBe('rejected');
    expect(exec!.signal.aborted).toBe(true);
    expect(runtime.abortTime(exec!.signal)).toBe(4_500);
    expect(reasons()).toEqual(['Started', 'Killing']);
    expect(clock.pendingTimers).toBe(0);

    runtime.execs.delete('/bin/pre');
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    const restart = runtime.of('start').at(-1)!;
    expect(restart.signal).not.toBe(exec!.signal);
    expect(restart.signalAbortedAtCall).toBe(false);
    expect(restart.signal.aborted).toBe(false);
  });

  it('a start past runtimeRequestTimeoutSeconds fails at exactly that time and aborts its signal; the next start gets a fresh one (semantics.md "Runtime request timeout")', async () => {
    const { clock, runtime, manager, events } = setup({ runtimeRequestTimeoutSeconds: 5 });
    runtime.starts.set('web', { kind: 'hang' });
    const pod = makePod([{ name: 'web' }]);
    const starting = manager.startContainer(pod, 'web');
    const state = watch(starting);
    await clock.advanceTo(4_999);
    await settle();
    const [start] = runtime.of('start');
    expect(state.settled).toBe(false);
    expect(start!.signal.aborted).toBe(false);
    await clock.advance(1);
    await settle();
    expect(state.settled).toBe(true);
    expect(await starting).toMatchObject({ outcome: 'startFailed' });
    expect(runtime.abortTime(start!.signal)).toBe(5_000);
    expect(start!.settled).toBe('rejected');
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'RunContainerError' });
    expect(events.filter((e) => e.reason === 'Failed')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        timestamp: 5_000,
        message: expect.stringMatching(/^Error: /) as unknown,
      }),
    ]);
    expect(clock.pendingTimers).toBe(0);

    runtime.starts.delete('web');
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    const second = runtime.of('start')[1]!;
    expect(second.signal).not.toBe(start!.signal);
    expect(second.signalAbortedAtCall).toBe(false);
  });

  it('a stop the runtime never finishes is given up at exactly stop timeout + runtimeRequestTimeoutSeconds: stopTimedOut, Warning ExceededGracePeriod on the pod, its signal aborted, the container still Running (semantics.md "Runtime request timeout", spec §7)', async () => {
    const { clock, runtime, manager, events } = setup({ runtimeRequestTimeoutSeconds: 5 });
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 1_000, result: { exitCode: 0 } });
    runtime.stops.set('web', { kind: 'hang' });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web');
    const state = watch(stopping);
    await clock.advanceTo(34_999);
    await settle();
    const [stop] = runtime.of('stop');
    expect(stop).toMatchObject({ at: 1_000, timeoutSeconds: 29 });
    expect(state.settled).toBe(false);
    expect(stop!.signal.aborted).toBe(false);
    await clock.advance(1);
    await settle();
    expect(state.settled).toBe(true);
    expect(await stopping).toMatchObject({
      outcome: 'stopTimedOut',
      stopTimeoutSeconds: 29,
      preStop: { outcome: 'succeeded' },
    });
    expect(runtime.abortTime(stop!.signal)).toBe(35_000);
    expect(events.filter((e) => e.reason === 'ExceededGracePeriod')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        message: 'Container runtime did not kill the pod within specified grace period.',
        object: expect.objectContaining({ kind: 'Pod', name: 'shop', namespace: 'ns' }) as unknown,
        timestamp: 35_000,
      }),
    ]);
    expect(manager.status(pod, 'web').state).toBe('Running');
    expect(clock.pendingTimers).toBe(0);
  });

  it('the retry after a stop given up on runs preStop again, on a fresh live signal, and stops the container (spec §4.2-F.3, §6)', async () => {
    const { clock, runtime, manager } = setup({ runtimeRequestTimeoutSeconds: 5 });
    runtime.stops.set('web', { kind: 'hang' });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }], { tgps: 3 });
    await run(clock, manager.startContainer(pod, 'web'));
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopTimedOut' });
    const abandoned = runtime.of('stop')[0]!.signal;
    expect(abandoned.aborted).toBe(true);

    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 100 });
    const retried = await run(clock, manager.stopContainer(pod, 'web'));
    expect(retried).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 3 });
    expect(runtime.of('exec', 'web')).toHaveLength(2);
    const retry = runtime.calls.slice(-2);
    expect(retry.map((c) => c.kind)).toEqual(['exec', 'stop']);
    for (const call of retry) {
      expect(call.signal).not.toBe(abandoned);
      expect(call.signalAbortedAtCall).toBe(false);
      expect(call.signal.aborted).toBe(false);
    }
    expect(manager.status(pod, 'web').state).toBe('Terminated');
    expect(clock.pendingTimers).toBe(0);
  });

  it('containers of one pod have their own signals: an abandoned hook of one aborts nothing of a neighbour whose preStop still runs (spec §4.2-B)', async () => {
    const { clock, runtime, manager, reasons } = setup();
    runtime.execs.set('/bin/hang', { kind: 'hang' });
    runtime.execs.set('/bin/slow', { kind: 'result', afterMs: 6_000, result: { exitCode: 0 } });
    runtime.stops.set('a', { kind: 'exit', exitAfterMs: 100 });
    const pod = makePod([
      { name: 'a', lifecycle: { preStop: execHook('/bin/hang') } },
      { name: 'b', lifecycle: { preStop: execHook('/bin/slow') } },
    ]);
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    const stopA = manager.stopContainer(pod, 'a', { gracePeriodOverride: 2 });
    const stopB = manager.stopContainer(pod, 'b');
    await clock.advanceTo(2_100);
    await settle();
    expect(await stopA).toMatchObject({ outcome: 'stopped', exitedAt: 2_100, preStop: { outcome: 'timedOut' } });
    const signalA = runtime.of('exec', 'a')[0]!.signal;
    const signalB = runtime.of('exec', 'b')[0]!.signal;
    expect(signalA).not.toBe(signalB);
    expect(signalA.aborted).toBe(true);
    expect(signalB.aborted).toBe(false);
    expect(runtime.of('exec', 'b')[0]!.settled).toBeUndefined(); // still running
    const resultB = await run(clock, stopB);
    expect(resultB).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'succeeded', elapsedMs: 6_000 },
      stopTimeoutSeconds: 24,
    });
    expect(signalB.aborted).toBe(false);
    expect(reasons()).not.toContain('FailedPreStopHook');
  });

  const orders = [
    { label: 'the exec settles 5 turns before the stop', execLag: 0, stopLag: 5 },
    { label: 'the exec settles 40 turns before the stop', execLag: 0, stopLag: 40 },
    { label: 'both settle on the same turn', execLag: 0, stopLag: 0 },
    { label: 'the exec settles 100 turns before the stop', execLag: 0, stopLag: 100 },
  ];
  for (const { label, execLag, stopLag } of orders) {
    it(`a hung exec preStop the runtime ends with its container (exit 137) is reported as FailedPreStopHook: ${label} (spec §4.2-C.5.6)`, async () => {
      const { clock, runtime, manager, events } = setup();
      runtime.execs.set('/bin/pre', { kind: 'diesWithContainer', lagTurns: execLag });
      runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500, resolveLagTurns: stopLag });
      const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
      await run(clock, manager.startContainer(pod, 'web'));
      const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 4 }));
      await clock.runAll();
      await settle();
      expect(result).toMatchObject({
        outcome: 'stopped',
        exitedAt: 4_500,
        preStop: { outcome: 'timedOut', elapsedMs: 4_000 },
      });
      expect(runtime.of('exec')[0]?.settled).toBe('resolved');
      const failed = events.filter((e) => e.reason === 'FailedPreStopHook');
      expect(failed).toEqual([
        expect.objectContaining({
          type: 'Warning',
          message: 'PreStopHook failed',
          timestamp: 4_500,
          detail:
            'Exec lifecycle hook ([/bin/pre]) for Container "web" in Pod "shop_ns(uid-r3)" failed - error: command \'/bin/pre\' exited with 137: , message: ""',
          object: expect.objectContaining({
            kind: 'Container',
            name: 'web',
            fieldPath: 'spec.containers{web}',
          }) as unknown,
        }),
      ]);
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it('an exec the runtime ends 100 turns after it reported the stop is abandoned: the exit report is the signal, not a count of turns (spec §4.2-C.5.6)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/pre', { kind: 'diesWithContainer', lagTurns: 100 });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500, resolveLagTurns: 0 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 4 }));
    await clock.runAll();
    await settle();
    expect(result).toMatchObject({ outcome: 'stopped', exitedAt: 4_500, preStop: { outcome: 'timedOut' } });
    expect(runtime.of('exec')[0]?.signal.aborted).toBe(true);
    expect(events.filter((e) => e.reason === 'FailedPreStopHook')).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a container that crashes during a preStop exec the runtime ends with it (137): FailedPreStopHook, nothing left pending (spec §4.2-C.5.6)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/pre', { kind: 'diesWithContainer', lagTurns: 0 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    const { containerID } = await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web');
    await clock.advanceTo(2_000);
    runtime.exit(containerID!);
    manager.notifyExited(pod, 'web', { exitCode: 1 });
    await run(clock, stopping);
    await settle();
    expect(events.filter((e) => e.reason === 'FailedPreStopHook')).toEqual([
      expect.objectContaining({
        timestamp: 2_000,
        detail: expect.stringContaining("command '/bin/pre' exited with 137") as unknown,
      }),
    ]);
    expect(manager.status(pod, 'web').state).toBe('Terminated');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a postStart still running when its container exits is not cut: the start waits for it (spec §3.3, §3.7); once the runtime ends it (137): FailedPostStartHook, Waiting/PostStartHookError (spec §3.5)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/post', { kind: 'manual' });
    const pod = makePod([{ name: 'web', lifecycle: { postStart: execHook('/bin/post') } }]);
    const starting = manager.startContainer(pod, 'web');
    const state = watch(starting);
    await settle();
    const [start] = runtime.of('start');
    await clock.advanceTo(1_000);
    runtime.exit(start!.id);
    manager.notifyExited(pod, 'web', { exitCode: 2 });
    await clock.advanceTo(600_000);
    await settle();
    const post = runtime.of('exec')[0]!;
    expect(state.settled).toBe(false);
    expect(post.signal.aborted).toBe(false);
    runtime.endExec({ exitCode: 137, stdout: '', stderr: '' });
    expect(await run(clock, starting)).toMatchObject({
      outcome: 'postStartFailed',
      postStart: { outcome: 'failed', elapsedMs: 600_000 },
    });
    await settle();
    const detail =
      'Exec lifecycle hook ([/bin/post]) for Container "web" in Pod "shop_ns(uid-r3)" failed - error: command \'/bin/post\' exited with 137: , message: ""';
    expect(events.filter((e) => e.reason === 'FailedPostStartHook')).toEqual([
      expect.objectContaining({ type: 'Warning', message: 'PostStartHook failed', timestamp: 600_000, detail }),
    ]);
    expect(manager.status(pod, 'web')).toMatchObject({
      state: 'Waiting',
      reason: 'PostStartHookError',
      message: detail,
    });
    expect(clock.pendingTimers).toBe(0);
  });

  it('deletePod: a hook abandoned in one container and an exec killed with another (137) — only the latter is reported, each on its own signal, no timer left (spec §4.2-B, §4.2-C.5.6)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/hang', { kind: 'hang' });
    runtime.execs.set('/bin/dies', { kind: 'diesWithContainer', lagTurns: 2 });
    runtime.stops.set('a', { kind: 'exit', exitAfterMs: 300 });
    runtime.stops.set('b', { kind: 'exit', exitAfterMs: 700 });
    const pod = makePod([
      { name: 'a', lifecycle: { preStop: execHook('/bin/hang') } },
      { name: 'b', lifecycle: { preStop: execHook('/bin/dies') } },
    ]);
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    const result = await run(clock, manager.deletePod(pod, { gracePeriodSeconds: 5 }));
    await clock.runAll();
    await settle();
    expect(result.containers).toMatchObject([
      { container: 'a', outcome: 'stopped', exitedAt: 5_300, preStop: { outcome: 'timedOut' } },
      { container: 'b', outcome: 'stopped', exitedAt: 5_700, preStop: { outcome: 'timedOut' } },
    ]);
    expect(events.filter((e) => e.reason === 'FailedPreStopHook').map((e) => [e.object.name, e.timestamp])).toEqual([
      ['b', 5_700],
    ]);
    const [execA, execB] = [runtime.of('exec', 'a')[0]!, runtime.of('exec', 'b')[0]!];
    expect(execA.signal).not.toBe(execB.signal);
    expect(runtime.abortTime(execA.signal)).toBe(5_300);
    expect(execB.settled).toBe('resolved');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a sleep preStop cut by the grace is abandoned silently once the container exited and leaves no timer (spec §5.3, §4.2-C.5)', async () => {
    const { clock, runtime, manager, reasons } = setup();
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 30 } } } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web', { gracePeriodOverride: 5 });
    await clock.advanceTo(5_500);
    await settle();
    expect(await stopping).toMatchObject({
      outcome: 'stopped',
      exitedAt: 5_500,
      stopTimeoutSeconds: 2,
      preStop: { outcome: 'timedOut', elapsedMs: 5_000 },
    });
    // the 30 s sleep (due at 30 000) must be gone with the container
    expect(clock.pendingTimerList()).toEqual([]);
    await clock.advanceTo(60_000);
    await settle();
    expect(reasons()).toEqual(['Started', 'Killing']);
  });

  it('an httpGet preStop cut by the grace is abandoned silently once the container exited: its request aborted, no FailedPreStopHook, no timer (spec §5.2, §4.2-C.5)', async () => {
    const { clock, runtime, http, manager, reasons } = setup();
    http.routes.set('/drain', { kind: 'hang' });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }], {
      podIP: '10.0.0.9',
    });
    await run(clock, manager.startContainer(pod, 'web'));
    const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 3 }));
    await settle();
    expect(result).toMatchObject({
      outcome: 'stopped',
      exitedAt: 3_500,
      preStop: { outcome: 'timedOut', elapsedMs: 3_000 },
    });
    expect(http.requests).toHaveLength(1);
    const [request] = http.requests;
    expect(request!.url).toBe('http://10.0.0.9:8080/drain');
    expect(request!.signal.aborted).toBe(true);
    expect(request!.settled).toBe('rejected');
    // one signal serves the start, the hooks' requests and the stop of the instance
    expect(request!.signal).toBe(runtime.of('start')[0]!.signal);
    expect(reasons()).toEqual(['Started', 'Killing']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('policy postStartTimeoutSeconds: the kill that follows a timed-out postStart hands live signals to preStop and stop (semantics.md "Policies", spec §3.5)', async () => {
    const { clock, runtime, manager, reasons } = setup({ policy: { postStartTimeoutSeconds: 3 } });
    runtime.execs.set('/bin/post', { kind: 'hang' });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 100 });
    const pod = makePod([
      { name: 'web', lifecycle: { postStart: execHook('/bin/post'), preStop: execHook('/bin/pre') } },
    ]);
    const result = await run(clock, manager.startContainer(pod, 'web'));
    expect(result).toMatchObject({
      outcome: 'postStartFailed',
      kill: { outcome: 'stopped', preStop: { outcome: 'succeeded' } },
    });
    const post = runtime.of('exec').find((c) => c.argv?.[0] === '/bin/post');
    expect(post?.settled).toBe('rejected'); // the hook's abort signal fired
    const pre = runtime.of('exec').find((c) => c.argv?.[0] === '/bin/pre');
    expect(pre?.signalAbortedAtCall).toBe(false);
    expect(runtime.of('stop')[0]?.signalAbortedAtCall).toBe(false);
    expect(reasons()).toEqual(['Started', 'FailedPostStartHook', 'Killing']);
  });
});

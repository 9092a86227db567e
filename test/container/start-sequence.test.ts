import { describe, expect, it } from 'vitest';
import { makePod, setup } from '../support/manager-harness.js';

const postStartExec = { exec: { command: ['/bin/sh', '-c', 'echo hello > /tmp/msg'] } };
const preStopExec = { exec: { command: ['/usr/sbin/nginx', '-s', 'quit'] } };

describe('startContainer (spec §3)', () => {
  it('emits Started, then runs postStart; Running only after postStart succeeds (spec §3.1, §3.2)', async () => {
    const { clock, runtime, manager, events, settle, track } = setup();
    runtime.onExec(postStartExec.exec.command, { exitCode: 0, delayMs: 5_000 });
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: postStartExec } }]));

    const started = manager.startContainer(pod, 'web');
    await clock.advance(4_999);
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Waiting', restartCount: 0 });
    expect(events.map((e) => [e.reason, e.message])).toEqual([['Started', 'Container started']]);

    const result = await settle(started);
    expect(result).toMatchObject({
      outcome: 'running',
      postStart: { outcome: 'succeeded', elapsedMs: 5_000 },
      runningAt: 5_000,
    });
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Running', startedAt: 5_000 });
    const kinds = runtime.timeline.map((t) => t.kind);
    expect(kinds.indexOf('started')).toBeLessThan(kinds.indexOf('exec'));
  });

  it('a container without postStart is Running as soon as it started', async () => {
    const { manager, settle } = setup();
    const pod = makePod([{ name: 'web' }]);
    const result = await settle(manager.startContainer(pod, 'web'));
    expect(result).toMatchObject({ outcome: 'running', postStart: { outcome: 'skipped' } });
    expect(manager.status(pod, 'web').state).toBe('Running');
  });

  it('a failed postStart emits FailedPostStartHook, kills with reason FailedPostStartHook (preStop runs) and leaves Waiting/PostStartHookError (spec §3.5)', async () => {
    const { runtime, manager, events, settle, track } = setup();
    runtime.onExec(postStartExec.exec.command, { exitCode: 2, stdout: 'out', stderr: 'boom' });
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: postStartExec, preStop: preStopExec } }]));

    const result = await settle(manager.startContainer(pod, 'web'));

    expect(result.outcome).toBe('postStartFailed');
    expect(events.map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Normal', 'Started', 'Container started'],
      ['Warning', 'FailedPostStartHook', 'PostStartHook failed'],
      ['Normal', 'Killing', 'FailedPostStartHook'],
    ]);
    const failed = events[1]!;
    expect(failed.detail).toBe(result.message);
    expect(failed.detail).toContain(
      'Exec lifecycle hook ([/bin/sh -c echo hello > /tmp/msg]) for Container "web" in Pod "web-pod_default(uid-web-pod)" failed',
    );
    expect(result.kill).toMatchObject({
      reason: 'FailedPostStartHook',
      gracePeriodSeconds: 30,
      preStop: { outcome: 'succeeded' },
      stopTimeoutSeconds: 30,
    });
    expect(runtime.timeline.filter((t) => t.kind === 'exec').map((t) => t.argv)).toEqual([
      postStartExec.exec.command,
      preStopExec.exec.command,
    ]);
    expect(manager.status(pod, 'web')).toMatchObject({
      state: 'Waiting',
      reason: 'PostStartHookError',
      message: result.message,
    });
  });

  it('a later start is a restart: postStart runs again and restartCount grows (spec §3.6)', async () => {
    const { runtime, manager, settle, track } = setup();
    runtime.onExec(postStartExec.exec.command, { exitCode: 1 }, { times: 1 });
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: postStartExec } }]));
    expect((await settle(manager.startContainer(pod, 'web'))).outcome).toBe('postStartFailed');
    const second = await settle(manager.startContainer(pod, 'web'));
    expect(second.outcome).toBe('running');
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Running', restartCount: 1 });
    expect(runtime.timeline.filter((t) => t.kind === 'exec' && t.argv?.[0] === '/bin/sh')).toHaveLength(2);
  });

  it('postStart has no timeout of its own: a hung postStart keeps the container Waiting (spec §3.3)', async () => {
    const { clock, runtime, manager, track } = setup();
    runtime.onExec(postStartExec.exec.command, { hang: true });
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: postStartExec } }]));
    let settled = false;
    void manager.startContainer(pod, 'web').then(() => (settled = true));
    await clock.advance(24 * 3600_000);
    expect(settled).toBe(false);
    expect(manager.status(pod, 'web').state).toBe('Waiting');
  });

  it('policy postStartTimeoutSeconds fails a hung postStart at the deadline (k/k#116032)', async () => {
    const { runtime, manager, events, settle, track, clock } = setup({ policy: { postStartTimeoutSeconds: 10 } });
    runtime.onExec(postStartExec.exec.command, { hang: true });
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: postStartExec } }]));
    const result = await settle(manager.startContainer(pod, 'web'));
    expect(result).toMatchObject({ outcome: 'postStartFailed', postStart: { outcome: 'timedOut', elapsedMs: 10_000 } });
    expect(result.message).toContain('postStart did not complete within 10 seconds');
    expect(events.map((e) => e.reason)).toEqual(['Started', 'FailedPostStartHook', 'Killing']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a runtime that cannot start the container leaves Waiting/RunContainerError and a Failed event', async () => {
    const { runtime, manager, events, settle } = setup();
    runtime.onStart('web', { reject: new Error('image not found') });
    const pod = makePod([{ name: 'web', lifecycle: { postStart: postStartExec } }]);
    const result = await settle(manager.startContainer(pod, 'web'));
    expect(result).toMatchObject({
      outcome: 'startFailed',
      postStart: { outcome: 'skipped' },
      message: 'image not found',
    });
    expect(events.map((e) => [e.type, e.reason, e.message])).toEqual([['Warning', 'Failed', 'Error: image not found']]);
    expect(manager.status(pod, 'web')).toMatchObject({
      state: 'Waiting',
      reason: 'RunContainerError',
      message: 'image not found',
    });
  });

  it('a start that never settles fails after the runtime request timeout', async () => {
    const { runtime, manager, settle, clock } = setup({ manager: { runtimeRequestTimeoutSeconds: 5 } });
    runtime.onStart('web', { hang: true });
    const pod = makePod([{ name: 'web' }]);
    const result = await settle(manager.startContainer(pod, 'web'));
    expect(result.outcome).toBe('startFailed');
    expect(clock.now()).toBe(5_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a main process that exits during postStart never becomes Running', async () => {
    const { runtime, manager, settle, track, clock, events } = setup();
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: { sleep: { seconds: 2 } } } }]));
    const started = manager.startContainer(pod, 'web');
    await clock.advance(1_000);
    runtime.crash('web', { exitCode: 3 });
    const result = await settle(started);
    expect(result.outcome).toBe('exited');
    expect(manager.status(pod, 'web')).toMatchObject({
      state: 'Terminated',
      exitCode: 3,
      reason: 'Error',
      finishedAt: 1_000,
    });
    expect(events.map((e) => e.reason)).toEqual(['Started']);
  });

  it('a container that dies while its postStart still runs ends exited, without a kill of the dead container (spec §3.5)', async () => {
    const { runtime, manager, settle, track, clock } = setup();
    // A sleep postStart: nothing the runtime ends, so the exit is reported while it still runs.
    const pod = track(
      makePod([{ name: 'web', lifecycle: { postStart: { sleep: { seconds: 2 } }, preStop: preStopExec } }]),
    );
    const started = manager.startContainer(pod, 'web');
    await clock.advance(1_000);
    runtime.crash('web', { exitCode: 3 });
    const result = await settle(started);
    expect(result.outcome).toBe('exited');
    expect(result.kill).toBeUndefined();
    expect(runtime.timeline.filter((t) => t.kind === 'stop')).toHaveLength(0);
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', exitCode: 3, reason: 'Error' });
  });

  it("an exec postStart killed with its container fails first; the kubelet's kill follows, and finds it exited (spec §3.5)", async () => {
    // The Runtime port orders an exec killed with its container (137) before the container's exit
    // report, so the failure is reported, and then killed as the kubelet's startContainer kills
    // after every postStart failure (kuberuntime_container.go: killContainer "FailedPostStartHook").
    const { runtime, manager, settle, track, clock } = setup();
    runtime.onExec(postStartExec.exec.command, { exitCode: 0, delayMs: 2_000 });
    const pod = track(makePod([{ name: 'web', lifecycle: { postStart: postStartExec, preStop: preStopExec } }]));
    const started = manager.startContainer(pod, 'web');
    await clock.advance(1_000);
    runtime.crash('web', { exitCode: 3 });
    const result = await settle(started);
    expect(result).toMatchObject({ outcome: 'postStartFailed', postStart: { outcome: 'failed' } });
    expect(result.postStart.message).toContain('exited with 137');
    expect(result.kill).toMatchObject({ outcome: 'stopped', exitedAt: 1_000 });
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'PostStartHookError' });
  });

  it('refuses to start a running container, with a typed error', async () => {
    const { manager, settle } = setup();
    const pod = makePod([{ name: 'web' }]);
    await settle(manager.startContainer(pod, 'web'));
    await expect(manager.startContainer(pod, 'web')).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
  });
});

import { describe, expect, it } from 'vitest';
import { type Container, LifecycleSpecError, UnknownContainerError, validatePod } from '../../src/index.js';
import { drive, execAfter, harness, makePod, reasons, settle } from './helpers.js';

const web = (lifecycle?: Container['lifecycle'], extra: Partial<Container> = {}): Container => ({
  name: 'web',
  image: 'nginx',
  ...(lifecycle ? { lifecycle } : {}),
  ...extra,
});

describe('DESIGN §6 startContainer (spec §3)', () => {
  it('runtime start → Started → postStart; Running only after postStart succeeds (spec §3.1, §3.2)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/hello', execAfter(3_000, { exitCode: 0 }));
    const pod = makePod({ containers: [web({ postStart: { exec: { command: ['/bin/hello'] } } })] });
    const starting = h.manager.startContainer(pod, 'web');
    await settle();
    expect(h.runtime.calls.map((c) => c.kind)).toEqual(['start', 'exec']);
    expect(reasons(h.events)).toEqual(['Started']);
    expect(h.events[0]).toMatchObject({ type: 'Normal', message: 'Container started', timestamp: 0 });
    expect(h.manager.status(pod, 'web').state).toBe('Waiting');
    await h.clock.advance(2_999);
    expect(h.manager.status(pod, 'web').state).toBe('Waiting');
    await h.clock.advance(1);
    const result = await starting;
    expect(result).toMatchObject({ outcome: 'running', postStart: { outcome: 'succeeded' }, runningAt: 3_000 });
    expect(h.manager.status(pod, 'web').state).toBe('Running');
    // no success event (spec §3.4)
    expect(reasons(h.events)).toEqual(['Started']);
  });

  it('exec is handed a plain-data ContainerRef with the runtime id and pod identity (DESIGN §5)', async () => {
    const h = harness();
    const pod = makePod({
      name: 'shop',
      namespace: 'prod',
      uid: 'u-9',
      containers: [web({ postStart: { exec: { command: ['a'] } } })],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const ref = h.runtime.of('exec')[0]?.ref;
    expect(ref).toEqual({ id: 'cri://web-1', name: 'web', podName: 'shop', podNamespace: 'prod', podUID: 'u-9' });
  });

  it('postStart failure: FailedPostStartHook, Killing "FailedPostStartHook", preStop runs, pod grace, Waiting/PostStartHookError (spec §3.5)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/init --now', execAfter(2_000, { exitCode: 1, stdout: 'out', stderr: 'bad' }));
    h.runtime.onExec('/bin/drain', execAfter(4_000, { exitCode: 0 }));
    const pod = makePod({
      tgps: 45,
      containers: [
        web(
          {
            postStart: { exec: { command: ['/bin/init', '--now'] } },
            preStop: { exec: { command: ['/bin/drain'] } },
          },
          { livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 } },
        ),
      ],
    });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const detail =
      'Exec lifecycle hook ([/bin/init --now]) for Container "web" in Pod "p_ns(uid-1)" failed - error: command \'/bin/init --now\' exited with 1: bad, message: "outbad"';
    expect(reasons(h.events)).toEqual(['Started', 'FailedPostStartHook', 'Killing']);
    expect(h.events[1]).toMatchObject({
      type: 'Warning',
      reason: 'FailedPostStartHook',
      message: 'PostStartHook failed',
      detail,
      timestamp: 2_000,
    });
    expect(h.events[2]).toMatchObject({
      type: 'Normal',
      reason: 'Killing',
      message: 'FailedPostStartHook',
      timestamp: 2_000,
    });
    // preStop ran, then stop with the pod grace (45, not the probe's 5) minus 4 s
    expect(h.runtime.of('exec').map((c) => c.argv?.join(' '))).toEqual(['/bin/init --now', '/bin/drain']);
    expect(h.runtime.of('stop')).toMatchObject([{ at: 6_000, timeoutSeconds: 41 }]);
    expect(result.outcome).toBe('postStartFailed');
    expect(result.postStart).toMatchObject({ outcome: 'failed', message: detail });
    expect(result.kill).toMatchObject({
      reason: 'FailedPostStartHook',
      gracePeriodSeconds: 45,
      preStop: { outcome: 'succeeded' },
      stopTimeoutSeconds: 41,
    });
    expect(h.manager.status(pod, 'web')).toMatchObject({
      state: 'Waiting',
      reason: 'PostStartHookError',
      message: detail,
    });
  });

  it('a later startContainer is a restart: postStart runs again, restartCount grows (spec §3.6)', async () => {
    const h = harness();
    const pod = makePod({ containers: [web({ postStart: { exec: { command: ['/bin/hello'] } } })] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    const second = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(second.outcome).toBe('running');
    expect(h.runtime.of('exec')).toHaveLength(2);
    expect(h.runtime.of('start')).toHaveLength(2);
    expect(h.manager.status(pod, 'web')).toMatchObject({ state: 'Running', restartCount: 1 });
    // the second postStart ran against the new container instance
    expect(h.runtime.of('exec')[1]?.ref?.id).toBe('cri://web-2');
  });

  it('restart after a failed postStart runs postStart again (spec §3.5.4, §3.6)', async () => {
    const h = harness();
    let n = 0;
    h.runtime.onExec('/bin/hello', () => Promise.resolve({ exitCode: ++n === 1 ? 1 : 0 }));
    const pod = makePod({ containers: [web({ postStart: { exec: { command: ['/bin/hello'] } } })] });
    expect((await drive(h.clock, h.manager.startContainer(pod, 'web'))).outcome).toBe('postStartFailed');
    expect((await drive(h.clock, h.manager.startContainer(pod, 'web'))).outcome).toBe('running');
    expect(n).toBe(2);
    expect(h.manager.status(pod, 'web').state).toBe('Running');
  });

  it('applies API defaulting first: httpGet path "/" and scheme HTTP (spec §2, DESIGN §6)', async () => {
    const h = harness();
    const pod = makePod({ podIP: '10.0.0.7', containers: [web({ postStart: { httpGet: { port: 8080 } } })] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(h.http.requests.map((r) => r.url)).toEqual(['http://10.0.0.7:8080/']);
  });

  it('applies API defaulting first: TGPS unset → 30 (spec §2, §4.2-C.1)', async () => {
    const h = harness();
    const pod = makePod({ containers: [web()] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const stop = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(stop.gracePeriodSeconds).toBe(30);
    expect(h.runtime.of('stop')[0]?.timeoutSeconds).toBe(30);
  });

  it('does not mutate the pod it is given (defaulting on a copy)', async () => {
    const h = harness();
    const pod = makePod({ podIP: '10.0.0.7', containers: [web({ preStop: { httpGet: { port: 8080 } } })] });
    const before = JSON.stringify(pod);
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(JSON.stringify(pod)).toBe(before);
  });

  it('an invalid pod rejects with LifecycleSpecError carrying every FieldError; nothing runs (DESIGN §6)', async () => {
    const h = harness();
    const pod = makePod({
      containers: [
        web({
          postStart: { exec: { command: [] } },
          preStop: { httpGet: { port: 0 } },
        }),
      ],
    });
    const expected = validatePod(pod);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const error = await h.manager.startContainer(pod, 'web').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LifecycleSpecError);
    expect((error as LifecycleSpecError).errors.map((e) => e.message)).toEqual(expected.map((e) => e.message));
    expect((error as LifecycleSpecError).errors.map((e) => e.message)).toEqual([
      'spec.containers[0].lifecycle.postStart.exec.command: Required value',
      'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(h.runtime.calls).toEqual([]);
  });

  it('stopContainer and deletePod also reject an invalid pod with LifecycleSpecError (DESIGN §6)', async () => {
    const h = harness();
    const pod = makePod({ containers: [web({ preStop: {} })] });
    await expect(h.manager.stopContainer(pod, 'web')).rejects.toBeInstanceOf(LifecycleSpecError);
    await expect(h.manager.deletePod(pod)).rejects.toBeInstanceOf(LifecycleSpecError);
  });

  it('an unknown container name rejects with UnknownContainerError (DESIGN §6 programmer error)', async () => {
    const h = harness();
    const pod = makePod({ containers: [web()] });
    await expect(h.manager.startContainer(pod, 'wbe')).rejects.toBeInstanceOf(UnknownContainerError);
    await expect(h.manager.stopContainer(pod, 'wbe')).rejects.toBeInstanceOf(UnknownContainerError);
    expect(() => h.manager.status(pod, 'wbe')).toThrow(UnknownContainerError);
  });

  it('a main process that exits during postStart ends the start as exited, not Running (lifecycle.md)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/slow', execAfter(10_000, { exitCode: 0 }));
    const pod = makePod({ containers: [web({ postStart: { exec: { command: ['/bin/slow'] } } })] });
    const starting = h.manager.startContainer(pod, 'web');
    await h.clock.advance(1_000);
    h.manager.notifyExited(pod, 'web', { exitCode: 3 });
    const result = await drive(h.clock, starting);
    expect(result.outcome).toBe('exited');
    expect(h.manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', exitCode: 3 });
  });
});

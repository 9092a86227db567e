import { describe, expect, it } from 'vitest';
import {
  type Container,
  InvalidArgumentError,
  kubernetesPolicy,
  LifecycleManager,
  LifecycleSpecError,
  resolvePolicy,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import {
  drive,
  execAfter,
  execHang,
  harness,
  makePod,
  RecordingHttpClient,
  RecordingRuntime,
  settle,
} from './helpers.js';

const preStopExec: Container = { name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } };

describe('DESIGN §8 policies: default = Kubernetes', () => {
  it('kubernetesPolicy / resolvePolicy(undefined) are the documented defaults', () => {
    expect(kubernetesPolicy).toEqual({
      httpStatus: 'ignore',
      postStartTimeoutSeconds: undefined,
      shorterGraceDuringTermination: 'kubelet',
      unfinishedPreStopEvent: false,
      minimumStopGraceSeconds: 2,
      allowZeroSleep: true,
    });
    expect(resolvePolicy(undefined)).toEqual(kubernetesPolicy);
    expect(resolvePolicy({})).toEqual(kubernetesPolicy);
  });

  it('a bad option is rejected with InvalidArgumentError (resolvePolicy and the constructor)', () => {
    expect(() => resolvePolicy({ httpStatus: 'strict' as never })).toThrow(InvalidArgumentError);
    expect(() => resolvePolicy({ minimumStopGraceSeconds: -1 })).toThrow(InvalidArgumentError);
    const clock = new VirtualClock();
    expect(
      () =>
        new LifecycleManager({
          runtime: new RecordingRuntime(clock),
          httpClient: new RecordingHttpClient(clock),
          clock,
          policy: { postStartTimeoutSeconds: -5 },
        }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('httpStatus (k/k#56963)', () => {
  const pod = makePod({
    podIP: '10.0.0.7',
    containers: [{ name: 'web', lifecycle: { preStop: { httpGet: { port: 80, path: '/drain' } } } }],
  });
  it("'probe': 500 fails the hook (FailedPreStopHook), 399 and 200 succeed", async () => {
    for (const [status, outcome] of [
      [500, 'failed'],
      [404, 'failed'],
      [399, 'succeeded'],
      [200, 'succeeded'],
    ] as const) {
      const h = harness({ policy: { httpStatus: 'probe' } });
      h.http.handler = () => Promise.resolve({ status });
      await drive(h.clock, h.manager.startContainer(pod, 'web'));
      const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
      expect(result.preStop.outcome, String(status)).toBe(outcome);
      expect(
        h.events.some((e) => e.reason === 'FailedPreStopHook'),
        String(status),
      ).toBe(outcome === 'failed');
    }
  });
  it("default 'ignore': 500 succeeds", async () => {
    const h = harness();
    h.http.handler = () => Promise.resolve({ status: 500 });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect((await drive(h.clock, h.manager.stopContainer(pod, 'web'))).preStop.outcome).toBe('succeeded');
  });
});

describe('postStartTimeoutSeconds (k/k#116032)', () => {
  const pod = makePod({ containers: [{ name: 'web', lifecycle: { postStart: { exec: { command: ['/hang'] } } } }] });
  it('default: a hung postStart blocks forever, container stays Waiting (spec §3.3)', async () => {
    const h = harness();
    h.runtime.onExec('/hang', execHang);
    let settled = false;
    void h.manager.startContainer(pod, 'web').then(() => {
      settled = true;
    });
    await h.clock.advance(3_600_000);
    expect(settled).toBe(false);
    expect(h.manager.status(pod, 'web').state).toBe('Waiting');
    expect(h.clock.pendingTimers).toBe(0); // nothing of the manager's armed: no hidden timeout
  });
  it('policy: fails at the deadline with FailedPostStartHook, kill follows, the hook is aborted', async () => {
    const h = harness({ policy: { postStartTimeoutSeconds: 5 } });
    let signal: AbortSignal | undefined;
    h.runtime.onExec('/hang', (c) => {
      signal = c.signal;
      return execHang(c);
    });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(result.outcome).toBe('postStartFailed');
    expect(h.events.find((e) => e.reason === 'FailedPostStartHook')).toMatchObject({
      timestamp: 5_000,
      message: 'PostStartHook failed',
    });
    expect(h.events.find((e) => e.reason === 'Killing')?.message).toBe('FailedPostStartHook');
    expect(signal?.aborted).toBe(true);
    expect(h.manager.status(pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'PostStartHookError' });
  });
});

describe('shorterGraceDuringTermination (k/k#113717, spec §4.2-F.6)', () => {
  const pod = makePod({ tgps: 30, containers: [preStopExec] });
  it("'interrupt': a shorter second delete cuts the in-flight preStop at the new deadline", async () => {
    const h = harness({ policy: { shorterGraceDuringTermination: 'interrupt' } });
    h.runtime.onExec('/drain', execHang);
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const first = h.manager.deletePod(pod, { gracePeriodSeconds: 20 });
    await h.clock.advance(2_000);
    const second = h.manager.deletePod(pod, { gracePeriodSeconds: 5 });
    await drive(h.clock, Promise.all([first, second]));
    // new deadline = old start − old + new: 0 + 5 s
    const stops = h.runtime.of('stop');
    expect(stops[0]?.at).toBe(5_000);
    expect(stops[0]?.timeoutSeconds).toBe(2);
  });
  it("'interrupt': a stop already handed to the runtime is re-issued with the shorter timeout", async () => {
    const h = harness({ policy: { shorterGraceDuringTermination: 'interrupt' } });
    h.runtime.onStop(
      'web',
      ({ clock, timeoutSeconds, signal }) =>
        new Promise<void>((resolve, reject) => {
          const t = clock.setTimeout(resolve, timeoutSeconds * 1000);
          signal.addEventListener('abort', () => {
            clock.clearTimeout(t);
            reject(signal.reason);
          });
        }),
    );
    const p = makePod({ tgps: 30, containers: [{ name: 'web' }] });
    await drive(h.clock, h.manager.startContainer(p, 'web'));
    const first = h.manager.deletePod(p, { gracePeriodSeconds: 30 });
    await h.clock.advance(10_000);
    const second = h.manager.deletePod(p, { gracePeriodSeconds: 5 });
    await drive(h.clock, Promise.all([first, second]));
    const stops = h.runtime.of('stop');
    expect(stops.length).toBe(2);
    expect(stops[1]?.timeoutSeconds).toBeLessThanOrEqual(5);
    expect(h.clock.now()).toBeLessThan(30_000);
  });
});

describe('unfinishedPreStopEvent (k/k#31902)', () => {
  const pod = makePod({ tgps: 10, containers: [preStopExec] });
  it('policy: Warning UnfinishedPreStopHook "PreStop hook did not complete in <g> seconds" at the deadline', async () => {
    const h = harness({ policy: { unfinishedPreStopEvent: true } });
    h.runtime.onExec('/drain', execHang);
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.events.filter((e) => e.reason === 'UnfinishedPreStopHook')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        message: 'PreStop hook did not complete in 10 seconds',
        timestamp: 10_000,
        object: expect.objectContaining({ kind: 'Container', fieldPath: 'spec.containers{web}' }),
      }),
    ]);
  });
  it('default: no event', async () => {
    const h = harness();
    h.runtime.onExec('/drain', execHang);
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.events.some((e) => e.reason === 'UnfinishedPreStopHook')).toBe(false);
  });
  it('policy: no event when the preStop finished in time', async () => {
    const h = harness({ policy: { unfinishedPreStopEvent: true } });
    h.runtime.onExec('/drain', execAfter(1_000, { exitCode: 0 }));
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.events.some((e) => e.reason === 'UnfinishedPreStopHook')).toBe(false);
  });
});

describe('minimumStopGraceSeconds (spec §4.2-C.7)', () => {
  it('0: a preStop that used the whole grace gives the runtime 0 s', async () => {
    const h = harness({ policy: { minimumStopGraceSeconds: 0 } });
    h.runtime.onExec('/drain', execHang);
    const pod = makePod({ tgps: 10, containers: [preStopExec] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result.stopTimeoutSeconds).toBe(0);
  });
  it('5: raises a small remainder to 5', async () => {
    const h = harness({ policy: { minimumStopGraceSeconds: 5 } });
    const pod = makePod({ tgps: 3, containers: [{ name: 'web' }] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect((await drive(h.clock, h.manager.stopContainer(pod, 'web'))).stopTimeoutSeconds).toBe(5);
  });
});

describe('allowZeroSleep (PodLifecycleSleepActionAllowZero)', () => {
  const pod = makePod({ containers: [{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 0 } } } }] });
  it('default true: sleep 0 runs', async () => {
    const h = harness();
    expect((await drive(h.clock, h.manager.startContainer(pod, 'web'))).outcome).toBe('running');
  });
  it('false: the manager rejects the pod with LifecycleSpecError (pre-1.34 message)', async () => {
    const h = harness({ policy: { allowZeroSleep: false } });
    const error = await h.manager.startContainer(pod, 'web').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LifecycleSpecError);
    expect((error as LifecycleSpecError).errors[0]?.message).toMatch(
      /must be greater than 0 and less than terminationGracePeriodSeconds \(30\)\. Enable AllowPodLifecycleSleepActionZeroValue/,
    );
    await settle();
    expect(h.runtime.calls).toEqual([]);
  });
});

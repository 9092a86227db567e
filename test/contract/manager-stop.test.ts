import { describe, expect, it } from 'vitest';
import { type Container, InvalidArgumentError } from '../../src/index.js';
import { drive, execAfter, execHang, harness, makePod, reasons, settle, stopAtTimeout, wait } from './helpers.js';

const withPreStop = (extra: Partial<Container> = {}): Container => ({
  name: 'web',
  image: 'nginx',
  lifecycle: { preStop: { exec: { command: ['/bin/drain'] } } },
  ...extra,
});

async function started(
  h: ReturnType<typeof harness>,
  pod: Parameters<typeof h.manager.startContainer>[0],
  name = 'web',
) {
  await drive(h.clock, h.manager.startContainer(pod, name));
}

describe('DESIGN §6 stopContainer (spec §4.2-C)', () => {
  it('Killing "Stopping container <name>" → preStop → stop with g − floor(elapsed) (spec §4.2-C.3, C.5, C.8)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execAfter(4_000, { exitCode: 0 }));
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    await h.clock.advance(1_000);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.events.filter((e) => e.reason === 'Killing')).toEqual([
      expect.objectContaining({ type: 'Normal', message: 'Stopping container web', timestamp: 1_000 }),
    ]);
    expect(h.runtime.of('exec')[0]?.at).toBe(1_000);
    expect(h.runtime.of('stop')).toMatchObject([{ at: 5_000, timeoutSeconds: 26 }]);
    expect(result).toMatchObject({
      outcome: 'stopped',
      reason: 'Unknown',
      gracePeriodSeconds: 30,
      stopTimeoutSeconds: 26,
      preStop: { outcome: 'succeeded', elapsedMs: 4_000 },
      startedAt: 1_000,
      exitedAt: 5_000,
    });
  });

  it('the caller message replaces the Killing message (spec §4.2-C.3)', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web' }] });
    await started(h, pod);
    await drive(
      h.clock,
      h.manager.stopContainer(pod, 'web', { message: 'Container web failed liveness probe, will be restarted' }),
    );
    expect(h.events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container web failed liveness probe, will be restarted',
    );
  });

  it('charges whole seconds only: a 29.999 s preStop leaves 1 s, raised to 2 (spec §4.2-C.5, C.7)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execAfter(29_999, { exitCode: 0 }));
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result.stopTimeoutSeconds).toBe(2);
    expect(h.runtime.of('stop')).toMatchObject([{ at: 29_999, timeoutSeconds: 2 }]);
    expect(result.preStop).toMatchObject({ outcome: 'succeeded', elapsedMs: 29_999 });
  });

  it('a 4.999 s preStop is charged 4 s (spec §4.2-C.5 floor)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execAfter(4_999, { exitCode: 0 }));
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    expect((await drive(h.clock, h.manager.stopContainer(pod, 'web'))).stopTimeoutSeconds).toBe(26);
  });

  it('a hung preStop is raced against the grace on the injected clock: timedOut at g, then 2 s (spec §4.2-C.5.3-4, C.7)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execHang);
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.runtime.of('stop')).toMatchObject([{ at: 30_000, timeoutSeconds: 2 }]);
    expect(result.preStop).toMatchObject({ outcome: 'timedOut', elapsedMs: 30_000 });
    // the timer wins silently: no event beyond Killing (spec §4.2-C.5.4, k/k#31902)
    expect(reasons(h.events)).toEqual(['Started', 'Killing']);
  });

  it('the override is applied before preStop and bounds it (spec §4.2-C.4, k/k#115835)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execHang);
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web', { gracePeriodOverride: 10 }));
    expect(result).toMatchObject({
      gracePeriodSeconds: 10,
      stopTimeoutSeconds: 2,
      preStop: { outcome: 'timedOut', elapsedMs: 10_000 },
    });
    expect(h.runtime.of('stop')[0]?.at).toBe(10_000);
  });

  it('an override of 0 skips preStop and still gives 2 s (spec §4.2-E)', async () => {
    const h = harness();
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web', { gracePeriodOverride: 0 }));
    expect(h.runtime.of('exec')).toEqual([]);
    expect(result).toMatchObject({ gracePeriodSeconds: 0, preStop: { outcome: 'skipped' }, stopTimeoutSeconds: 2 });
    expect(h.runtime.of('stop')).toMatchObject([{ at: 0, timeoutSeconds: 2 }]);
  });

  it('no preStop: the whole grace goes to the runtime (spec §4.2-C.8)', async () => {
    const h = harness();
    const pod = makePod({ tgps: 17, containers: [{ name: 'web' }] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result).toMatchObject({ preStop: { outcome: 'skipped' }, stopTimeoutSeconds: 17 });
  });

  it('a preStop failure emits FailedPreStopHook / "PreStopHook failed" with the detail, and the kill continues (spec §4.2-C.5.6, §7)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execAfter(2_500, { exitCode: 7, stdout: 'o\n', stderr: 'e"x' }));
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    const detail =
      'Exec lifecycle hook ([/bin/drain]) for Container "web" in Pod "p_ns(uid-1)" failed - error: command \'/bin/drain\' exited with 7: e"x, message: "o\\ne\\"x"';
    const failed = h.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toEqual([
      expect.objectContaining({ type: 'Warning', message: 'PreStopHook failed', detail, timestamp: 2_500 }),
    ]);
    expect(result).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'failed', elapsedMs: 2_500, message: detail },
      stopTimeoutSeconds: 28,
    });
  });

  it('a preStop failing after the grace wait ended still emits FailedPreStopHook (spec §4.2-C.5.6)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execAfter(31_000, { exitCode: 1 }));
    h.runtime.onStop('web', stopAtTimeout); // ignores SIGTERM, SIGKILL at 32 s
    const pod = makePod({ tgps: 30, containers: [withPreStop()] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result.preStop.outcome).toBe('timedOut');
    expect(h.events.filter((e) => e.reason === 'FailedPreStopHook')).toEqual([
      expect.objectContaining({ type: 'Warning', message: 'PreStopHook failed', timestamp: 31_000 }),
    ]);
    expect(result.exitedAt).toBe(32_000);
  });

  it('hands lifecycle.stopSignal to runtime.stopContainer (spec §4.2-D)', async () => {
    const h = harness();
    const pod = makePod({ os: 'linux', containers: [{ name: 'web', lifecycle: { stopSignal: 'SIGUSR1' } }] });
    await started(h, pod);
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.runtime.of('stop')[0]?.stopSignal).toBe('SIGUSR1');
  });

  it('without lifecycle.stopSignal, stopSignal is left to the runtime default (DESIGN §5)', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web' }] });
    await started(h, pod);
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.runtime.of('stop')[0]?.stopSignal).toBeUndefined();
  });

  it('uses the liveness probe grace for a LivenessProbe kill, pod grace otherwise (spec §4.2-C.1)', async () => {
    const h = harness();
    const pod = makePod({
      tgps: 30,
      containers: [
        {
          name: 'web',
          livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 7 },
          startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 9 },
        },
      ],
    });
    await started(h, pod);
    expect(
      (await drive(h.clock, h.manager.stopContainer(pod, 'web', { reason: 'LivenessProbe' }))).gracePeriodSeconds,
    ).toBe(7);
    await started(h, pod);
    expect(
      (await drive(h.clock, h.manager.stopContainer(pod, 'web', { reason: 'StartupProbe' }))).gracePeriodSeconds,
    ).toBe(9);
    await started(h, pod);
    expect(
      (await drive(h.clock, h.manager.stopContainer(pod, 'web', { reason: 'FailedPostStartHook' }))).gracePeriodSeconds,
    ).toBe(30);
  });

  it('a container that already exited gets no preStop and no stop call (spec §4.2-B, §5.3)', async () => {
    const h = harness();
    const pod = makePod({ containers: [withPreStop()] });
    await started(h, pod);
    h.manager.notifyExited(pod, 'web', { exitCode: 0 });
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.runtime.of('exec')).toEqual([]);
    expect(h.runtime.of('stop')).toEqual([]);
    expect(result.outcome).toBe('notRunning');
    expect(result.preStop.outcome).toBe('skipped');
    expect(result.stopTimeoutSeconds).toBeUndefined();
    expect(h.manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', exitCode: 0, reason: 'Completed' });
  });

  it('a container that never started: notRunning, no runtime calls', async () => {
    const h = harness();
    const pod = makePod({ containers: [withPreStop()] });
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result.outcome).toBe('notRunning');
    expect(h.runtime.calls).toEqual([]);
  });

  it('concurrent stops share one termination: one preStop, one runtime stop (d.ts contract)', async () => {
    const h = harness();
    h.runtime.onExec('/bin/drain', execAfter(1_000, { exitCode: 0 }));
    const pod = makePod({ containers: [withPreStop()] });
    await started(h, pod);
    const a = h.manager.stopContainer(pod, 'web');
    const b = h.manager.stopContainer(pod, 'web');
    await drive(h.clock, Promise.all([a, b]));
    expect(h.runtime.of('exec')).toHaveLength(1);
    expect(h.runtime.of('stop')).toHaveLength(1);
  });

  it('a sleep preStop runs on the injected clock (spec §5.3)', async () => {
    const h = harness();
    const pod = makePod({ tgps: 30, containers: [{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] });
    await started(h, pod);
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(h.runtime.of('stop')).toMatchObject([{ at: 5_000, timeoutSeconds: 25 }]);
    expect(result.preStop).toMatchObject({ outcome: 'succeeded', elapsedMs: 5_000 });
  });

  it('the stop timeout option and an AbortSignal are passed to the runtime as the pinned port shape (DESIGN §5)', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web' }] });
    await started(h, pod);
    let signal: unknown;
    h.runtime.onStop('web', (c) => {
      signal = c.signal;
      return Promise.resolve();
    });
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(Number.isInteger(h.runtime.of('stop')[0]?.timeoutSeconds)).toBe(true);
  });

  it('a negative or fractional gracePeriodOverride is a programmer error (InvalidArgumentError)', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web' }] });
    await started(h, pod);
    await expect(h.manager.stopContainer(pod, 'web', { gracePeriodOverride: -1 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(h.manager.stopContainer(pod, 'web', { gracePeriodOverride: 1.5 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(h.runtime.of('stop')).toEqual([]);
  });

  it('the stop waits for a postStart in flight (spec §3.7): kill starts only after postStart finished', async () => {
    const h = harness();
    h.runtime.onExec('/bin/hello', execAfter(8_000, { exitCode: 0 }));
    const pod = makePod({
      containers: [{ name: 'web', lifecycle: { postStart: { exec: { command: ['/bin/hello'] } } } }],
    });
    const starting = h.manager.startContainer(pod, 'web');
    await h.clock.advance(1_000);
    const stopping = h.manager.stopContainer(pod, 'web');
    await settle();
    expect(h.runtime.of('stop')).toEqual([]);
    await drive(h.clock, Promise.all([starting, stopping]));
    expect(h.runtime.of('stop')[0]?.at).toBe(8_000);
    void wait;
  });
});

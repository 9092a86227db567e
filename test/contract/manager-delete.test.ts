import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/index.js';
import { drive, execAfter, execHang, harness, makePod, stopAtTimeout } from './helpers.js';

const ctr = (name: string, preStop?: string[], extra: Partial<Container> = {}): Container => ({
  name,
  ...(preStop ? { lifecycle: { preStop: { exec: { command: preStop } } } } : {}),
  ...extra,
});

async function startAll(h: ReturnType<typeof harness>, pod: Pod, names: string[]) {
  for (const n of names) await drive(h.clock, h.manager.startContainer(pod, n));
}

describe('DESIGN §6 deletePod (spec §4.1, §4.2-A/B)', () => {
  it('kills every running container in parallel with the effective grace as override (spec §4.2-B)', async () => {
    const h = harness();
    h.runtime.onExec('/a', execAfter(3_000, { exitCode: 0 })).onExec('/b', execAfter(6_000, { exitCode: 0 }));
    const pod = makePod({ tgps: 30, containers: [ctr('a', ['/a']), ctr('b', ['/b'])] });
    await startAll(h, pod, ['a', 'b']);
    const result = await drive(h.clock, h.manager.deletePod(pod, { gracePeriodSeconds: 10 }));
    expect(h.events.filter((e) => e.reason === 'Killing').map((e) => e.timestamp)).toEqual([0, 0]);
    expect(h.runtime.of('exec').map((c) => c.at)).toEqual([0, 0]);
    expect(h.runtime.of('stop').map((c) => [c.container, c.at, c.timeoutSeconds])).toEqual([
      ['a', 3_000, 7],
      ['b', 6_000, 4],
    ]);
    expect(result).toMatchObject({
      gracePeriodSeconds: 10,
      deletionGracePeriodSeconds: 10,
      startedAt: 0,
      finishedAt: 6_000,
    });
    expect(result.containers.map((c) => [c.container, c.gracePeriodSeconds, c.stopTimeoutSeconds])).toEqual([
      ['a', 10, 7],
      ['b', 10, 4],
    ]);
  });

  it('without gracePeriodSeconds the pod TGPS is used (spec §4.1 step 1)', async () => {
    const h = harness();
    const pod = makePod({ tgps: 12, containers: [ctr('a')] });
    await startAll(h, pod, ['a']);
    const result = await drive(h.clock, h.manager.deletePod(pod));
    expect(result).toMatchObject({ gracePeriodSeconds: 12, deletionGracePeriodSeconds: 12 });
    expect(h.runtime.of('stop')[0]?.timeoutSeconds).toBe(12);
  });

  it('a force delete (grace 0) still runs preStop with 1 s, then gives 2 s (spec §4.2-A.4, §4.2-E, k/k#120449)', async () => {
    const h = harness();
    h.runtime.onExec('/a', execHang);
    const pod = makePod({ tgps: 30, containers: [ctr('a', ['/a'])] });
    await startAll(h, pod, ['a']);
    const result = await drive(h.clock, h.manager.deletePod(pod, { gracePeriodSeconds: 0 }));
    expect(result.gracePeriodSeconds).toBe(1);
    expect(result.deletionGracePeriodSeconds).toBe(0);
    expect(h.runtime.of('exec')).toHaveLength(1);
    expect(h.runtime.of('stop')).toMatchObject([{ at: 1_000, timeoutSeconds: 2 }]);
    expect(result.containers[0]?.preStop).toMatchObject({ outcome: 'timedOut', elapsedMs: 1_000 });
  });

  it('a negative gracePeriodSeconds is treated as 1 (spec §4.1 step 4, k/k#115606)', async () => {
    const h = harness();
    const pod = makePod({ tgps: 30, containers: [ctr('a')] });
    await startAll(h, pod, ['a']);
    const result = await drive(h.clock, h.manager.deletePod(pod, { gracePeriodSeconds: -5 }));
    expect(result).toMatchObject({ gracePeriodSeconds: 1, deletionGracePeriodSeconds: 1 });
    expect(h.runtime.of('stop')[0]?.timeoutSeconds).toBe(2);
  });

  it('containers that never started or already exited get no preStop and no stop (spec §4.2-B)', async () => {
    const h = harness();
    const pod = makePod({ containers: [ctr('a', ['/a']), ctr('b', ['/b']), ctr('c', ['/c'])] });
    await startAll(h, pod, ['a', 'b']);
    h.manager.notifyExited(pod, 'b', { exitCode: 1 });
    const result = await drive(h.clock, h.manager.deletePod(pod));
    expect(h.runtime.of('exec').map((c) => c.container)).toEqual(['a']);
    expect(h.runtime.of('stop').map((c) => c.container)).toEqual(['a']);
    expect(result.containers.map((c) => [c.container, c.outcome])).toEqual([
      ['a', 'stopped'],
      ['b', 'notRunning'],
      ['c', 'notRunning'],
    ]);
  });

  it('sidecars stop after all main containers, in reverse declaration order; their preStop runs at once (spec §4.2-C.6)', async () => {
    const h = harness();
    h.runtime.onExec('/main', execAfter(5_000, { exitCode: 0 }));
    h.runtime.onStop('main', ({ clock }) => new Promise<void>((r) => clock.setTimeout(r, 2_000))); // exits 2 s after SIGTERM
    h.runtime.onStop('s2', ({ clock }) => new Promise<void>((r) => clock.setTimeout(r, 1_000)));
    const pod = makePod({
      tgps: 30,
      initContainers: [
        ctr('s1', ['/s1'], { restartPolicy: 'Always' }),
        ctr('s2', ['/s2'], { restartPolicy: 'Always' }),
      ],
      containers: [ctr('main', ['/main'])],
    });
    await startAll(h, pod, ['s1', 's2', 'main']);
    const result = await drive(h.clock, h.manager.deletePod(pod));
    expect(
      h.runtime
        .of('exec')
        .map((c) => [c.container, c.at])
        .sort(),
    ).toEqual([
      ['main', 0],
      ['s1', 0],
      ['s2', 0],
    ]);
    expect(h.runtime.of('stop').map((c) => [c.container, c.at])).toEqual([
      ['main', 5_000],
      ['s2', 7_000],
      ['s1', 8_000],
    ]);
    const s1 = result.containers.find((c) => c.container === 's1');
    const s2 = result.containers.find((c) => c.container === 's2');
    // s2 waited 7 s for main, so its g is 30 - 7 = 23; s1 waited 8 s: 22 (spec §4.2-C.6)
    expect(s2).toMatchObject({ orderingWaitMs: 7_000, stopTimeoutSeconds: 23 });
    expect(s1).toMatchObject({ orderingWaitMs: 8_000, stopTimeoutSeconds: 22 });
    // results are in declaration order, init containers first
    expect(result.containers.map((c) => c.container)).toEqual(['s1', 's2', 'main']);
  });

  it('a sidecar ordering wait is bounded by what is left of the grace (spec §4.2-C.6)', async () => {
    const h = harness();
    h.runtime.onStop('main', stopAtTimeout); // main ignores SIGTERM: SIGKILL at 10 + 2
    const pod = makePod({
      tgps: 10,
      initContainers: [ctr('side', undefined, { restartPolicy: 'Always' })],
      containers: [ctr('main')],
    });
    await startAll(h, pod, ['side', 'main']);
    const result = await drive(h.clock, h.manager.deletePod(pod));
    const side = result.containers.find((c) => c.container === 'side');
    expect(side).toMatchObject({ orderingWaitMs: 10_000, stopTimeoutSeconds: 2 });
    expect(h.runtime.of('stop', 'side')[0]?.at).toBe(10_000);
  });

  it('a second delete with a longer grace changes nothing (spec §4.1 repeat delete)', async () => {
    const h = harness();
    h.runtime.onExec('/a', execHang);
    const pod = makePod({ tgps: 30, containers: [ctr('a', ['/a'])] });
    await startAll(h, pod, ['a']);
    const first = h.manager.deletePod(pod, { gracePeriodSeconds: 10 });
    await h.clock.advance(2_000);
    const second = h.manager.deletePod(pod, { gracePeriodSeconds: 20 });
    const [r1, r2] = await drive(h.clock, Promise.all([first, second]));
    expect(h.runtime.of('stop')).toMatchObject([{ at: 10_000, timeoutSeconds: 2 }]);
    expect(r1.deletionGracePeriodSeconds).toBe(10);
    expect(r2.deletionGracePeriodSeconds).toBe(10);
    expect(r2.gracePeriodSeconds).toBe(10);
  });

  it('a shorter second delete does not cut the in-flight preStop by default (spec §4.2-F.2, k/k#113717)', async () => {
    const h = harness();
    h.runtime.onExec('/a', execHang);
    const pod = makePod({ tgps: 30, containers: [ctr('a', ['/a'])] });
    await startAll(h, pod, ['a']);
    const first = h.manager.deletePod(pod, { gracePeriodSeconds: 20 });
    await h.clock.advance(2_000);
    const second = h.manager.deletePod(pod, { gracePeriodSeconds: 5 });
    const [, r2] = await drive(h.clock, Promise.all([first, second]));
    expect(h.runtime.of('stop')).toMatchObject([{ at: 20_000, timeoutSeconds: 2 }]);
    expect(r2.deletionGracePeriodSeconds).toBe(5);
    expect(h.runtime.of('exec')).toHaveLength(1);
  });

  it('a container still running after the first pass (stop rejected) is killed again by a repeat, shorter delete (spec §4.1, §4.2-F.3; lifecycle.md "The pod")', async () => {
    const h = harness();
    let stops = 0;
    h.runtime.onStop('a', () =>
      ++stops === 1 ? Promise.reject(new Error('rpc error: code = Unknown')) : Promise.resolve(),
    );
    const pod = makePod({ tgps: 30, containers: [ctr('a', ['/a'])] });
    await startAll(h, pod, ['a']);
    const r1 = await drive(h.clock, h.manager.deletePod(pod, { gracePeriodSeconds: 20 }));
    expect(r1.containers[0]?.outcome).toBe('stopFailed');
    expect(h.manager.status(pod, 'a').state).toBe('Running');
    await h.clock.advance(1_000);
    const r2 = await drive(h.clock, h.manager.deletePod(pod, { gracePeriodSeconds: 5 }));
    // the API server stores the strictly smaller period (spec §4.1) ...
    expect(r2.deletionGracePeriodSeconds).toBe(5);
    // ... and the still-running container is killed again with it (preStop again, spec §6)
    expect(h.runtime.of('stop').map((c) => [c.at, c.timeoutSeconds])).toEqual([
      [0, 20],
      [1_000, 5],
    ]);
    expect(h.runtime.of('exec')).toHaveLength(2);
    expect(r2.containers[0]?.outcome).toBe('stopped');
    expect(h.manager.status(pod, 'a').state).toBe('Terminated');
  });

  it('a repeat delete (same grace) after a rejected stop retries the kill (docs/semantics.md modelling choices)', async () => {
    const h = harness();
    let stops = 0;
    h.runtime.onStop('a', () => (++stops === 1 ? Promise.reject(new Error('rpc error')) : Promise.resolve()));
    const pod = makePod({ tgps: 30, containers: [ctr('a')] });
    await startAll(h, pod, ['a']);
    await drive(h.clock, h.manager.deletePod(pod));
    await h.clock.advance(1_000);
    const r2 = await drive(h.clock, h.manager.deletePod(pod));
    expect(h.runtime.of('stop')).toHaveLength(2);
    expect(r2.containers[0]?.outcome).toBe('stopped');
  });

  it('a delete arriving during postStart waits for it (spec §3.7)', async () => {
    const h = harness();
    h.runtime.onExec('/hello', execAfter(7_000, { exitCode: 0 }));
    const pod = makePod({
      tgps: 30,
      containers: [{ name: 'a', lifecycle: { postStart: { exec: { command: ['/hello'] } } } }],
    });
    const starting = h.manager.startContainer(pod, 'a');
    await h.clock.advance(1_000);
    const deleting = h.manager.deletePod(pod);
    await drive(h.clock, Promise.all([starting, deleting]));
    expect(h.runtime.of('stop')[0]?.at).toBe(7_000);
  });
});

import { describe, expect, it } from 'vitest';
import type { PodLifecycleStatus } from '../../src/api/pod-status.js';
import type { Container } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { PodWorker, type PodWorkerOptions } from '../../src/pod/pod-worker.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { type FakeBehaviour, FakeDriver, podOf } from './fake-driver.js';

function setup(
  containers: Container[],
  behaviours: Record<string, FakeBehaviour>,
  extra: Parameters<typeof podOf>[1] & {
    sandboxIP?: string;
    withWaitExit?: boolean;
    worker?: Partial<PodWorkerOptions>;
  } = {},
) {
  const clock = new VirtualClock();
  const pod = podOf(containers, extra);
  const driver = new FakeDriver(clock, pod, behaviours, {
    ...(extra.sandboxIP ? { sandboxIP: extra.sandboxIP } : {}),
    ...(extra.withWaitExit === false ? { withWaitExit: false } : {}),
  });
  const statuses: PodLifecycleStatus[] = [];
  const workerEvents: KubeEvent[] = [];
  const worker = new PodWorker({
    pod,
    driver,
    clock,
    onStatus: (s) => statuses.push(s),
    onEvent: (e) => workerEvents.push(e),
    ...extra.worker,
  });
  return { clock, pod, driver, worker, statuses, workerEvents };
}

const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: `${name}:1`, ...extra });
const once = (ms: number) => (attempt: number) => (attempt === 0 ? ms : undefined);
const always = (v: number) => () => v;

describe('PodWorker ordering (spec pod §3.2–§3.4, DESIGN §10)', () => {
  it('init containers one at a time, sidecars gate the next init, regular containers one after another', async () => {
    const { clock, driver, worker } = setup(
      [c('a', { lifecycle: {} }), c('b')],
      { i1: { exitAfterMs: once(1000) }, i2: { exitAfterMs: once(2000) }, a: { startMs: 500 } },
      { initContainers: [c('i1'), c('side', { restartPolicy: 'Always' }), c('i2')] },
    );
    const started = worker.start();
    await clock.advance(0);
    expect(worker.status().phase).toBe('Pending');
    expect(
      worker.status().initContainerStatuses.map((s) => s.state.waiting?.reason ?? Object.keys(s.state)[0]),
    ).toEqual(['running', 'PodInitializing', 'PodInitializing']);
    await clock.advance(10_000);
    expect(driver.starts.map((s) => [s.name, s.at])).toEqual([
      ['i1', 0],
      ['side', 1000],
      ['i2', 1000],
      ['a', 3000],
      ['b', 3500],
    ]);
    const status = await started;
    expect(status.phase).toBe('Running');
    expect(worker.status().conditions.map((x) => [x.type, x.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
  });

  it('a sidecar with a startup probe gates the next init container until started (spec pod §3.4 rule 2)', async () => {
    const { clock, driver, worker } = setup(
      [c('a')],
      {},
      { initContainers: [c('side', { restartPolicy: 'Always', startupProbe: {} }), c('i2')] },
    );
    worker.start();
    await clock.advance(5000);
    expect(driver.starts.map((s) => s.name)).toEqual(['side']);
    expect(worker.status().initContainerStatuses[0]).toMatchObject({ started: false, ready: false });
    worker.setProbeResult('side', 'startup', true);
    await clock.advance(0);
    expect(driver.starts.map((s) => s.name)).toEqual(['side', 'i2']);
  });

  it('a failing init container fails the pod under Never: no regular container starts, sidecars are stopped (spec pod §3.3)', async () => {
    const { clock, driver, worker } = setup(
      [c('a')],
      { i1: { exitAfterMs: once(1000), exitCode: always(3) } },
      { restartPolicy: 'Never', initContainers: [c('side', { restartPolicy: 'Always' }), c('i1')] },
    );
    worker.start();
    await clock.advance(2000);
    expect(driver.starts.map((s) => s.name)).toEqual(['side', 'i1']);
    expect(driver.kills.map((k) => k.name)).toEqual(['side']);
    expect(worker.status().phase).toBe('Failed');
    expect(worker.status().initContainerStatuses[1]?.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(worker.status().containerStatuses[0]?.state.waiting?.reason).toBe('PodInitializing');
    expect(worker.state).toBe('completed');
  });

  it('a failing init container restarts with back-off under OnFailure, the pod stays Pending (spec pod §3.3, §4.2)', async () => {
    const { clock, driver, worker } = setup(
      [c('a')],
      { i1: { exitAfterMs: (n) => (n < 3 ? 100 : 50), exitCode: (n) => (n < 3 ? 1 : 0) } },
      { restartPolicy: 'OnFailure', initContainers: [c('i1')] },
    );
    worker.start();
    await clock.advance(15_000);
    // crash 1 at 0.1 s → immediate; crash 2 at 0.2 s → 10 s back-off
    expect(driver.starts.map((s) => [s.name, s.at])).toEqual([
      ['i1', 0],
      ['i1', 100],
      ['i1', 10_200],
    ]);
    expect(worker.status().phase).toBe('Pending');
    await clock.advance(30_000);
    expect(driver.starts.map((s) => [s.name, s.at]).slice(3)).toEqual([
      ['i1', 30_300],
      ['a', 30_350],
    ]);
    expect(worker.status().phase).toBe('Running');
    expect(worker.status().initContainerStatuses[0]).toMatchObject({ restartCount: 3, ready: true });
  });
});

describe('PodWorker exits and restarts (spec pod §3.1, §4)', () => {
  it('records lastState.terminated and restartCount, and backs off 10 s, 20 s with the kubelet message (spec pod §4.2, §4.4)', async () => {
    const { clock, driver, worker, workerEvents } = setup([c('app')], {
      app: { exitAfterMs: always(1000), exitCode: always(2) },
    });
    worker.start();
    await clock.advance(2000); // start 0, crash 1000, restart 1000, crash 2000 → back-off 10 s
    const status = worker.status().containerStatuses[0];
    expect(status).toMatchObject({
      restartCount: 1,
      ready: false,
      started: false,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 10s restarting failed container=app pod=web_default(uid-web)',
        },
      },
      lastState: {
        terminated: {
          exitCode: 2,
          reason: 'Error',
          startedAt: '1970-01-01T00:00:01Z',
          finishedAt: '1970-01-01T00:00:02Z',
          containerID: 'app-1',
        },
      },
    });
    expect(worker.status().phase).toBe('Running');
    expect(workerEvents.map((e) => [e.type, e.reason, e.message, e.object.fieldPath])).toEqual([
      [
        'Warning',
        'BackOff',
        'Back-off restarting failed container app in pod web_default(uid-web)',
        'spec.containers{app}',
      ],
    ]);
    await clock.advance(40_000);
    expect(driver.starts.map((s) => [s.at, s.restartCount])).toEqual([
      [0, 0],
      [1000, 1],
      [12_000, 2],
      [33_000, 3],
    ]);
  });

  it('exit 0 under Always restarts too; reason Completed (spec pod §3.1, §4.4)', async () => {
    const { clock, driver, worker } = setup([c('app')], { app: { exitAfterMs: once(500) } });
    worker.start();
    await clock.advance(600);
    expect(driver.starts).toHaveLength(2);
    expect(worker.status().containerStatuses[0]?.lastState.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(worker.status().containerStatuses[0]?.state.running).toBeDefined();
  });

  it('container restartPolicy Never with rule In [42] in a Never pod restarts only on 42 (spec pod §3.5)', async () => {
    const app = c('app', {
      restartPolicy: 'Never',
      restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }],
    } as Partial<Container>);
    const { clock, driver, worker } = setup(
      [app],
      { app: { exitAfterMs: always(100), exitCode: (n) => (n === 0 ? 42 : 1) } },
      { restartPolicy: 'Never' },
    );
    worker.start();
    await clock.advance(1000);
    expect(driver.starts).toHaveLength(2);
    expect(worker.status().phase).toBe('Failed');
    expect(worker.status().containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { terminated: { exitCode: 1 } },
    });
  });

  it('a run longer than 600 s resets the back-off: the next restart is immediate (spec pod §4.2)', async () => {
    const runs = [10, 10, 700_000, 10];
    const { clock, driver, worker } = setup([c('app')], { app: { exitAfterMs: (n) => runs[n], exitCode: always(1) } });
    worker.start();
    await clock.advance(800_000);
    const at = driver.starts.map((s) => s.at);
    // 0; crash 10 → 10; crash 20 → +10 s → 10 020; crash 710 020 → reset → 710 020 (immediate)
    expect(at.slice(0, 4)).toEqual([0, 10, 10_020, 710_020]);
  });

  it('policy crashLoopBackOff values change the waits (DESIGN §10)', async () => {
    const { clock, driver, worker } = setup(
      [c('app')],
      { app: { exitAfterMs: always(0), exitCode: always(1) } },
      { worker: { crashLoopBackOff: { initialSeconds: 1, maxSeconds: 3 } } },
    );
    worker.start();
    await clock.advance(10_000);
    expect(driver.starts.map((s) => s.at).slice(0, 6)).toEqual([0, 0, 1000, 3000, 6000, 9000]);
  });

  it('exits reported by notifyExited work for drivers without waitExit', async () => {
    const { clock, driver, worker } = setup([c('app')], {}, { withWaitExit: false, restartPolicy: 'OnFailure' });
    worker.start();
    await clock.advance(0);
    worker.notifyExited('app', { exitCode: 0 });
    await clock.advance(0);
    expect(driver.starts).toHaveLength(1);
    expect(worker.status().phase).toBe('Succeeded');
    expect(() => worker.notifyExited('nope', { exitCode: 0 })).toThrow(/not declared/);
  });
});

describe('PodWorker completion, sandbox and delete (spec pod §3.4 rule 6, §5.1, DESIGN §10)', () => {
  it('Never: once the regular containers are done, the sidecars are killed together and stop in reverse order; Succeeded iff all exited 0', async () => {
    const { clock, driver, worker } = setup(
      [c('a'), c('b')],
      { a: { exitAfterMs: once(1000) }, b: { exitAfterMs: once(2000) }, s1: { killMs: 500 }, s2: { killMs: 500 } },
      {
        restartPolicy: 'Never',
        initContainers: [c('s1', { restartPolicy: 'Always' }), c('s2', { restartPolicy: 'Always' })],
        sandboxIP: '10.1.2.3',
      },
    );
    worker.start();
    await clock.advance(2250);
    expect(worker.status().phase).toBe('Running'); // sidecars still stopping
    await clock.advance(1000);
    // Both kills begin at once (killContainersWithSyncResult); s1's stop waits for s2's exit.
    expect(driver.kills.map((k) => [k.name, k.at])).toEqual([
      ['s1', 2000],
      ['s2', 2000],
    ]);
    const status = worker.status();
    expect(status.initContainerStatuses.map((s) => s.state.terminated?.finishedAt)).toEqual([
      '1970-01-01T00:00:03Z',
      '1970-01-01T00:00:02Z',
    ]);
    expect(status.phase).toBe('Succeeded');
    expect(status.podIP).toBe('10.1.2.3');
    expect(status.podIPs).toEqual([{ ip: '10.1.2.3' }]);
    expect(driver.sandbox).toEqual({ runs: 1, stops: 1 });
    expect(status.conditions.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['PodReadyToStartContainers', 'False', undefined],
      ['Initialized', 'True', 'PodCompleted'],
      ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['PodScheduled', 'True', undefined],
    ]);
    expect(status.initContainerStatuses.map((s) => s.state.terminated?.exitCode)).toEqual([137, 137]);
  });

  it('OnFailure: exit 0 completes, a failure restarts; the pod fails when a Never container fails', async () => {
    const { clock, worker } = setup(
      [c('a')],
      { a: { exitAfterMs: always(100), exitCode: (n) => (n === 0 ? 1 : 0) } },
      { restartPolicy: 'OnFailure' },
    );
    worker.start();
    await clock.advance(1000);
    expect(worker.status().phase).toBe('Succeeded');
    expect(worker.status().containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { terminated: { reason: 'Completed' } },
    });
  });

  it('stop() during a back-off wait ends the worker at once: no restart after (DESIGN §10)', async () => {
    const { clock, driver, worker } = setup([c('app')], { app: { exitAfterMs: always(100), exitCode: always(1) } });
    worker.start();
    await clock.advance(500);
    expect(worker.status().containerStatuses[0]?.state.waiting?.reason).toBe('CrashLoopBackOff');
    worker.stop();
    expect(worker.state).toBe('stopped');
    expect(clock.pendingTimerList?.() ?? []).toEqual([]);
    await clock.advance(600_000);
    expect(driver.starts).toHaveLength(2);
    expect(worker.status().phase).toBe('Failed'); // deleted, last exit 1 (spec pod §5.1 deleted pods)
  });

  it('stop() with a running container: exits are still recorded, no restart, phase by exit code', async () => {
    const { clock, driver, worker } = setup([c('app')], {});
    worker.start();
    await clock.advance(0);
    worker.stop();
    expect(worker.status().phase).toBe('Running');
    driver.exit('app', 0);
    await clock.advance(60_000);
    expect(driver.starts).toHaveLength(1);
    expect(worker.status().phase).toBe('Succeeded');
  });

  it('publishes frozen snapshots, each different from the one before', async () => {
    const { clock, worker, statuses } = setup([c('app')], { app: { exitAfterMs: once(10) } });
    worker.start();
    await clock.advance(100);
    expect(statuses.length).toBeGreaterThan(2);
    for (const s of statuses) expect(Object.isFrozen(s) && Object.isFrozen(s.containerStatuses[0])).toBe(true);
    for (let i = 1; i < statuses.length; i++) expect(statuses[i]).not.toEqual(statuses[i - 1]);
    expect(worker.status()).toBe(statuses.at(-1));
  });
});

describe('PodWorker.waitFor (DESIGN §10)', () => {
  it('resolves with the first matching status, at once when the current one matches', async () => {
    const { clock, worker } = setup([c('app', { readinessProbe: {} })], {});
    worker.start();
    const ready = worker.waitFor('Ready');
    await clock.advance(1000);
    worker.setProbeResult('app', 'readiness', true);
    const status = await ready;
    expect(status.containerStatuses[0]?.ready).toBe(true);
    await expect(worker.waitFor('Ready')).resolves.toBe(worker.status());
  });

  it('rejects with ERR_WAIT_TIMEOUT on the injected clock', async () => {
    const { clock, worker } = setup([c('app', { readinessProbe: {} })], {});
    worker.start();
    const wait = worker.waitFor('Ready', { timeoutMs: 5000 });
    const settled = wait.catch((e: unknown) => e);
    await clock.advance(4999);
    await clock.advance(1);
    expect(await settled).toMatchObject({ code: 'ERR_WAIT_TIMEOUT', name: 'PodWaitError' });
  });

  it('rejects with ERR_POD_TERMINAL once the pod is terminal and the condition cannot hold', async () => {
    const { clock, worker } = setup(
      [c('app')],
      { app: { exitAfterMs: once(100), exitCode: always(1) } },
      { restartPolicy: 'Never' },
    );
    worker.start();
    const wait = worker.waitFor('Succeeded').catch((e: unknown) => e);
    await clock.advance(200);
    expect(await wait).toMatchObject({ code: 'ERR_POD_TERMINAL' });
    await expect(worker.waitFor('Failed')).resolves.toMatchObject({ phase: 'Failed' });
  });

  it('rejects with the signal reason on abort, and refuses a bad timeoutMs', async () => {
    const { worker } = setup([c('app')], {});
    const controller = new AbortController();
    const wait = worker.waitFor('Succeeded', { signal: controller.signal });
    controller.abort(new Error('enough'));
    await expect(wait).rejects.toThrow('enough');
    await expect(worker.waitFor('Ready', { timeoutMs: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('PodWorker sandbox on delete (DESIGN §10)', () => {
  it('stops the sandbox once the last container of a deleted pod has exited', async () => {
    const { clock, driver, worker } = setup([c('app')], {}, { sandboxIP: '10.0.0.9' });
    worker.start();
    await clock.advance(0);
    worker.stop();
    await clock.advance(0);
    expect(driver.sandbox).toEqual({ runs: 1, stops: 0 });
    driver.exit('app', 143);
    await clock.advance(0);
    expect(driver.sandbox).toEqual({ runs: 1, stops: 1 });
    expect(worker.status().phase).toBe('Failed');
    expect(worker.status().conditions[0]).toMatchObject({ type: 'PodReadyToStartContainers', status: 'False' });
  });
});

describe('PodWorker.killForProbe (spec pod §3.2 rules 2–3, §3.4 rule 3)', () => {
  it('kills with the kubelet Killing message, then restarts per policy', async () => {
    const { clock, driver, worker } = setup(
      [c('web')],
      {},
      { initContainers: [c('side', { restartPolicy: 'Always' })] },
    );
    worker.start();
    await clock.advance(0);
    await worker.killForProbe('web', 'liveness');
    await worker.killForProbe('side', 'startup');
    await clock.advance(0);
    expect(driver.events.filter((e) => e.reason === 'Killing').map((e) => e.message)).toEqual([
      'Container web failed liveness probe, will be restarted',
      'Init container side failed startup probe',
    ]);
    expect(driver.kills.map((k) => k.reason)).toEqual(['LivenessProbe', 'StartupProbe']);
    expect(driver.starts.map((s) => s.name)).toEqual(['side', 'web', 'web', 'side']);
    expect(worker.status().containerStatuses[0]?.lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
  });

  it('a container restarted in the killing sync is never published Terminated: Running until the new instance runs (spec pod §3.2 rule 3, §9 item 11)', async () => {
    const { clock, worker, statuses } = setup([c('web')], {});
    worker.start();
    await clock.advance(0);
    const before = statuses.length;
    await worker.killForProbe('web', 'liveness');
    await clock.advance(0);
    const states = statuses.slice(before).map((s) => Object.keys(s.containerStatuses[0]?.state ?? {})[0]);
    expect(states).not.toContain('terminated');
    expect(worker.status().containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { running: {} },
      lastState: { terminated: { exitCode: 137 } },
    });
  });

  it('restarted in the killing sync whatever it exits with: an OnFailure container that exits 0 on SIGTERM too (spec pod §3.2 rule 3)', async () => {
    // a graceful app: exit 0 on the stop signal
    const { clock, driver, worker } = setup([c('web')], { web: { killExitCode: 0 } }, { restartPolicy: 'OnFailure' });
    worker.start();
    await clock.advance(0);
    await worker.killForProbe('web', 'liveness');
    await clock.advance(0);
    expect(driver.events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container web failed liveness probe, will be restarted',
    );
    expect(driver.starts.map((s) => s.name)).toEqual(['web', 'web']);
    expect(worker.status().containerStatuses[0]).toMatchObject({ restartCount: 1, state: { running: {} } });
  });

  it('no suffix when the container will not restart (Never pod), and the pod completes', async () => {
    const { clock, driver, worker } = setup([c('web')], {}, { restartPolicy: 'Never' });
    worker.start();
    await clock.advance(0);
    await worker.killForProbe('web', 'liveness');
    await clock.advance(0);
    expect(driver.events.find((e) => e.reason === 'Killing')?.message).toBe('Container web failed liveness probe');
    expect(worker.status().phase).toBe('Failed');
  });

  it('a container-level restartPolicy decides the suffix, not its rules (no exit code yet); a rule still restarts it after its exit (spec pod §3.1, §3.2 rule 3; k/k#133243)', async () => {
    const rules = [{ action: 'Restart', exitCodes: { operator: 'In', values: [137] } }];
    const { clock, driver, worker } = setup([c('web', { restartPolicy: 'Never', restartPolicyRules: rules })], {});
    worker.start();
    await clock.advance(0);
    await worker.killForProbe('web', 'liveness');
    await clock.advance(0);
    expect(driver.events.find((e) => e.reason === 'Killing')?.message).toBe('Container web failed liveness probe');
    // exit 137 matches the rule: restarted after the exit, as any exit (its first: at once)
    expect(driver.starts.map((s) => s.name)).toEqual(['web', 'web']);
    expect(worker.status().containerStatuses[0]).toMatchObject({ restartCount: 1, state: { running: {} } });
  });
});

describe('PodWorker stop before start', () => {
  it('a worker stopped before start never starts anything; start() resolves with the final status TerminatePod leaves (spec pod §5.1)', async () => {
    const { clock, driver, worker } = setup([c('app')], {}, { sandboxIP: '10.0.0.1' });
    worker.stop();
    const status = await worker.start();
    await clock.advance(60_000);
    // A pod without init containers counts as initialized: its never-started container is
    // reported ContainerStatusUnknown (exit 137) and the phase, Pending, becomes Failed.
    expect(status.phase).toBe('Failed');
    expect(status.containerStatuses[0]?.state).toEqual({
      terminated: {
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was terminated',
      },
    });
    expect(driver.starts).toEqual([]);
    expect(driver.sandbox.runs).toBe(0);
    expect(worker.state).toBe('stopped');
    await expect(worker.waitFor('Ready')).rejects.toMatchObject({ code: 'ERR_POD_TERMINAL' });
  });
});

describe('PodWorker options: exitObservationDelayMs and jitter (spec pod §4.3, §9 items 2–3)', () => {
  it('acts on an exit only after exitObservationDelayMs; finishedAt keeps the exit time', async () => {
    const { clock, driver, worker } = setup(
      [c('app')],
      { app: { exitAfterMs: once(1000), exitCode: always(1) } },
      { worker: { exitObservationDelayMs: 1000 } },
    );
    worker.start();
    await clock.advance(1999);
    expect(driver.starts).toHaveLength(1);
    expect(worker.status().containerStatuses[0]?.state.running).toBeDefined();
    await clock.advance(1);
    expect(driver.starts.map((s) => s.at)).toEqual([0, 2000]);
    expect(worker.status().containerStatuses[0]?.lastState.terminated?.finishedAt).toBe('1970-01-01T00:00:01Z');
  });

  it('a random source spreads a restart within [expiry, expiry + 50 % of the wait)', async () => {
    const { clock, driver, worker } = setup(
      [c('app')],
      { app: { exitAfterMs: always(0), exitCode: always(1) } },
      { worker: { random: () => 0.5 } },
    );
    worker.start();
    await clock.advance(20_000);
    // crash 2 at 0 → wait 10 s + 0.5·0.5·10 s = 12.5 s
    expect(driver.starts.map((s) => s.at).slice(0, 3)).toEqual([0, 0, 12_500]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { sleepOn } from '../../src/ports/clock.js';
import { ContainerProbes } from '../../src/probes/container-probes.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeTcpDialer } from '../../src/testing/fake-probe-ports.js';
import { failFrom, hangFrom } from '../../src/testing/probe-scripts.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { harness } from './harness.js';
import { execRuntime, makePod, makeRef, POD_IP, stubHttp } from './helpers.js';

const tcp = { tcpSocket: { port: 8080 } };

describe('workers and timing (spec pod §6.1)', () => {
  it('probes at once, then every periodSeconds from that instant', async () => {
    const h = harness({ name: 'app', livenessProbe: { ...tcp, periodSeconds: 5 } }, () => true);
    h.start();
    // created before the start: the immediate doProbe saw no container; the ticker is not re-anchored
    await h.clock.advance(20_000);
    expect(h.times('liveness')).toEqual([5, 10, 15, 20]);
  });

  it('initialDelaySeconds skips probes while int(seconds since start) < delay', async () => {
    const h = harness(
      { name: 'app', livenessProbe: { ...tcp, periodSeconds: 5, initialDelaySeconds: 12 } },
      () => true,
    );
    await h.clock.advance(1000);
    h.start(); // started at 1 s: at 10 s int(9) < 12, at 15 s int(14) ≥ 12
    await h.clock.advance(19_000);
    expect(h.times('liveness')).toEqual([15, 20]);
  });

  it('a container new to the worker gets liveness Success, readiness Failure, startup Unknown', () => {
    const h = harness({ name: 'app', livenessProbe: tcp, readinessProbe: tcp, startupProbe: tcp }, () => true);
    h.start();
    expect(['liveness', 'readiness', 'startup'].map((t) => h.probes.result(t as 'liveness'))).toEqual([
      'Success',
      'Failure',
      'Unknown',
    ]);
    expect({ started: h.probes.started, ready: h.probes.ready }).toEqual({ started: false, ready: false });
  });

  it('a tick during a running probe waits for it; further ticks are dropped (Go ticker)', async () => {
    const h = harness({ name: 'app', livenessProbe: { ...tcp, periodSeconds: 1 } }, () => async () => {
      await new Promise<void>((resolve) => h.clock.setTimeout(resolve, 2400));
      return { result: 'success', output: '' };
    });
    h.start();
    await h.clock.advance(7000);
    expect(h.times('liveness')).toEqual([1, 3.4, 5.8]);
  });
});

describe('containerExited (spec pod §6.1 step 6)', () => {
  it('willRestart false stops every worker at once: no timer armed, no attempt after the exit', async () => {
    const h = harness(
      { name: 'app', livenessProbe: { ...tcp, periodSeconds: 2 }, readinessProbe: { ...tcp, periodSeconds: 3 } },
      () => true,
      { startAtCreation: true },
    );
    await h.clock.advance(4500);
    const attempts = h.attempts.length;
    h.probes.containerExited({ willRestart: false });
    expect({ started: h.probes.started, ready: h.probes.ready, stopped: h.probes.isStopped }).toEqual({
      started: false,
      ready: false,
      stopped: true,
    });
    expect(h.clock.pendingTimers).toBe(0);
    await h.clock.advance(60_000);
    expect(h.attempts).toHaveLength(attempts);
  });

  it('without willRestart the workers wait for the next instance (and write Failure on their ticks)', async () => {
    const h = harness({ name: 'app', livenessProbe: { ...tcp, periodSeconds: 2 } }, () => true, {
      startAtCreation: true,
    });
    await h.clock.advance(1000);
    h.probes.containerExited();
    await h.clock.advance(4000);
    expect(h.probes.isStopped).toBe(false);
    expect(h.times('liveness')).toEqual([0]);
    expect(h.results.filter((r) => r.at > 1000).map((r) => [r.at / 1000, r.result])).toEqual([
      [2, 'Failure'],
      [4, 'Failure'],
    ]);
    h.start();
    await h.clock.advance(2000);
    expect(h.times('liveness')).toEqual([0, 6]);
  });
});

describe('startup gates liveness and readiness (spec pod §6.1 step 9, §5.3)', () => {
  it('no liveness or readiness probe runs before startup succeeds; readiness runs at once after', async () => {
    const h = harness(
      {
        name: 'app',
        startupProbe: { ...tcp, periodSeconds: 2, failureThreshold: 30 },
        livenessProbe: { ...tcp, periodSeconds: 10 },
        readinessProbe: { ...tcp, periodSeconds: 10 },
      },
      (type, at) => (type === 'startup' ? at >= 7000 : true),
      { startAtCreation: true },
    );
    await h.clock.advance(30_000);
    expect(h.times('startup')).toEqual([0, 2, 4, 6, 8]); // on hold after its Success
    expect(h.times('readiness')[0]).toBe(8); // status generation triggers it at once
    expect(h.times('liveness')).toEqual([10, 20, 30]);
    expect(h.statuses.map((s) => [s.at / 1000, s.started, s.ready])).toEqual([
      [8, true, false],
      [8, true, true],
    ]);
  });

  it('startup failures past failureThreshold kill with reason StartupProbe', async () => {
    const h = harness(
      { name: 'app', startupProbe: { ...tcp, periodSeconds: 1, failureThreshold: 3 }, livenessProbe: tcp },
      () => false,
      { startAtCreation: true },
    );
    await h.clock.advance(10_000);
    expect(h.kills).toMatchObject([
      { at: 2000, reason: 'StartupProbe', message: 'Container app failed startup probe, will be restarted' },
    ]);
    expect(h.times('startup')).toEqual([0, 1, 2]); // on hold until a new container
    expect(h.times('liveness')).toEqual([]);
    h.start();
    await h.clock.advance(1000);
    expect(h.times('startup')).toEqual([0, 1, 2, 11]);
  });
});

describe('liveness (spec pod §6.1 steps 11–13, §6.3)', () => {
  it('Unhealthy on every failure, then a kill with the Killing message and the probe grace', async () => {
    const h = harness(
      {
        name: 'app',
        livenessProbe: { ...tcp, periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 7 },
      },
      (_t, at) => at < 30_000,
    );
    h.start();
    await h.clock.advance(100_000);
    expect(h.events.map((e) => [e.at / 1000, e.reason, e.message])).toEqual([
      [30, 'Unhealthy', 'Liveness probe failed: liveness down'],
      [40, 'Unhealthy', 'Liveness probe failed: liveness down'],
      [50, 'Unhealthy', 'Liveness probe failed: liveness down'],
    ]);
    expect(h.kills).toEqual([
      {
        at: 50_000,
        probeType: 'liveness',
        reason: 'LivenessProbe',
        message: 'Container app failed liveness probe, will be restarted',
        terminationGracePeriodSeconds: 7,
        willRestart: true,
        ref: makeRef('app', 'c1'),
      },
    ]);
    expect(h.times('liveness').filter((t) => t > 50)).toEqual([]); // on hold until restart
  });

  it('with restartPolicy Never the Killing message has no ", will be restarted"', async () => {
    const h = harness({ name: 'app', livenessProbe: { ...tcp, failureThreshold: 1 } }, () => false, {
      podSpec: { restartPolicy: 'Never' },
    });
    h.start();
    await h.clock.advance(10_000);
    expect(h.kills.map((k) => [k.message, k.willRestart])).toEqual([['Container app failed liveness probe', false]]);
  });

  it('a restart (new container) resumes a held liveness worker, keeping its ticker', async () => {
    const h = harness({ name: 'app', livenessProbe: { ...tcp, failureThreshold: 1, periodSeconds: 10 } }, () => false, {
      startAtCreation: true,
    });
    await h.clock.advance(15_000);
    expect(h.kills).toHaveLength(1);
    h.start('c2');
    await h.clock.advance(10_000);
    expect(h.kills.map((k) => [k.at / 1000, k.ref.id])).toEqual([
      [0, 'c1'],
      [20, 'c2'],
    ]);
  });

  it('a prober error emits the errored event, retries 3 times and is not counted', async () => {
    const h = harness(
      { name: 'app', livenessProbe: { ...tcp, failureThreshold: 1 } },
      () => ({
        result: 'unknown',
        output: '',
        error: 'container not running',
      }),
      { startAtCreation: true },
    );
    await h.clock.advance(0);
    expect(h.attempts).toHaveLength(3);
    expect(h.events.map((e) => e.message)).toEqual([
      'Liveness probe errored and resulted in unknown state: container not running',
    ]);
    expect(h.kills).toEqual([]);
  });

  it('no kill for a container that already exited; started/ready turn false', async () => {
    const h = harness({ name: 'app', livenessProbe: { ...tcp, failureThreshold: 1 }, readinessProbe: tcp }, () => true);
    h.start();
    await h.clock.advance(0);
    expect(h.probes.ready).toBe(true);
    h.probes.containerExited();
    expect({ started: h.probes.started, ready: h.probes.ready }).toEqual({ started: false, ready: false });
    await h.clock.advance(30_000);
    expect(h.kills).toEqual([]);
    expect(h.probes.result('liveness')).toBe('Failure'); // step 6
  });
});

describe('a container that changes while a probe is in flight', () => {
  const slowFailure = (clock: () => VirtualClock) => () => async (signal: AbortSignal) => {
    await sleepOn(clock(), 500, signal);
    return { result: 'failure' as const, output: 'down' };
  };

  it('no kill when the container exited during the probe (it is no longer running)', async () => {
    let clock: VirtualClock | undefined;
    const h = harness(
      { name: 'app', livenessProbe: { ...tcp, failureThreshold: 1 } },
      slowFailure(() => clock as VirtualClock),
      {
        startAtCreation: true,
      },
    );
    clock = h.clock;
    await h.clock.advance(200);
    h.probes.containerExited();
    await h.clock.advance(1000);
    expect(h.events).toHaveLength(1); // the failure is still reported
    expect(h.kills).toEqual([]);
  });

  it('a result of a replaced instance is not counted against the new one', async () => {
    let clock: VirtualClock | undefined;
    const h = harness(
      { name: 'app', livenessProbe: { ...tcp, failureThreshold: 1 } },
      slowFailure(() => clock as VirtualClock),
      {
        startAtCreation: true,
      },
    );
    clock = h.clock;
    await h.clock.advance(200);
    h.probes.containerExited();
    h.start('c2');
    await h.clock.advance(1000);
    expect(h.kills).toEqual([]);
    expect(h.probes.result('liveness')).toBe('Success');
  });
});

describe('readiness (spec pod §6.1, §5.3)', () => {
  it('ready flips after successThreshold successes and back after failureThreshold failures', async () => {
    const h = harness(
      { name: 'app', readinessProbe: { ...tcp, periodSeconds: 1, successThreshold: 3, failureThreshold: 2 } },
      (_t, at) => at < 10_000,
    );
    h.start();
    await h.clock.advance(20_000);
    expect(h.statuses.map((s) => [s.at / 1000, s.ready])).toEqual([
      [0, false], // started (no startup probe), not ready
      [2, true],
      [11, false],
    ]);
  });

  it('readiness keeps probing during termination; liveness and startup stop', async () => {
    const h = harness(
      { name: 'app', readinessProbe: { ...tcp, periodSeconds: 5 }, livenessProbe: { ...tcp, periodSeconds: 5 } },
      (type, at) => type === 'liveness' || at < 12_000,
    );
    h.start();
    await h.clock.advance(10_000);
    h.probes.podTerminating();
    expect(h.probes.activeProbes).toEqual(['readiness']);
    await h.clock.advance(20_000);
    expect(h.times('liveness')).toEqual([5, 10]);
    expect(h.times('readiness').filter((t) => t > 10)).toEqual([15, 20, 25, 30]);
    expect(h.probes.ready).toBe(false); // 3 failures from 15 s
  });
});

describe('a pod with deletionTimestamp (spec pod §6.1 step 7)', () => {
  it('liveness and startup set Success and stop at their first run; readiness goes on', async () => {
    const h = harness({ name: 'app', livenessProbe: tcp, startupProbe: tcp, readinessProbe: tcp }, () => false, {
      startAtCreation: true,
      podSpec: {},
    });
    expect(h.probes.activeProbes.sort()).toEqual(['liveness', 'readiness', 'startup']);
    const deleted = harness({ name: 'app', livenessProbe: tcp, startupProbe: tcp, readinessProbe: tcp }, () => false, {
      startAtCreation: true,
      extra: { pod: { ...h.pod, metadata: { ...h.pod.metadata, deletionTimestamp: '2026-12-06T21:00:00Z' } } },
    });
    await deleted.clock.advance(30_000);
    expect(deleted.probes.activeProbes).toEqual(['readiness']);
    expect(deleted.kills).toEqual([]);
    expect(deleted.times('liveness')).toEqual([]);
    const written = (type: string) => deleted.results.filter((r) => r.type === type).map((r) => r.result);
    expect([written('startup'), written('liveness')]).toEqual([
      ['Unknown', 'Success'],
      ['Success', 'Success'],
    ]);
    expect(deleted.probes.started).toBe(true); // no startup worker left (UpdatePodStatus: started = !exists)
    h.probes.stop();
    deleted.probes.stop();
  });
});

describe('stop() leaves nothing running', () => {
  it('clears every timer, aborts the pending probe and reports nothing afterwards', async () => {
    const h = harness(
      { name: 'app', livenessProbe: tcp, readinessProbe: tcp },
      () => (signal) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve({ result: 'failure', output: 'late' })),
        ),
    );
    h.start();
    await h.clock.advance(0);
    const pending = h.attempts.map((a) => a.signal);
    h.probes.stop();
    await h.clock.advance(0);
    expect(pending.every((s) => s.aborted)).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
    expect(h.events).toEqual([]);
    h.start();
    expect(h.statuses.filter((s) => s.at > 0)).toEqual([]);
  });
});

describe('with real handlers and the testing kit fakes (spec pod §6.3)', () => {
  it('an httpGet liveness probe answering 500 from 30 s: Unhealthy with the status, then Killing', async () => {
    const clock = new VirtualClock();
    const httpClient = new FakeHttpClient({ clock }).route(`http://${POD_IP}:8080/healthz`, (request) => ({
      status: clock.now() < 30_000 ? 200 : 500,
      headers: {},
      ...(request.headers.some(([n, v]) => n === 'User-Agent' && v === 'kube-probe/1.35') ? {} : { status: 400 }),
    }));
    const container = {
      name: 'web',
      livenessProbe: { httpGet: { port: 8080, path: '/healthz' }, failureThreshold: 2 },
    } as never;
    const messages: string[] = [];
    const probes = new ContainerProbes({
      pod: makePod(container),
      container,
      clock,
      runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
      httpClient,
      running: { ref: makeRef('web') },
      onEvent: (e) => messages.push(`${clock.now() / 1000}s ${e.reason}: ${e.message}`),
      onKill: (k) => messages.push(`${clock.now() / 1000}s Killing: ${k.message}`),
    });
    await clock.advance(60_000);
    probes.stop();
    expect(messages).toEqual([
      '30s Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
      '40s Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
      '40s Killing: Container web failed liveness probe, will be restarted',
    ]);
  });

  it('stop() aborts a hung tcp dial and leaves no timer', async () => {
    const clock = new VirtualClock();
    const dialer = new FakeTcpDialer({ clock }).script('*', 8080, hangFrom(0));
    const container = { name: 'web', livenessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 30 } } as never;
    const probes = new ContainerProbes({
      pod: makePod(container),
      container,
      clock,
      runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
      httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
      tcpDialer: dialer,
      running: { ref: makeRef('web') },
    });
    await clock.advance(1000);
    expect(dialer.calls).toHaveLength(1);
    expect(clock.pendingTimers).toBe(2); // the ticker and the probe's 30 s timeout
    probes.stop();
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a tcpSocket liveness outage gives Unhealthy x3 then Killing', async () => {
    const clock = new VirtualClock();
    const dialer = new FakeTcpDialer({ clock }).script(POD_IP, 8080, failFrom(30_000));
    const container: Container = { name: 'web', livenessProbe: { tcpSocket: { port: 8080 } } as never };
    const messages: string[] = [];
    const probes = new ContainerProbes({
      pod: makePod(container),
      container,
      clock,
      runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
      httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
      tcpDialer: dialer,
      onEvent: (e) => messages.push(`${e.reason}: ${e.message}`),
      onKill: (k) => messages.push(`Killing: ${k.message}`),
    });
    probes.containerStarted({ ref: makeRef('web') });
    await clock.advance(60_000);
    probes.stop();
    const refused = `dial tcp ${POD_IP}:8080: connect: connection refused`;
    expect(messages).toEqual([
      `Unhealthy: Liveness probe failed: ${refused}`,
      `Unhealthy: Liveness probe failed: ${refused}`,
      `Unhealthy: Liveness probe failed: ${refused}`,
      'Killing: Container web failed liveness probe, will be restarted',
    ]);
    expect(clock.pendingTimers).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { type Container, type KubeEvent, LifecycleManager } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { drive, execHang, harness, makePod, RecordingHttpClient, RecordingRuntime, settle } from './helpers.js';

const preStopExec: Container = { name: 'web', lifecycle: { preStop: { exec: { command: ['/bin/drain'] } } } };

/** DESIGN §6: "No promise returned by the manager rejects because of an adapter fault". */
describe('DESIGN §6 adapter faults become outcomes, never rejections', () => {
  const execFaults: Array<[string, () => unknown]> = [
    [
      'throws synchronously',
      () => {
        throw new Error('sync boom');
      },
    ],
    [
      'throws a string synchronously',
      () => {
        throw 'sync string';
      },
    ],
    ['rejects with a string', () => Promise.reject('plain string')],
    ['rejects with undefined', () => Promise.reject(undefined)],
    ['rejects with null', () => Promise.reject(null)],
    ['rejects with a plain object', () => Promise.reject({ code: 14 })],
    ['resolves null', () => Promise.resolve(null)],
    ['resolves a non-numeric exitCode', () => Promise.resolve({ exitCode: 'zero' })],
    ['resolves a number', () => Promise.resolve(0)],
    ['returns a non-promise', () => ({ exitCode: 0 })],
    [
      'rejects with an object whose getters throw',
      () =>
        Promise.reject(
          new Proxy(
            {},
            {
              get() {
                throw new Error('trap');
              },
            },
          ),
        ),
    ],
  ];
  for (const [label, fault] of execFaults) {
    it(`preStop exec ${label}: stopContainer resolves, kill proceeds`, async () => {
      const h = harness();
      h.runtime.onExec('/bin/drain', fault);
      const pod = makePod({ containers: [preStopExec] });
      await drive(h.clock, h.manager.startContainer(pod, 'web'));
      const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
      expect(result.outcome).toBe('stopped');
      expect(h.runtime.of('stop')).toHaveLength(1);
      if (label !== 'returns a non-promise') expect(['failed', 'succeeded']).toContain(result.preStop.outcome);
    });
  }

  it('postStart exec throwing synchronously: startContainer resolves postStartFailed', async () => {
    const h = harness();
    h.runtime.onExec('/bin/hello', () => {
      throw new TypeError('bad');
    });
    const pod = makePod({
      containers: [{ name: 'web', lifecycle: { postStart: { exec: { command: ['/bin/hello'] } } } }],
    });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(result.outcome).toBe('postStartFailed');
    expect(h.events.map((e) => e.reason)).toContain('FailedPostStartHook');
  });

  it('runtime.startContainer throwing synchronously: startFailed, Warning Failed "Error: …" (lifecycle.md)', async () => {
    const h = harness();
    h.runtime.onStart('web', () => {
      throw new Error('image not found');
    });
    const pod = makePod({ containers: [{ name: 'web' }] });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(result.outcome).toBe('startFailed');
    expect(h.events.find((e) => e.reason === 'Failed')).toMatchObject({
      type: 'Warning',
      message: 'Error: image not found',
    });
    expect(h.manager.status(pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'RunContainerError' });
  });

  it('runtime.startContainer resolving a malformed result ({}, null, {id: 7}): startFailed', async () => {
    for (const bad of [{}, null, { id: 7 }, { id: '' }]) {
      const h = harness();
      h.runtime.onStart('web', () => Promise.resolve(bad));
      const pod = makePod({ containers: [{ name: 'web' }] });
      const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
      expect(result.outcome, JSON.stringify(bad)).toBe('startFailed');
    }
  });

  it('runtime.startContainer never settling: startFailed after runtimeRequestTimeoutSeconds (semantics.md modelling choices)', async () => {
    const h = harness({ runtimeRequestTimeoutSeconds: 4 });
    h.runtime.onStart('web', () => new Promise(() => {}));
    const pod = makePod({ containers: [{ name: 'web' }] });
    const result = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(result.outcome).toBe('startFailed');
    expect(h.clock.now()).toBe(4_000);
  });

  it('runtime.stopContainer throwing synchronously / rejecting with a non-Error: stopFailed, container stays Running', async () => {
    for (const fault of [
      () => {
        throw new Error('x');
      },
      () => Promise.reject(42),
      () => Promise.reject(undefined),
    ]) {
      const h = harness();
      h.runtime.onStop('web', fault);
      const pod = makePod({ containers: [{ name: 'web' }] });
      await drive(h.clock, h.manager.startContainer(pod, 'web'));
      const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
      expect(result.outcome).toBe('stopFailed');
      expect(typeof result.error).toBe('string');
      expect(h.manager.status(pod, 'web').state).toBe('Running');
    }
  });

  it('runtime.stopContainer never settling: stopTimedOut after timeout + runtimeRequestTimeout, ExceededGracePeriod on the Pod (lifecycle.md)', async () => {
    const h = harness({ runtimeRequestTimeoutSeconds: 5 });
    h.runtime.onStop('web', () => new Promise(() => {}));
    const pod = makePod({ tgps: 10, containers: [{ name: 'web' }] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result.outcome).toBe('stopTimedOut');
    expect(h.clock.now()).toBe(15_000);
    expect(h.events.find((e) => e.reason === 'ExceededGracePeriod')).toMatchObject({
      type: 'Warning',
      message: 'Container runtime did not kill the pod within specified grace period.',
      object: { kind: 'Pod', name: 'p' },
    });
  });

  it('httpClient.request throwing synchronously / resolving garbage: the hook fails, the manager resolves', async () => {
    const faults = [
      () => {
        throw new Error('sync');
      },
      () => Promise.resolve(null),
      () => Promise.resolve({ status: 'x' }),
      () => Promise.reject('str'),
    ];
    for (const fault of faults) {
      const h = harness();
      h.http.handler = fault;
      const pod = makePod({
        podIP: '10.0.0.7',
        containers: [{ name: 'web', lifecycle: { preStop: { httpGet: { port: 80 } } } }],
      });
      await drive(h.clock, h.manager.startContainer(pod, 'web'));
      const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
      expect(result.preStop.outcome).toBe('failed');
      expect(result.outcome).toBe('stopped');
    }
  });

  it('an exec that never settles is abandoned at the grace and its AbortSignal fires once the container exited', async () => {
    const h = harness();
    let signal: AbortSignal | undefined;
    h.runtime.onExec('/bin/drain', (c) => {
      signal = c.signal;
      return execHang(c);
    });
    const pod = makePod({ tgps: 3, containers: [preStopExec] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const result = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(result.preStop.outcome).toBe('timedOut');
    await settle();
    expect(signal?.aborted).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('a throwing listener never breaks the manager; other listeners still get every event; listenerError is emitted (DESIGN §7)', async () => {
    const clock = new VirtualClock();
    const runtime = new RecordingRuntime(clock);
    const manager = new LifecycleManager({ runtime, httpClient: new RecordingHttpClient(clock), clock });
    const seen: KubeEvent[] = [];
    const listenerErrors: unknown[] = [];
    manager.on('event', () => {
      throw new Error('listener bug');
    });
    manager.on('event', (e) => seen.push(e));
    manager.on('step', () => {
      throw 'step listener bug';
    });
    manager.on('listenerError', (e) => {
      listenerErrors.push(e);
      throw new Error('and this too');
    });
    const pod = makePod({ containers: [preStopExec] });
    await drive(clock, manager.startContainer(pod, 'web'));
    const result = await drive(clock, manager.stopContainer(pod, 'web'));
    expect(result.outcome).toBe('stopped');
    expect(seen.map((e) => e.reason)).toEqual(['Started', 'Killing']);
    expect(listenerErrors.length).toBeGreaterThan(0);
  });

  it('a throwing notifyExited-path listener during the kill does not break deletePod', async () => {
    const h = harness();
    h.manager.on('event', (e) => {
      if (e.reason === 'Killing') throw new Error('boom');
    });
    const pod = makePod({ containers: [{ name: 'a' }, { name: 'b' }] });
    await drive(h.clock, h.manager.startContainer(pod, 'a'));
    await drive(h.clock, h.manager.startContainer(pod, 'b'));
    const result = await drive(h.clock, h.manager.deletePod(pod));
    expect(result.containers.map((c) => c.outcome)).toEqual(['stopped', 'stopped']);
  });
});

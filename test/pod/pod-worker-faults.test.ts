import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../src/hooks/events.js';
import type { ContainerDriver, StartOutcome } from '../../src/pod/container-driver.js';
import { PodWorker } from '../../src/pod/pod-worker.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { podOf } from './fake-driver.js';

/** A driver whose start and sandbox fail as scripted. */
function faultyDriver(script: {
  starts: Array<StartOutcome | Error>;
  sandbox?: Array<Error | { id: string; podIP?: string }>;
}) {
  const log: Array<[string, number]> = [];
  let clockRef: VirtualClock | undefined;
  const driver: ContainerDriver = {
    async start(name) {
      log.push([`start ${name}`, clockRef?.now() ?? -1]);
      const next = script.starts.shift() ?? { outcome: 'running' };
      if (next instanceof Error) throw next;
      return next;
    },
    async kill() {
      return {};
    },
    waitExit: () => new Promise(() => {}),
    ...(script.sandbox
      ? {
          async runSandbox() {
            log.push(['sandbox', clockRef?.now() ?? -1]);
            const next = script.sandbox?.shift() ?? { id: 'sb' };
            if (next instanceof Error) throw next;
            return next;
          },
        }
      : {}),
  };
  return { driver, log, bind: (clock: VirtualClock) => (clockRef = clock) };
}

describe('PodWorker faults (spec pod §4.3, §4.4)', () => {
  it('a start failure shows Waiting RunContainerError and is retried after the 10 s sync back-off; a thrown start counts as one', async () => {
    const clock = new VirtualClock();
    const { driver, log, bind } = faultyDriver({
      starts: [
        { outcome: 'startFailed', message: 'no such image' },
        new Error('socket hang up'),
        { outcome: 'running' },
      ],
    });
    bind(clock);
    const worker = new PodWorker({ pod: podOf([{ name: 'app' }]), driver, clock });
    worker.start();
    await clock.advance(0);
    expect(worker.status().containerStatuses[0]).toMatchObject({
      restartCount: 0,
      state: { waiting: { reason: 'RunContainerError', message: 'no such image' } },
    });
    expect(worker.status().phase).toBe('Pending');
    await clock.advance(10_000);
    expect(worker.status().containerStatuses[0]?.state.waiting?.message).toBe('socket hang up');
    await clock.advance(10_000);
    expect(log).toEqual([
      ['start app', 0],
      ['start app', 10_000],
      ['start app', 20_000],
    ]);
    expect(worker.status()).toMatchObject({ phase: 'Running', containerStatuses: [{ restartCount: 0 }] });
  });

  it('a sandbox failure emits FailedCreatePodSandBox and retries after 10 s; its podIP becomes status.podIP', async () => {
    const clock = new VirtualClock();
    const { driver, log, bind } = faultyDriver({
      starts: [],
      sandbox: [new Error('network not ready'), { id: 'sb', podIP: '10.9.8.7' }],
    });
    bind(clock);
    const events: KubeEvent[] = [];
    const worker = new PodWorker({ pod: podOf([{ name: 'app' }]), driver, clock, onEvent: (e) => events.push(e) });
    worker.start();
    await clock.advance(0);
    expect(events.map((e) => [e.type, e.reason, e.message, e.object.kind])).toEqual([
      ['Warning', 'FailedCreatePodSandBox', 'Failed to create pod sandbox: network not ready', 'Pod'],
    ]);
    expect(worker.status().conditions[0]).toMatchObject({ type: 'PodReadyToStartContainers', status: 'False' });
    await clock.advance(10_000);
    expect(log).toEqual([
      ['sandbox', 0],
      ['sandbox', 10_000],
      ['start app', 10_000],
    ]);
    expect(worker.status()).toMatchObject({ phase: 'Running', podIP: '10.9.8.7', podIPs: [{ ip: '10.9.8.7' }] });
    expect(worker.status().conditions[0]).toMatchObject({ status: 'True', lastTransitionTime: '1970-01-01T00:00:10Z' });
  });

  it('start() is idempotent and a throwing status listener does not break the worker', async () => {
    const clock = new VirtualClock();
    const { driver, log, bind } = faultyDriver({ starts: [] });
    bind(clock);
    const worker = new PodWorker({
      pod: podOf([{ name: 'app' }]),
      driver,
      clock,
      onStatus: () => {
        throw new Error('listener bug');
      },
    });
    const first = worker.start();
    expect(worker.start()).toBe(first);
    await clock.advance(0);
    expect((await first).phase).toBe('Running');
    expect(log).toHaveLength(1);
  });
});

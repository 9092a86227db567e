import { describe, expect, it } from 'vitest';
import type { ContainerRef } from '../../src/ports/runtime.js';
import {
  deliverHooksTimes,
  duplicateDeliveryHttpClient,
  duplicateDeliveryRuntime,
} from '../../src/testing/duplicate-delivery.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const signal = new AbortController().signal;

async function started() {
  const clock = new VirtualClock();
  const fake = new FakeRuntime({ clock });
  const { id } = await fake.startContainer({ metadata: { name: 'p' } }, { name: 'web' }, { signal });
  const ref: ContainerRef = { id, name: 'web', podName: 'p', podNamespace: 'default', podUID: '' };
  return { clock, fake, ref };
}

describe('duplicate delivery', () => {
  it('delivers every exec N times in sequence and reports the last outcome', async () => {
    const { clock, fake, ref } = await started();
    let n = 0;
    fake.onExec('drain', () => ({ exitCode: 0, stdout: `run ${++n} at ${clock.now()}` }));
    const runtime = duplicateDeliveryRuntime(fake, 3);
    expect((await runtime.exec(ref, ['drain'], { signal })).stdout).toBe('run 3 at 0');
    expect(fake.timeline.filter((e) => e.kind === 'exec')).toHaveLength(3);
  });

  it('runs deliveries one after another in sequential mode, all at once in concurrent mode', async () => {
    const { clock, fake, ref } = await started();
    fake.onExec('slow', { exitCode: 0, delayMs: 1_000 });
    const sequential = duplicateDeliveryRuntime(fake, 2).exec(ref, ['slow'], { signal });
    await clock.advance(2_000);
    await sequential;
    const concurrent = duplicateDeliveryRuntime(fake, 2, { mode: 'concurrent' }).exec(ref, ['slow'], { signal });
    await clock.advance(1_000);
    await concurrent;
    expect(fake.timeline.filter((e) => e.kind === 'exec').map((e) => e.at)).toEqual([0, 1_000, 2_000, 2_000]);
  });

  it('reports the first or the last outcome, running every delivery whatever happens', async () => {
    const { fake, ref } = await started();
    fake.onExec('once', { exitCode: 0 }, { times: 1 }).onExec('once', { reject: new Error('already drained') });
    await expect(duplicateDeliveryRuntime(fake, 2).exec(ref, ['once'], { signal })).rejects.toThrow('already drained');
    fake.onExec('twice', { reject: new Error('first fails') }, { times: 1 }).onExec('twice', { exitCode: 7 });
    expect(await duplicateDeliveryRuntime(fake, 2, { report: 'last' }).exec(ref, ['twice'], { signal })).toMatchObject({
      exitCode: 7,
    });
    fake.onExec('third', { exitCode: 5 }, { times: 1 }).onExec('third', { exitCode: 6 });
    expect(await duplicateDeliveryRuntime(fake, 2, { report: 'first' }).exec(ref, ['third'], { signal })).toMatchObject(
      { exitCode: 5 },
    );
  });

  it('passes start and stop through once', async () => {
    const { fake, ref } = await started();
    await duplicateDeliveryRuntime(fake, 3).stopContainer(ref, { timeoutSeconds: 1, signal });
    expect(fake.timeline.filter((e) => e.kind === 'stop')).toHaveLength(1);
  });

  it('delivers every HTTP request N times; deliverHooksTimes wraps both ports', async () => {
    const clock = new VirtualClock();
    const http = new FakeHttpClient({ clock }).route('/drain', { status: 200 });
    const wrapped = duplicateDeliveryHttpClient(http, 2);
    await wrapped.request({ method: 'GET', url: 'http://h/drain', headers: [] }, { signal });
    expect(http.requests).toHaveLength(2);
    const ports = deliverHooksTimes(3, { runtime: new FakeRuntime({ clock }), httpClient: http });
    await ports.httpClient.request({ method: 'GET', url: 'http://h/drain', headers: [] }, { signal });
    expect(http.requests).toHaveLength(5);
  });

  it('refuses a delivery count below 1', () => {
    expect(() =>
      duplicateDeliveryRuntime(new FakeRuntime({ clock: new VirtualClock() }), 0),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TestingError: duplicateDeliveryRuntime: times must be an integer >= 1 (1 = deliver once), got 0]`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { buildHttpGetRequest, InvalidArgumentError, UnknownContainerError, validatePod } from '../../src/index.js';
import { drive, execAfter, execHang, harness, makePod, settle } from './helpers.js';

describe('edge rules', () => {
  it('pod TGPS 0: stopContainer skips preStop (g == 0) and gives 2 s (spec §4.2-C.5 "if g > 0", §4.2-C.7)', async () => {
    const h = harness();
    const pod = makePod({
      tgps: 0,
      containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const r = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(r).toMatchObject({ gracePeriodSeconds: 0, preStop: { outcome: 'skipped' }, stopTimeoutSeconds: 2 });
    expect(h.runtime.of('exec')).toEqual([]);
  });

  it('pod TGPS 0: deletePod still runs preStop with 1 s (DGPS 0 → effective 1, spec §4.2-A.4)', async () => {
    const h = harness();
    h.runtime.onExec('/drain', execHang);
    const pod = makePod({
      tgps: 0,
      containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const r = await drive(h.clock, h.manager.deletePod(pod));
    expect(r.gracePeriodSeconds).toBe(1);
    expect(h.runtime.of('stop')).toMatchObject([{ at: 1_000, timeoutSeconds: 2 }]);
  });

  it('in-flight shorter delete + rejected stop: the container is killed again with the shorter grace after the pass (spec §4.2-F.3, lifecycle.md)', async () => {
    const h = harness();
    let stops = 0;
    h.runtime.onExec('/drain', execAfter(3_000, { exitCode: 0 }));
    h.runtime.onStop('web', () => (++stops === 1 ? Promise.reject(new Error('rpc error')) : Promise.resolve()));
    const pod = makePod({
      tgps: 30,
      containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const first = h.manager.deletePod(pod, { gracePeriodSeconds: 20 });
    await h.clock.advance(1_000);
    const second = h.manager.deletePod(pod, { gracePeriodSeconds: 5 });
    const [, r2] = await drive(h.clock, Promise.all([first, second]));
    expect(h.runtime.of('stop').length).toBe(2);
    expect(h.runtime.of('stop')[0]).toMatchObject({ at: 3_000, timeoutSeconds: 17 });
    expect(h.runtime.of('stop')[1]?.timeoutSeconds).toBeLessThanOrEqual(5);
    expect(r2.containers[0]?.outcome).toBe('stopped');
    expect(h.manager.status(pod, 'web').state).toBe('Terminated');
  });

  it('an httpGet preStop that never answers: the request signal is aborted once the kill finished; no timer left', async () => {
    const h = harness();
    let signal: AbortSignal | undefined;
    h.http.handler = (_r, o) => {
      signal = o.signal;
      return new Promise(() => {});
    };
    const pod = makePod({
      tgps: 5,
      podIP: '10.0.0.7',
      containers: [{ name: 'web', lifecycle: { preStop: { httpGet: { port: 80 } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    const r = await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    await settle();
    expect(r.preStop.outcome).toBe('timedOut');
    expect(signal?.aborted).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('a Host header sets the virtual host, not the URL host (spec §5.2 Headers)', () => {
    const pod = makePod({ podIP: '10.0.0.7', containers: [{ name: 'web' }] });
    const r = buildHttpGetRequest(
      { port: 80, path: '/', httpHeaders: [{ name: 'host', value: 'shop.example' }] },
      { name: 'web' },
      pod,
      '1.35',
    );
    expect(r.ok && r.request.url).toBe('http://10.0.0.7:80/');
    expect(r.ok && r.request.headers.filter(([k]) => k === 'Host').map(([, v]) => v)).toEqual(['shop.example']);
  });

  it('a failed postStart restart increments restartCount and StartResult.message carries the detail (spec §3.5.3, §3.6)', async () => {
    const h = harness();
    h.runtime.onExec('/x', () => Promise.resolve({ exitCode: 2 }));
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { postStart: { exec: { command: ['/x'] } } } }] });
    const r1 = await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(r1.message).toBe(
      'Exec lifecycle hook ([/x]) for Container "web" in Pod "p_ns(uid-1)" failed - error: command \'/x\' exited with 2: , message: ""',
    );
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(h.manager.status(pod, 'web').restartCount).toBe(1);
  });

  it('validation: duplicate container names across lists; metadata.name required (or generateName) and typed (docs/validation.md)', () => {
    const dup = validatePod({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'web' }], initContainers: [{ name: 'web' }] },
    });
    expect(dup.map((e) => e.type)).toContain('FieldValueDuplicate');
    expect(dup.find((e) => e.type === 'FieldValueDuplicate')?.message).toMatch(/: Duplicate value: "web"$/);
    // Issue 18: decided as the API server does for a pod (ValidateObjectMeta + ValidatePodName).
    expect(validatePod({ metadata: {}, spec: { containers: [{ name: 'web' }] } })).toMatchObject([
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ]);
    expect(validatePod({ metadata: { name: 7 }, spec: { containers: [{ name: 'web' }] } })).toMatchObject([
      { type: 'FieldValueTypeInvalid', field: 'metadata.name' },
    ]);
    expect(validatePod({ metadata: { generateName: 'p-' }, spec: { containers: [{ name: 'web' }] } })).toEqual([]);
  });

  it('programmer errors are typed: notifyExited unknown container, bad kill reason, bad delete grace (DESIGN §6)', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'web' }] });
    expect(() => h.manager.notifyExited(pod, 'nope', { exitCode: 0 })).toThrow(UnknownContainerError);
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await expect(h.manager.stopContainer(pod, 'web', { reason: 'OOM' as never })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(h.manager.deletePod(pod, { gracePeriodSeconds: 'soon' as never })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(h.runtime.of('stop')).toEqual([]);
  });

  it('an override larger than the TGPS replaces it (spec §4.2-C.4: g = override)', async () => {
    const h = harness();
    const pod = makePod({ tgps: 30, containers: [{ name: 'web' }] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    expect(
      (await drive(h.clock, h.manager.stopContainer(pod, 'web', { gracePeriodOverride: 60 }))).stopTimeoutSeconds,
    ).toBe(60);
  });

  it('a sidecar does not wait for a main container that already exited, nor for a next sidecar not running (spec §4.2-B, C.6)', async () => {
    const h = harness();
    const pod = makePod({
      tgps: 30,
      initContainers: [
        { name: 's1', restartPolicy: 'Always' },
        { name: 's2', restartPolicy: 'Always' },
      ],
      containers: [{ name: 'main' }],
    });
    for (const n of ['s1', 's2', 'main']) await drive(h.clock, h.manager.startContainer(pod, n));
    h.manager.notifyExited(pod, 'main', { exitCode: 0 });
    await drive(h.clock, h.manager.stopContainer(pod, 's2'));
    await h.clock.advance(1_000);
    const r = await drive(h.clock, h.manager.deletePod(pod));
    expect(h.runtime.of('stop').map((c) => [c.container, c.at])).toEqual([
      ['s2', 0],
      ['s1', 1_000],
    ]);
    expect(r.containers.find((c) => c.container === 's1')).toMatchObject({ orderingWaitMs: 0, stopTimeoutSeconds: 30 });
  });

  it('validation: empty spec.containers → "spec.containers: Required value" (d.ts example)', () => {
    expect(validatePod({ metadata: { name: 'p' }, spec: { containers: [] } })[0]?.message).toBe(
      'spec.containers: Required value',
    );
  });
});

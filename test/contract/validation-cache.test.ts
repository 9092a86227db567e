/**
 * Black-box contract: Validation per pod object (docs/semantics.md "Validation per pod object", docs/performance.md "The
 * validation cache and its trade-off").
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import { type Container, LifecycleSpecError } from '../../src/index.js';
import { execHook, makePod, run, setup } from '../support/scripted-adapters.js';

// =============================================================================================
// 4. The validation cache
// =============================================================================================

describe('4. validation per pod object (semantics.md "Validation per pod object", performance.md "The validation cache and its trade-off")', () => {
  const fieldsOf = async (p: Promise<unknown>): Promise<string[]> => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LifecycleSpecError);
    return (error as LifecycleSpecError).errors.map((e) => e.field);
  };

  it('a pod-level in-place edit (grace below a sleep preStop) is rejected on the next call about any container (spec §2.5)', async () => {
    const { clock, runtime, manager, reasons } = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 20 } } } }, { name: 'side' }]);
    await run(clock, manager.startContainer(pod, 'web'));
    pod.spec!.terminationGracePeriodSeconds = 10;
    const error = await manager.stopContainer(pod, 'side').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LifecycleSpecError);
    expect((error as LifecycleSpecError).errors.map((e) => e.message)).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 20: must be non-negative and less than terminationGracePeriodSeconds (10)',
    ]);
    expect(() => manager.status(pod, 'web')).toThrow(LifecycleSpecError);
    expect(reasons()).toEqual(['Started']);
    expect(runtime.of('stop')).toEqual([]);
  });

  const edits: Array<{ label: string; edit: (c: Container) => void; field: string; message?: string }> = [
    {
      label: 'the httpGet layer: port 0',
      field: 'spec.containers[0].lifecycle.preStop.httpGet.port',
      edit: (c) => {
        (c.lifecycle!.preStop!.httpGet as { port: number }).port = 0;
      },
      message:
        'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    },
    {
      label: 'the httpGet layer: scheme FTP',
      field: 'spec.containers[0].lifecycle.preStop.httpGet.scheme',
      edit: (c) => {
        (c.lifecycle!.preStop!.httpGet as { scheme?: string }).scheme = 'FTP';
      },
    },
    {
      label: 'the handler layer: a second handler type',
      field: 'spec.containers[0].lifecycle.preStop.sleep',
      edit: (c) => {
        (c.lifecycle!.preStop as { sleep?: unknown }).sleep = { seconds: 1 };
      },
    },
    {
      label: 'the lifecycle layer: preStop replaced by an empty handler',
      field: 'spec.containers[0].lifecycle.preStop',
      edit: (c) => {
        c.lifecycle!.preStop = {};
      },
    },
    {
      label: 'the container layer: lifecycle replaced by an exec without a command',
      field: 'spec.containers[0].lifecycle.preStop.exec.command',
      edit: (c) => {
        c.lifecycle = { preStop: { exec: { command: [] } } };
      },
    },
  ];
  for (const { label, edit, field, message } of edits) {
    it(`an in-place edit of ${label} is rejected on the next call about that container, before anything runs (spec §2)`, async () => {
      const { clock, runtime, http, manager, reasons } = setup();
      const pod = makePod([{ name: 'web', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }], {
        podIP: '10.0.0.9',
      });
      await run(clock, manager.startContainer(pod, 'web'));
      edit(pod.spec!.containers[0]!);
      const error = await manager.stopContainer(pod, 'web').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LifecycleSpecError);
      const errors = (error as LifecycleSpecError).errors;
      expect(errors.map((e) => e.field)).toContain(field);
      if (message !== undefined) expect(errors.map((e) => e.message)).toContain(message);
      expect(reasons()).toEqual(['Started']);
      expect(runtime.of('stop')).toEqual([]);
      expect(http.requests).toEqual([]);
    });
  }

  it('an in-place edit of another container is seen by the first call about it, not by calls about a neighbour', async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod(
      [
        { name: 'a', lifecycle: { preStop: execHook('/bin/a') } },
        { name: 'b', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
      ],
      { podIP: '10.0.0.9' },
    );
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    (pod.spec!.containers[1]!.lifecycle!.preStop!.httpGet as { port: number }).port = 70_000;
    // a call about "a" checks the pod's layers and a's only (performance.md)
    expect(manager.status(pod, 'a').state).toBe('Running');
    expect(await run(clock, manager.stopContainer(pod, 'a'))).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'succeeded' },
    });
    // the first call about "b" sees it
    expect(() => manager.status(pod, 'b')).toThrow(LifecycleSpecError);
    expect(await fieldsOf(manager.stopContainer(pod, 'b'))).toContain(
      'spec.containers[1].lifecycle.preStop.httpGet.port',
    );
    expect(runtime.of('stop', 'b')).toEqual([]);
  });

  it('deletePod sees an in-place edit of any container: rejects and kills nothing', async () => {
    const { clock, runtime, http, manager, reasons } = setup();
    const pod = makePod(
      [
        { name: 'a', lifecycle: { preStop: execHook('/bin/a') } },
        { name: 'b', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
      ],
      { podIP: '10.0.0.9' },
    );
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    expect(manager.status(pod, 'a').state).toBe('Running'); // the cache is warm
    pod.spec!.containers[1]!.lifecycle!.preStop = { exec: { command: [] } };
    expect(await fieldsOf(manager.deletePod(pod, { gracePeriodSeconds: 10 }))).toContain(
      'spec.containers[1].lifecycle.preStop.exec.command',
    );
    await clock.runAll();
    expect(reasons()).toEqual(['Started', 'Started']);
    expect(runtime.of('exec')).toEqual([]);
    expect(runtime.of('stop')).toEqual([]);
    expect(http.requests).toEqual([]);
  });

  it("a valid in-place replacement of another container's handler is used once deletePod sees the whole pod", async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod([
      { name: 'a', lifecycle: { preStop: execHook('/bin/a') } },
      { name: 'b', lifecycle: { preStop: execHook('/bin/old') } },
    ]);
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    pod.spec!.containers[1]!.lifecycle!.preStop = execHook('/bin/new');
    await run(clock, manager.stopContainer(pod, 'a'));
    await run(clock, manager.deletePod(pod));
    expect(runtime.of('exec', 'b').map((c) => c.argv?.[0])).toEqual(['/bin/new']);
  });

  it('a fresh copy of the same pod object addresses the same pod (semantics.md "Pod identity")', async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    const started = await run(clock, manager.startContainer(pod, 'web'));
    const copy = structuredClone(pod);
    expect(manager.status(copy, 'web')).toMatchObject({ state: 'Running', containerID: started.containerID });
    expect(await run(clock, manager.stopContainer(copy, 'web'))).toMatchObject({ outcome: 'stopped' });
    expect(runtime.of('stop')).toMatchObject([{ id: started.containerID }]);
    expect(manager.status(pod, 'web').state).toBe('Terminated');
    // a copy is a new object: it is validated on its own
    const broken = structuredClone(pod);
    broken.spec!.containers[0]!.lifecycle!.preStop = { exec: { command: [] } };
    expect(() => manager.status(broken, 'web')).toThrow(LifecycleSpecError);
    // another uid is another pod
    expect(manager.status({ ...structuredClone(pod), metadata: { ...pod.metadata, uid: 'other' } }, 'web').state).toBe(
      'Waiting',
    );
  });

  it('a metadata edit in place is seen: a changed uid makes it another pod', async () => {
    const { clock, manager } = setup();
    const pod = makePod([{ name: 'web' }]);
    await run(clock, manager.startContainer(pod, 'web'));
    expect(manager.status(pod, 'web').state).toBe('Running');
    pod.metadata!.uid = 'uid-2';
    expect(manager.status(pod, 'web').state).toBe('Waiting');
  });
});

// =============================================================================================

import { describe, expect, it } from 'vitest';
import { LifecycleSpecError } from '../../src/api/lifecycle-spec-error.js';
import type { Container, Pod } from '../../src/api/types.js';
import { setup } from '../support/manager-harness.js';

/**
 * The manager remembers the validated, defaulted pod per pod object (src/manager/validated-pods.ts,
 * a performance change). These pin that an edited pod is still validated and used afresh.
 */
describe('validated-pod cache keeps validation behaviour (DESIGN §6: invalid pods are rejected)', () => {
  /** The manager's calls, each run to completion on the virtual clock. */
  const fresh = () => {
    const { manager, settle } = setup();
    return {
      startContainer: (p: Pod, name: string) => settle(manager.startContainer(p, name)),
      stopContainer: (p: Pod, name: string) => settle(manager.stopContainer(p, name)),
      status: (p: Pod, name: string) => manager.status(p, name),
    };
  };
  const pod = (): Pod => ({
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'a', lifecycle: { preStop: { httpGet: { port: 8080 } } } }, { name: 'b' }] },
  });

  it('an in-place edit that makes the pod invalid is rejected on the next call', async () => {
    const manager = fresh();
    const p = pod();
    await manager.startContainer(p, 'a');
    p.spec!.containers[1]!.name = 'Not_A_DNS_Label';
    await expect(manager.startContainer(p, 'Not_A_DNS_Label')).rejects.toBeInstanceOf(LifecycleSpecError);
    p.spec!.containers[1]!.name = 'b';
    await expect(manager.startContainer(p, 'b')).resolves.toMatchObject({ outcome: 'running' });
  });

  it('an added container, a changed grace and a replaced handler are seen on the next call', async () => {
    const manager = fresh();
    const p = pod();
    await manager.startContainer(p, 'a');
    (p.spec!.containers as Container[]).push({ name: 'c' });
    await expect(manager.startContainer(p, 'c')).resolves.toMatchObject({ outcome: 'running' });
    p.spec!.terminationGracePeriodSeconds = 7;
    p.spec!.containers[0]!.lifecycle = { preStop: { httpGet: { port: 0 } } };
    await expect(manager.stopContainer(p, 'a')).rejects.toBeInstanceOf(LifecycleSpecError);
    p.spec!.containers[0]!.lifecycle = {};
    await expect(manager.stopContainer(p, 'a')).resolves.toMatchObject({ gracePeriodSeconds: 7, outcome: 'stopped' });
  });

  it('defaulted fields (grace 30, httpGet path and scheme) do not defeat the cache, and setting them is seen', async () => {
    const manager = fresh();
    const p = pod();
    await manager.startContainer(p, 'a');
    await expect(manager.stopContainer(p, 'a')).resolves.toMatchObject({ gracePeriodSeconds: 30 });
    await manager.startContainer(p, 'a');
    p.spec!.containers[0]!.lifecycle!.preStop!.httpGet!.scheme = 'FTP' as never;
    await expect(manager.stopContainer(p, 'a')).rejects.toBeInstanceOf(LifecycleSpecError);
  });

  it('a metadata edit (uid) is seen: the pod becomes another pod', async () => {
    const manager = fresh();
    const p = pod();
    await manager.startContainer(p, 'a');
    expect(manager.status(p, 'a').state).toBe('Running');
    p.metadata!.uid = 'u2';
    expect(manager.status(p, 'a').state).toBe('Waiting');
  });

  it('an in-place edit of another container is seen by the first call about it, or about the whole pod', async () => {
    const { manager, settle } = setup();
    const p = pod();
    await settle(manager.startContainer(p, 'a'));
    p.spec!.containers[1]!.lifecycle = { preStop: { httpGet: { port: 0 } } }; // invalid (spec §2 rule 4)
    // A call about "a" checks the pod's own layers and "a" only (the trade-off in validated-pods.ts).
    expect(manager.status(p, 'a').state).toBe('Running');
    expect(() => manager.status(p, 'b')).toThrow(LifecycleSpecError);
    await expect(manager.deletePod(p)).rejects.toBeInstanceOf(LifecycleSpecError);
    p.spec!.containers[1]!.lifecycle = {};
    const deleted = await settle(manager.deletePod(p));
    expect(deleted.containers.find((c) => c.container === 'a')).toMatchObject({ outcome: 'stopped' });
  });

  it('a pod-level edit (grace) is seen by a call about any one container', async () => {
    const { manager, settle } = setup();
    const p = pod();
    await settle(manager.startContainer(p, 'b'));
    p.spec!.terminationGracePeriodSeconds = 9;
    await expect(settle(manager.stopContainer(p, 'b'))).resolves.toMatchObject({ gracePeriodSeconds: 9 });
  });

  it('a call about one container checks that container whatever the order of the calls (in order, back, init)', () => {
    // The focus is found without an index for calls in container order (issue 19 target 2); any
    // other order, and init containers, use the index. Either way the call checks its container.
    const { manager } = setup();
    const names = ['a', 'b', 'c', 'd'];
    const p: Pod = {
      metadata: { name: 'p', namespace: 'default', uid: 'u1' },
      spec: { initContainers: [{ name: 'i' }], containers: names.map((name) => ({ name })) },
    };
    const calls = ['a', 'b', 'c', 'd', 'a', 'c', 'b', 'i', 'd', 'b', 'c', 'i'];
    for (const [n, name] of calls.entries()) {
      expect(manager.status(p, name).state).toBe('Waiting');
      // Edit the container of the next call in place (a new lifecycle object): that call sees it.
      const next = calls[n + 1];
      if (next === undefined) break;
      const container = (next === 'i' ? p.spec!.initContainers![0] : p.spec!.containers[names.indexOf(next)])!;
      container.lifecycle = { preStop: { httpGet: { port: 0 } } }; // invalid (spec §2 rule 4)
      expect(() => manager.status(p, next)).toThrow(LifecycleSpecError);
      delete container.lifecycle;
    }
  });
});

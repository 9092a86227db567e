/**
 * Issue 14 item 9: a caller mutating a running pod's container list and then calling deletePod
 * must not make the manager throw a raw TypeError, reject unhandled, or leave a container running.
 * The manager keeps its own defaulted copy of what it started.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleSpecError } from '../../src/api/lifecycle-spec-error.js';
import type { Container } from '../../src/api/types.js';
import { podHarness, podOf } from './pod-harness.js';

function mutations(): Array<[string, (containers: Container[]) => void]> {
  return [
    ['removes the running container', (cs) => void cs.splice(0, 1)],
    ['empties the list', (cs) => void cs.splice(0, cs.length)],
    ['renames it', (cs) => void cs.splice(0, 1, { name: 'renamed', image: 'x' })],
  ];
}

describe('a caller mutates a running pod, then deletes it (issue 14 item 9)', () => {
  it('container level: an emptied list makes the pod invalid: deletePod rejects with LifecycleSpecError (DESIGN §6), and the original pod still deletes', async () => {
    const { clock, runtime, manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    await manager.startContainer(pod, 'app');
    const containers = pod.spec?.containers as Container[];
    const saved = containers.splice(0, containers.length);
    await expect(manager.deletePod(pod)).rejects.toBeInstanceOf(LifecycleSpecError);
    containers.push(...saved);
    const deleting = manager.deletePod(pod);
    await clock.advance(60_000);
    expect((await deleting).containers.map((c) => c.outcome)).toEqual(['stopped']);
    expect(runtime.containers().every((c) => c.state === 'exited')).toBe(true);
  });

  for (const [what, mutate] of mutations()) {
    it(`container level: ${what}`, async () => {
      if (what === 'empties the list') return; // invalid pod: the test above
      const { clock, runtime, manager } = podHarness();
      const pod = podOf([
        { name: 'app', image: 'nginx' },
        { name: 'side', image: 'nginx' },
      ]);
      await manager.startContainer(pod, 'app');
      await manager.startContainer(pod, 'side');
      mutate(pod.spec?.containers as Container[]);
      const deleting = manager.deletePod(pod);
      await clock.advance(60_000);
      const result = await deleting;
      // a renamed container is a new declared one, never started: `notRunning`
      expect(result.containers.filter((c) => c.outcome === 'stopped').map((c) => c.container)).toEqual(['app', 'side']);
      expect(runtime.containers().every((c) => c.state === 'exited')).toBe(true);
    });

    it(`pod worker: ${what}`, async () => {
      const { clock, runtime, manager } = podHarness();
      const pod = podOf([
        { name: 'app', image: 'nginx' },
        { name: 'side', image: 'nginx' },
      ]);
      await manager.startPod(pod);
      mutate(pod.spec?.containers as Container[]);
      const deleting = manager.deletePod(pod);
      await clock.advance(60_000);
      const result = await deleting;
      expect(result.containers.map((c) => c.outcome)).toEqual(['stopped', 'stopped']);
      expect(runtime.containers().every((c) => c.state === 'exited')).toBe(true);
      expect(manager.podStatus(pod).containerStatuses.map((c) => c.name)).toEqual(['app', 'side']);
    });
  }

  it('container level: a later call adopts the edited pod; the removed container is still killed with its own spec', async () => {
    const { clock, runtime, manager } = podHarness();
    const pod = podOf([
      { name: 'app', image: 'nginx', lifecycle: { preStop: { sleep: { seconds: 3 } } } },
      { name: 'side', image: 'nginx' },
    ]);
    await manager.startContainer(pod, 'app');
    const containers = pod.spec?.containers as Container[];
    containers.splice(0, 1);
    await manager.startContainer(pod, 'side'); // validates the edited pod
    const deleting = manager.deletePod(pod);
    await clock.advance(60_000);
    const result = await deleting;
    const app = result.containers.find((c) => c.container === 'app');
    expect(app).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'succeeded', elapsedMs: 3000 } });
    expect(runtime.containers().every((c) => c.state === 'exited')).toBe(true);
  });
});

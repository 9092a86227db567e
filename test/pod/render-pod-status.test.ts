import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { PodLifecycleStatus } from '../../src/api/pod-status.js';
import { applyExit, applyStart, type ContainerRecord, newContainerRecord } from '../../src/pod/container-record.js';
import { renderPodStatus } from '../../src/pod/render-pod-status.js';

const spec = (name: string) => ({ name, image: `img-${name}`, readinessProbe: { exec: { command: ['true'] } } });

function render(records: ContainerRecord[], previous: PodLifecycleStatus | undefined, now: number) {
  return renderPodStatus({
    initContainers: [],
    containers: records,
    podRestartPolicy: 'Always',
    deleted: false,
    initialized: records.some((r) => r.instances > 0),
    sandboxReady: true,
    podIP: '10.0.0.1',
    startAt: 0,
    previous,
    now,
  });
}

/** The same records without their rendering memo: what a render from scratch gives. */
function fresh(records: ContainerRecord[]): ContainerRecord[] {
  return records.map((r) => ({ ...r, rendered: undefined }));
}

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

type Step = { kind: 'start' | 'exit' | 'ready' | 'backOff'; container: number; atMs: number };

function apply(r: ContainerRecord, step: Step): void {
  if (step.kind === 'start')
    applyStart(r, { outcome: 'running', containerID: `id-${r.instances}` }, r.instances, step.atMs, step.atMs);
  else if (step.kind === 'exit' && r.state === 'running') applyExit(r, { exitCode: 1 }, step.atMs, false);
  else if (step.kind === 'ready' && r.readiness !== undefined) r.readiness = !r.readiness;
  else if (step.kind === 'backOff' && r.state === 'exited') {
    r.state = 'backingOff';
    r.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${step.atMs}ms` };
  }
}

describe('renderPodStatus reuses what did not change (docs/performance-history.md round 5)', () => {
  it('an unchanged pod renders as the previous snapshot; one changed container is the only new status', () => {
    const records = ['a', 'b', 'c'].map((n) => newContainerRecord(spec(n), 'regular'));
    for (const r of records) applyStart(r, { outcome: 'running', containerID: `id-${r.name}` }, 0, 1_000, 1_000);
    const first = render(records, undefined, 1_000);
    expect(render(records, first, 2_000)).toBe(first);
    applyExit(records[1] as ContainerRecord, { exitCode: 2 }, 3_000, false);
    const second = render(records, first, 3_000);
    expect(second).not.toBe(first);
    expect(second.containerStatuses[0]).toBe(first.containerStatuses[0]);
    expect(second.containerStatuses[1]).not.toBe(first.containerStatuses[1]);
    expect(second.containerStatuses[2]).toBe(first.containerStatuses[2]);
    expect(isDeepFrozen(second)).toBe(true);
  });

  test.prop([
    fc.array(
      fc.record({
        kind: fc.constantFrom<Step['kind']>('start', 'exit', 'ready', 'backOff'),
        container: fc.nat(2),
        atMs: fc.nat(100_000),
      }),
      { maxLength: 30 },
    ),
  ])('every snapshot equals a render from scratch, and is deeply frozen', (steps) => {
    const records = ['a', 'b', 'c'].map((n) => newContainerRecord(spec(n), 'regular'));
    let previous: PodLifecycleStatus | undefined;
    let now = 0;
    for (const step of steps) {
      now += step.atMs;
      apply(records[step.container] as ContainerRecord, { ...step, atMs: now });
      const memoised = render(records, previous, now);
      const scratch = render(fresh(records), previous, now);
      expect(JSON.stringify(memoised)).toBe(JSON.stringify(scratch));
      expect(memoised).toEqual(scratch);
      expect(isDeepFrozen(memoised)).toBe(true);
      previous = memoised;
    }
  });
});

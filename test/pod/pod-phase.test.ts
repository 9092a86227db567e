import { describe, expect, it } from 'vitest';
import type { PodContainerStatus } from '../../src/api/pod-status.js';
import { getPodPhase, type PhaseContainer } from '../../src/pod/pod-phase.js';
import type { ContainerKind } from '../../src/pod/restart-decision.js';

const base = { lastState: {}, ready: false, started: false, restartCount: 0, image: 'img' };
const running = (name: string, started = true): PodContainerStatus => ({
  ...base,
  name,
  state: { running: {} },
  started,
});
const exited = (name: string, exitCode: number): PodContainerStatus => ({
  ...base,
  name,
  state: { terminated: { exitCode } },
});
const backingOff = (name: string, exitCode: number): PodContainerStatus => ({
  ...base,
  name,
  state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastState: { terminated: { exitCode } },
});
const waiting = (name: string): PodContainerStatus => ({
  ...base,
  name,
  state: { waiting: { reason: 'ContainerCreating' } },
});

const c = (kind: ContainerKind, status: PodContainerStatus | undefined, spec: object = {}): PhaseContainer => ({
  name: status?.name ?? 'x',
  kind,
  spec: kind === 'sidecar' ? { restartPolicy: 'Always' } : spec,
  status,
});
const phase = (
  containers: PhaseContainer[],
  policy = 'Always',
  extra: { terminal?: boolean; initialized?: boolean } = {},
) =>
  getPodPhase({
    containers,
    podRestartPolicy: policy,
    podIsTerminal: extra.terminal ?? false,
    podHasInitialized: extra.initialized ?? false,
  });

describe('getPodPhase (spec pod §5.1)', () => {
  it('rule 1: a failed init container that will not restart fails the pod (Never)', () => {
    expect(phase([c('init', exited('i', 1)), c('regular', waiting('a'))], 'Never')).toBe('Failed');
  });

  it('rule 1: restartPolicy Never on the init container fails it even in an Always pod (gate on, [DOC] init-once)', () => {
    expect(phase([c('init', exited('i', 1), { restartPolicy: 'Never' }), c('regular', waiting('a'))], 'Always')).toBe(
      'Failed',
    );
  });

  it('rule 2: a pending or restartable failed init container keeps the pod Pending', () => {
    expect(phase([c('init', running('i')), c('regular', waiting('a'))])).toBe('Pending');
    expect(phase([c('init', backingOff('i', 1)), c('regular', waiting('a'))], 'OnFailure')).toBe('Pending');
  });

  it('rule 2: an unstarted sidecar keeps an uninitialised pod Pending, not an initialised one', () => {
    const containers = [c('sidecar', running('s', false)), c('regular', running('a'))];
    expect(phase(containers, 'Always', { initialized: false })).toBe('Pending');
    expect(phase(containers, 'Always', { initialized: true })).toBe('Running');
  });

  it('rule 3: running with no unknown → Running, also with only sidecars running', () => {
    expect(phase([c('regular', running('a'))])).toBe('Running');
    expect(phase([c('sidecar', running('s')), c('regular', exited('a', 0))], 'Never', { initialized: true })).toBe(
      'Running',
    );
  });

  it('rule 4: all stopped → Succeeded iff all exited 0, unless something will restart', () => {
    expect(phase([c('regular', exited('a', 0)), c('regular', exited('b', 0))], 'Never')).toBe('Succeeded');
    expect(phase([c('regular', exited('a', 0)), c('regular', exited('b', 2))], 'Never')).toBe('Failed');
    expect(phase([c('regular', exited('a', 0)), c('regular', exited('b', 2))], 'OnFailure')).toBe('Running');
    expect(phase([c('regular', backingOff('a', 1))], 'Always')).toBe('Running');
    expect(phase([c('regular', exited('a', 0))], 'OnFailure')).toBe('Succeeded');
  });

  it('rule 4: sidecar exit codes do not count once regular containers completed (spec pod §3.4 rule 6)', () => {
    expect(phase([c('sidecar', exited('s', 137)), c('regular', exited('a', 0))], 'Never', { initialized: true })).toBe(
      'Succeeded',
    );
  });

  it('rule 4.1: a terminal (deleted) Always pod ends by exit codes', () => {
    expect(phase([c('regular', exited('a', 0))], 'Always', { terminal: true })).toBe('Succeeded');
    expect(phase([c('regular', exited('a', 137))], 'Always', { terminal: true })).toBe('Failed');
  });

  it('rule 5: unknown statuses → Pending', () => {
    expect(phase([c('regular', undefined)])).toBe('Pending');
    expect(phase([c('regular', running('a')), c('regular', undefined)])).toBe('Pending');
  });
});

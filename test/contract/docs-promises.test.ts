/**
 * Black-box round 2: promises of README.md and docs/*.md that round 1 did not pin — the README
 * quick start's exact output, docs/lifecycle.md's phase/status/step table, and docs/semantics.md's
 * modelling choices.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ContainerStatus,
  type KubeEvent,
  LifecycleManager,
  type LifecycleStep,
  type Pod,
} from '../../src/index.js';
import { FakeHttpClient, FakeRuntime, VirtualClock } from '../../src/testing/index.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function rig(opts: { tgps?: number; preStop?: boolean; postStart?: boolean; preStopSleepSeconds?: number } = {}) {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'u-1' },
    spec: {
      terminationGracePeriodSeconds: opts.tgps ?? 10,
      containers: [
        {
          name: 'web',
          image: 'nginx',
          lifecycle: {
            ...(opts.postStart ? { postStart: { exec: { command: ['/bin/register'] } } } : {}),
            ...(opts.preStopSleepSeconds !== undefined
              ? { preStop: { sleep: { seconds: opts.preStopSleepSeconds } } }
              : opts.preStop !== false
                ? { preStop: { exec: { command: ['/bin/drain'] } } }
                : {}),
          },
        },
      ],
    },
  };
  return { clock, runtime, manager, events, steps, pod };
}

describe('README.md "Quick start"', () => {
  it('the ```ts run block prints exactly its ```text output block', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const code = /## Quick start[\s\S]*?```ts run\n([\s\S]*?)```/.exec(readme)![1]!;
    const expected = /## Quick start[\s\S]*?```text output\n([\s\S]*?)```/.exec(readme)![1]!;
    const href = (p: string) => pathToFileURL(join(ROOT, p)).href;
    const src = code
      .replace(/from 'kube-lifecycle\/testing'/g, `from '${href('src/testing/index.ts')}'`)
      .replace(/from 'kube-lifecycle'/g, `from '${href('src/index.ts')}'`);
    const dir = mkdtempSync(join(tmpdir(), 'kl-readme-'));
    try {
      const file = join(dir, 'quickstart.mts');
      writeFileSync(file, src);
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [file], { cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.on('close', (c) => resolve({ code: c, stdout, stderr }));
      });
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/lifecycle.md "Phases": status and steps in every phase', () => {
  it('Creating/PostStart → Waiting ContainerCreating; Running only after postStart; Killing/PreStop/Stopping → Running; Terminated Completed', async () => {
    const h = rig({ postStart: true, tgps: 10 });
    h.runtime.onStart('web', { delayMs: 1000 });
    h.runtime.onExec(['/bin/register'], { exitCode: 0, delayMs: 2000 });
    h.runtime.onExec(['/bin/drain'], { exitCode: 0, delayMs: 3000 });
    h.runtime.onStop('web', { exitDelayMs: 500, exitCode: 0 });
    const seen: Array<[string, ContainerStatus]> = [];
    h.manager.on('step', (s) => seen.push([s.kind, h.manager.status(h.pod, 'web')]));
    const starting = h.manager.startContainer(h.pod, 'web');
    await h.clock.advance(500);
    expect(h.manager.status(h.pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'ContainerCreating' }); // Creating
    await h.clock.advance(1000);
    expect(h.manager.status(h.pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'ContainerCreating' }); // PostStart
    await h.clock.runAll();
    expect((await starting).outcome).toBe('running');
    expect(h.manager.status(h.pod, 'web').state).toBe('Running');

    const stopping = h.manager.stopContainer(h.pod, 'web');
    await h.clock.advance(1000);
    expect(h.manager.status(h.pod, 'web').state).toBe('Running'); // PreStop
    await h.clock.runAll();
    await stopping;
    expect(h.manager.status(h.pod, 'web')).toMatchObject({ state: 'Terminated', reason: 'Completed', exitCode: 0 });

    expect(h.steps.map((s) => s.kind)).toEqual([
      'starting',
      'started',
      'postStartStarted',
      'postStartFinished',
      'running',
      'killing',
      'preStopStarted',
      'preStopFinished',
      'stopRequested',
      'exited',
    ]);
    expect(h.steps.find((s) => s.kind === 'killing')?.seconds).toBe(10); // with the grace
    expect(h.steps.find((s) => s.kind === 'stopRequested')?.seconds).toBe(7); // with the timeout
    expect(h.steps.find((s) => s.kind === 'postStartFinished')?.outcome).toBe('succeeded');
    // status as seen at each step: Running only from `running` on, until `exited`
    const stateAt = Object.fromEntries(seen.map(([k, s]) => [k, s.state]));
    expect(stateAt.postStartFinished).toBe('Waiting');
    expect(stateAt.running).toBe('Running');
    expect(stateAt.killing).toBe('Running');
    expect(stateAt.stopRequested).toBe('Running');
    expect(stateAt.exited).toBe('Terminated');
    // timestamps of the steps are the clock's (start 1 s, postStart 2 s, preStop 3 s, exit 0.5 s)
    expect(h.steps.map((s) => s.time)).toEqual([0, 1000, 1000, 3000, 3000, 3000, 3000, 6000, 6000, 6500]);
  });

  it('StartFailed → Waiting RunContainerError, Warning Failed "Error: <reason>", step startFailed', async () => {
    const h = rig();
    h.runtime.onStart('web', { reject: 'image not found' });
    const r = h.manager.startContainer(h.pod, 'web');
    await h.clock.runAll();
    expect((await r).outcome).toBe('startFailed');
    expect(h.manager.status(h.pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'RunContainerError' });
    const failed = h.events.find((e) => e.reason === 'Failed');
    expect(failed).toMatchObject({ type: 'Warning', object: { kind: 'Container', name: 'web' } });
    expect(failed?.message).toMatch(/^Error: .*image not found/);
    expect(h.steps.map((s) => s.kind)).toEqual(['starting', 'startFailed']);
  });

  it('a main process exiting with a non-zero code: Terminated/Error (semantics.md "Exited container status")', async () => {
    const h = rig();
    await h.manager.startContainer(h.pod, 'web');
    h.runtime.crash('web', { exitCode: 3, afterMs: 1000 });
    await h.clock.runAll();
    expect(h.manager.status(h.pod, 'web')).toMatchObject({ state: 'Terminated', reason: 'Error', exitCode: 3 });
  });
});

describe('docs/semantics.md "Modelling choices"', () => {
  it('Pod identity: a fresh copy of the same pod object addresses the same pod (by uid)', async () => {
    const h = rig({ preStop: false });
    await h.manager.startContainer(h.pod, 'web');
    const copy = JSON.parse(JSON.stringify(h.pod)) as Pod;
    expect(h.manager.status(copy, 'web').state).toBe('Running');
    const stopping = h.manager.deletePod(copy);
    await h.clock.runAll();
    expect((await stopping).containers[0]?.outcome).toBe('stopped');
    expect(h.manager.status(h.pod, 'web').state).toBe('Terminated');
  });

  it('Pod identity without a uid: namespace/name, namespace "default" when unset', async () => {
    const h = rig({ preStop: false });
    const noUid: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    await h.manager.startContainer(noUid, 'c');
    const sameInDefault: Pod = {
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    const otherNs: Pod = {
      metadata: { name: 'p', namespace: 'other' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    expect(h.manager.status(sameInDefault, 'c').state).toBe('Running');
    expect(h.manager.status(otherNs, 'c').state).toBe('Waiting');
  });

  it('a hung exec preStop dies with its container: FailedPreStopHook with exit 137, no timer left', async () => {
    const h = rig({ tgps: 3 });
    h.runtime.onExec(['/bin/drain'], { hang: true }); // a preStop that never returns by itself
    await h.manager.startContainer(h.pod, 'web');
    const stopping = h.manager.stopContainer(h.pod, 'web');
    await h.clock.runAll();
    const r = await stopping;
    expect(r.preStop.outcome).toBe('timedOut');
    expect(r.outcome).toBe('stopped');
    await h.clock.runAll();
    // The container exited at 3 s (SIGTERM) and the exec inside it was killed with it (spec §4.2-C.5.6).
    expect(h.events.map((e) => e.reason)).toEqual(['Started', 'Killing', 'FailedPreStopHook']);
    expect(h.events[2]?.detail).toContain("command '/bin/drain' exited with 137: ");
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('a sleep preStop cut by the grace is abandoned silently once the container has exited', async () => {
    const h = rig({ tgps: 3, preStopSleepSeconds: 3 });
    await h.manager.startContainer(h.pod, 'web');
    const stopping = h.manager.stopContainer(h.pod, 'web', { gracePeriodOverride: 1 });
    await h.clock.runAll();
    expect((await stopping).preStop.outcome).toBe('timedOut');
    expect(h.events.map((e) => e.reason)).toEqual(['Started', 'Killing']);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('the simulated pod IP is 10.244.0.7 unless the manifest has status.podIP; run/ProcessRuntime uses 127.0.0.1', async () => {
    const { ProcessRuntime } = await import('../../src/node/index.js');
    expect(new ProcessRuntime().podIP).toBe('127.0.0.1');
  });
});

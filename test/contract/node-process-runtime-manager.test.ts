import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitsRecorded } from '../node/exit-recorder.js';
import { lines, pod, rig, shMain, tempDir, until } from './node-adapters-harness.js';

// ---------------------------------------------------------------- ProcessRuntime through the manager

describe('ProcessRuntime + LifecycleManager on the real clock (docs/adapters.md)', () => {
  it('postStart exec has written its file by the time the container is Running (spec §3.1–3.2)', async () => {
    const dir = tempDir();
    const p = pod([
      {
        name: 'main',
        ...shMain('trap "exit 0" TERM;', dir),
        lifecycle: {
          postStart: {
            exec: { command: ['sh', '-c', 'sleep 0.2; echo Hello from the postStart handler > "$DIR/message"'] },
          },
        },
      },
    ]);
    const r = rig(p);
    let fileAtRunning: boolean | undefined;
    r.manager.on('step', (s) => {
      if (s.kind === 'running') fileAtRunning = existsSync(join(dir, 'message'));
    });
    const start = await r.manager.startContainer(p, 'main');
    expect(start.outcome).toBe('running');
    expect(fileAtRunning).toBe(true);
    expect(readFileSync(join(dir, 'message'), 'utf8')).toBe('Hello from the postStart handler\n');
    expect(r.manager.status(p, 'main').state).toBe('Running');
    expect(r.events.map((e) => e.reason)).toEqual(['Started']);
    await r.manager.deletePod(p);
    expect(r.runtime.runningContainerIds()).toEqual([]);
  });

  it('preStop exec runs (and finishes) before the main process gets SIGTERM; the process exits on it (spec §4.2-C)', async () => {
    const dir = tempDir();
    const p = pod([
      {
        name: 'main',
        ...shMain('trap \'echo SIGTERM >> "$DIR/log"; exit 0\' TERM;', dir),
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 0.3; echo preStop >> "$DIR/log"'] } } },
      },
    ]);
    const r = rig(p);
    await r.manager.startContainer(p, 'main');
    await until(() => existsSync(join(dir, 'ready')));
    const res = await r.manager.deletePod(p);
    expect(lines(join(dir, 'log'))).toEqual(['preStop', 'SIGTERM']);
    const [c] = res.containers;
    expect(c?.outcome).toBe('stopped');
    expect(c?.preStop.outcome).toBe('succeeded');
    expect(c?.stopTimeoutSeconds).toBe(3); // 3 − floor(0.3)
    await exitsRecorded();
    expect(r.exits).toHaveLength(1);
    expect(r.exits[0]?.status).toEqual({ exitCode: 0, signal: null });
    expect(r.manager.status(p, 'main')).toMatchObject({ state: 'Terminated', exitCode: 0, reason: 'Completed' });
    expect(r.runtime.runningContainerIds()).toEqual([]);
  });

  it('a process ignoring SIGTERM is SIGKILLed after the stop timeout, not before (spec §4.2-C.7/8; exit 137, signal SIGKILL)', async () => {
    const dir = tempDir();
    const p = pod([{ name: 'main', ...shMain('trap \'echo SIGTERM >> "$DIR/log"\' TERM;', dir) }], { tgps: 2 });
    const r = rig(p);
    await r.manager.startContainer(p, 'main');
    await until(() => existsSync(join(dir, 'ready')));
    const t0 = Date.now();
    const res = await r.manager.deletePod(p);
    const took = Date.now() - t0;
    expect(lines(join(dir, 'log'))[0]).toBe('SIGTERM'); // got (and survived) the stop signal
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(3500);
    expect(res.containers[0]?.stopTimeoutSeconds).toBe(2);
    expect(res.containers[0]?.outcome).toBe('stopped');
    await exitsRecorded();
    expect(r.exits.map((e) => e.status)).toEqual([{ exitCode: 137, signal: 'SIGKILL' }]);
    expect(r.exits[0]!.at - t0).toBeGreaterThanOrEqual(1900);
    expect(r.manager.status(p, 'main')).toMatchObject({ state: 'Terminated', exitCode: 137, reason: 'Error' });
    expect(r.runtime.runningContainerIds()).toEqual([]);
  });

  it('lifecycle.stopSignal is the signal delivered instead of SIGTERM (spec §4.2-D)', async () => {
    const dir = tempDir();
    const p = pod(
      [
        {
          name: 'main',
          ...shMain(
            'trap \'echo SIGTERM >> "$DIR/log"; exit 0\' TERM; trap \'echo SIGUSR1 >> "$DIR/log"; exit 0\' USR1;',
            dir,
          ),
          lifecycle: { stopSignal: 'SIGUSR1' },
        },
      ],
      { os: 'linux' },
    );
    const r = rig(p);
    await r.manager.startContainer(p, 'main');
    await until(() => existsSync(join(dir, 'ready')));
    const t0 = Date.now();
    const res = await r.manager.deletePod(p);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(lines(join(dir, 'log'))).toEqual(['SIGUSR1']);
    expect(res.containers[0]?.outcome).toBe('stopped');
    await exitsRecorded();
    expect(r.exits[0]?.status).toEqual({ exitCode: 0, signal: null });
  });

  it('a main process exiting by itself reaches the manager through waitContainer: Terminated, then no preStop and no stop on delete (spec §1.1, §4.2-B)', async () => {
    const dir = tempDir();
    const p = pod([
      {
        name: 'main',
        command: ['sh', '-c', 'sleep 0.2; exit 3'],
        env: [{ name: 'DIR', value: dir }],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo ran > "$DIR/prestop"'] } } },
      },
    ]);
    const r = rig(p);
    await r.manager.startContainer(p, 'main');
    await until(() => r.exits.length === 1);
    expect(r.exits[0]?.status).toEqual({ exitCode: 3, signal: null });
    expect(r.manager.status(p, 'main')).toMatchObject({ state: 'Terminated', exitCode: 3, reason: 'Error' });
    const res = await r.manager.deletePod(p);
    expect(res.containers[0]?.outcome).toBe('notRunning');
    expect(existsSync(join(dir, 'prestop'))).toBe(false);
    expect(r.events.map((e) => e.reason)).toEqual(['Started']);
  });

  it('a failing postStart exec: FailedPostStartHook with the exec detail, the container is killed, Waiting/PostStartHookError (spec §3.5)', async () => {
    const dir = tempDir();
    const p = pod([
      {
        name: 'main',
        ...shMain('trap "exit 0" TERM;', dir),
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo boom >&2; exit 7'] } } },
      },
    ]);
    const r = rig(p);
    const start = await r.manager.startContainer(p, 'main');
    expect(start.outcome).toBe('postStartFailed');
    const failed = r.events.find((e) => e.reason === 'FailedPostStartHook');
    expect(failed?.message).toBe('PostStartHook failed');
    expect(failed?.detail).toBe(
      'Exec lifecycle hook ([sh -c echo boom >&2; exit 7]) for Container "main" in Pod "web_default(u1)" failed - error: ' +
        'command \'sh -c echo boom >&2; exit 7\' exited with 7: boom\n, message: "boom\\n"',
    );
    expect(r.manager.status(p, 'main')).toMatchObject({ state: 'Waiting', reason: 'PostStartHookError' });
    expect(r.runtime.runningContainerIds()).toEqual([]);
  });

  it('a container with neither command nor args: startFailed, Warning Failed "Error: …" (adapters.md ERR_NO_COMMAND)', async () => {
    const p = pod([{ name: 'main', image: 'nginx' }]);
    const r = rig(p);
    const start = await r.manager.startContainer(p, 'main');
    expect(start.outcome).toBe('startFailed');
    const failed = r.events.find((e) => e.reason === 'Failed');
    expect(failed?.type).toBe('Warning');
    expect(failed?.message).toMatch(/^Error: /);
    expect(r.manager.status(p, 'main')).toMatchObject({ state: 'Waiting', reason: 'RunContainerError' });
    // directly: the adapter rejects with the documented code
    await expect(
      r.runtime.startContainer(p, p.spec!.containers[0]!, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({ name: 'NodeAdapterError', code: 'ERR_NO_COMMAND' });
  });

  it('teardown: a preStop exec that waits for the main process is killed with it (137) and reported FailedPreStopHook (adapters.md "teardown")', async () => {
    const dir = tempDir();
    const p = pod(
      [
        {
          // `$$$$`: Kubernetes $(VAR) expansion turns `$$` into `$` (adapters.md "argv"), so this is the shell's `$$`
          name: 'main',
          command: ['sh', '-c', 'trap "exit 0" USR1; echo $$$$ > "$DIR/pid"; while :; do sleep 0.05; done'],
          env: [{ name: 'DIR', value: dir }],
          // sends the quit command, then waits for the main process forever (the anti-pattern)
          lifecycle: {
            preStop: {
              exec: { command: ['sh', '-c', 'kill -USR1 "$(cat "$DIR/pid")"; while :; do sleep 0.05; done'] },
            },
          },
        },
      ],
      { tgps: 3 },
    );
    const r = rig(p);
    await r.manager.startContainer(p, 'main');
    await until(() => existsSync(join(dir, 'pid')));
    const t0 = Date.now();
    const res = await r.manager.deletePod(p);
    expect(Date.now() - t0).toBeLessThan(2500); // did not wait for the grace
    const failed = r.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toContain('exited with 137');
    expect(res.containers[0]?.preStop.outcome).toBe('failed');
    expect(r.runtime.runningContainerIds()).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { truncationMarker } from '../../src/node/child.js';
import { NodeAdapterError } from '../../src/node/errors.js';
import { type ContainerExitStatus, ProcessRuntime } from '../../src/node/process-runtime.js';
import type { ContainerRef } from '../../src/ports/runtime.js';
import { exitsRecorded, recordExits } from './exit-recorder.js';

const signal = (): AbortSignal => new AbortController().signal;
const pod = (containers: Container[]): Pod => ({
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
  spec: { containers },
});
/** `sh` that exits 0 on SIGTERM and writes the pid of its group leader. */
const GRACEFUL = 'trap "echo term >> \\"$OUT\\"; exit 0" TERM; while :; do sleep 0.05; done';
const STUBBORN = 'trap "" TERM; while :; do sleep 0.05; done';

let runtime: ProcessRuntime;
let exits: Array<[ContainerRef, ContainerExitStatus]>;
let dir: string;

beforeEach(() => {
  exits = [];
  runtime = recordExits(new ProcessRuntime(), (ref, status) => exits.push([ref, status]));
  dir = mkdtempSync(join(tmpdir(), 'kl-proc-'));
});

afterEach(async () => {
  await runtime.dispose();
  expect(runtime.runningContainerIds()).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});

async function start(container: Container): Promise<ContainerRef> {
  const p = pod([container]);
  const { id } = await runtime.startContainer(p, container, { signal: signal() });
  return { id, name: container.name, podName: 'web', podNamespace: 'default', podUID: 'uid-1' };
}

/** True while `pid` runs (a zombie waiting for a reaper counts as gone). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Start a shell container that signals readiness (its traps are installed) by writing `$READY`. */
async function startShell(
  script: string,
  env: Array<{ name: string; value: string }> = [],
): Promise<{ ref: ContainerRef; pid: number }> {
  const ready = join(dir, `ready-${Math.random()}`);
  const ref = await start({
    name: 'main',
    command: ['sh', '-c', `${script.replace('while', `echo $$ > ${ready}; while`)}`],
    env,
  });
  await expect
    .poll(
      () => {
        try {
          return readFileSync(ready, 'utf8').trim();
        } catch {
          return '';
        }
      },
      { timeout: 5000 },
    )
    .not.toBe('');
  return { ref, pid: Number(readFileSync(ready, 'utf8')) };
}

describe('ProcessRuntime', () => {
  it('starts command + args with env over a minimal environment and workingDir', async () => {
    const ref = await start({
      name: 'main',
      command: ['sh', '-c'],
      args: ['echo "$GREETING $(GREETING) $HOSTNAME $PWD" > out; env > env; sleep 30'],
      env: [{ name: 'GREETING', value: 'hi' }],
      workingDir: dir,
    });
    expect(ref.id).toBe('k8s_main_web_default_uid-1_0');
    await expect
      .poll(
        () => {
          try {
            return readFileSync(join(dir, 'env'), 'utf8');
          } catch {
            return '';
          }
        },
        { timeout: 5000 },
      )
      .toMatch(/HOSTNAME/);
    expect(readFileSync(join(dir, 'out'), 'utf8').trim()).toBe(`hi hi web ${dir}`);
    const env = readFileSync(join(dir, 'env'), 'utf8');
    expect(env).toMatch(/^PATH=/m);
    expect(env).not.toMatch(/^VITEST/m);
    expect(runtime.podIP).toBe('127.0.0.1');
  });

  it('exec runs argv without a shell, with the container env, capturing stdout and stderr', async () => {
    const ref = await start({
      name: 'main',
      command: ['sleep', '30'],
      env: [{ name: 'X', value: 'from-env' }],
      workingDir: dir,
    });
    const result = await runtime.exec(ref, ['sh', '-c', 'echo "$X $PWD"; echo oops >&2; exit 3'], { signal: signal() });
    expect(result).toEqual({ exitCode: 3, stdout: `from-env ${dir}\n`, stderr: 'oops\n' });
    const literal = await runtime.exec(ref, ['echo', '$X', '*'], { signal: signal() });
    expect(literal.stdout).toBe('$X *\n');
  });

  it('caps exec output per stream and marks the truncation', async () => {
    runtime = new ProcessRuntime({ outputCapBytes: 100 });
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    const result = await runtime.exec(ref, ['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" a; echo short >&2'], {
      signal: signal(),
    });
    expect(result.stdout).toBe('a'.repeat(100) + truncationMarker(100));
    expect(result.stderr).toBe('short\n');
  });

  it('exec of a missing executable rejects with ERR_EXEC_FAILED', async () => {
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    await expect(runtime.exec(ref, ['no-such-binary-xyz'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_EXEC_FAILED',
      message: 'exec: "no-such-binary-xyz": executable file not found in $PATH',
    });
  });

  it("aborting exec kills the exec'd process group", async () => {
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    const controller = new AbortController();
    const pidFile = join(dir, 'exec.pid');
    const pending = runtime.exec(ref, ['sh', '-c', `echo $$ > ${pidFile}; sleep 30`], { signal: controller.signal });
    await expect.poll(() => readFileSync(pidFile, 'utf8').trim() !== '', { timeout: 5000 }).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort(new Error('hook deadline'));
    await expect(pending).rejects.toThrow('hook deadline');
    expect(isAlive(pid)).toBe(false);
  });

  it('stopContainer delivers the stop signal to the group and resolves when the process exited', async () => {
    const out = join(dir, 'log');
    const { ref } = await startShell(GRACEFUL, [{ name: 'OUT', value: out }]);
    const started = performance.now();
    await runtime.stopContainer(ref, { timeoutSeconds: 5, signal: signal() });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(readFileSync(out, 'utf8')).toBe('term\n');
    await exitsRecorded();
    expect(exits).toEqual([[ref, { exitCode: 0, signal: null }]]);
  });

  it('honours a custom stop signal', async () => {
    const out = join(dir, 'log');
    const { ref } = await startShell(`trap "echo quit > ${out}; exit 0" QUIT; while :; do sleep 0.05; done`);
    await runtime.stopContainer(ref, { stopSignal: 'SIGQUIT', timeoutSeconds: 5, signal: signal() });
    expect(readFileSync(out, 'utf8')).toBe('quit\n');
  });

  it('SIGKILLs a process ignoring SIGTERM once the timeout passes', async () => {
    const { ref } = await startShell(STUBBORN);
    const started = performance.now();
    await runtime.stopContainer(ref, { timeoutSeconds: 1, signal: signal() });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    await exitsRecorded();
    expect(exits[0]?.[1]).toEqual({ exitCode: 137, signal: 'SIGKILL' });
  });

  it('a stop of an exited or unknown container resolves at once', async () => {
    // Its exit left unreported (no waitContainer yet): an exec then says "not running".
    const own = new ProcessRuntime();
    const c: Container = { name: 'main', command: ['true'] };
    const { id } = await own.startContainer(pod([c]), c, { signal: signal() });
    const ref = { id, name: 'main', podName: 'web', podNamespace: 'default', podUID: 'uid-1' };
    await expect.poll(() => own.runningContainerIds().length).toBe(0);
    await own.stopContainer(ref, { timeoutSeconds: 30, signal: signal() });
    await own.stopContainer({ ...ref, id: 'nope' }, { timeoutSeconds: 30, signal: signal() });
    await expect(own.exec(ref, ['true'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_RUNNING',
    });
    expect(await own.waitContainer(ref, { signal: signal() })).toEqual({ exitCode: 0 });
    await own.dispose();
  });

  it('a stop of an exited container whose exit was reported resolves at once', async () => {
    const ref = await start({ name: 'main', command: ['true'] });
    await expect.poll(() => exits.length).toBe(1);
    expect(exits[0]?.[1]).toEqual({ exitCode: 0, signal: null });
    await runtime.stopContainer(ref, { timeoutSeconds: 30, signal: signal() });
    await runtime.stopContainer({ ...ref, id: 'nope' }, { timeoutSeconds: 30, signal: signal() });
    await expect(runtime.exec(ref, ['true'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_FOUND', // reported, hence forgotten (ExitBook)
    });
  });

  it('rejects an unknown signal name clearly', async () => {
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    const error = await runtime
      .stopContainer(ref, { stopSignal: 'SIGBOGUS', timeoutSeconds: 1, signal: signal() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeAdapterError);
    expect((error as NodeAdapterError).code).toBe('ERR_UNKNOWN_SIGNAL');
    expect((error as Error).message).toContain('"SIGBOGUS"');
  });

  it('start failures are clear: missing executable, missing workingDir, no command', async () => {
    await expect(start({ name: 'a', command: ['no-such-binary-xyz'] })).rejects.toMatchObject({
      code: 'ERR_START_FAILED',
    });
    await expect(start({ name: 'b', command: ['true'], workingDir: join(dir, 'missing') })).rejects.toMatchObject({
      code: 'ERR_START_FAILED',
    });
    await expect(start({ name: 'c' })).rejects.toMatchObject({ code: 'ERR_NO_COMMAND' });
  });

  it('a main process exiting by itself is reported, and its leftover children are killed', async () => {
    const pidFile = join(dir, 'child.pid');
    const ref = await start({ name: 'main', command: ['sh', '-c', `sleep 30 & echo $! > ${pidFile}; exit 4`] });
    await expect.poll(() => exits.length, { timeout: 5000 }).toBe(1);
    expect(exits[0]).toEqual([ref, { exitCode: 4, signal: null }]);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isAlive(child)).toBe(false);
  });

  it('dispose kills everything still running', async () => {
    const { ref, pid } = await startShell(STUBBORN);
    await runtime.dispose();
    await exitsRecorded();
    expect(exits.map(([r]) => r.id)).toEqual([ref.id]);
    await expect(start({ name: 'again', command: ['true'] })).rejects.toMatchObject({ code: 'ERR_DISPOSED' });
    expect(isAlive(pid)).toBe(false);
  });
});

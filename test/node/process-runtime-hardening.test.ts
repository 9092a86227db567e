/**
 * ProcessRuntime hardening (issue 18, "Adapters"): waitContainer, exec hooks' background
 * processes, memory of exited containers, dispose.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { AttemptCounter } from '../../src/node/container-process.js';
import { ExitBook } from '../../src/node/exit-book.js';
import { ProcessRuntime } from '../../src/node/process-runtime.js';
import type { ContainerRef } from '../../src/ports/runtime.js';

const signal = (): AbortSignal => new AbortController().signal;
let podNumber = 0;
const pod = (): Pod => {
  podNumber++;
  return {
    metadata: { name: `p${podNumber}`, namespace: 'default', uid: `uid-h${podNumber}` },
    spec: { containers: [] },
  };
};
const runtimes: ProcessRuntime[] = [];
const newRuntime = (): ProcessRuntime => {
  const runtime = new ProcessRuntime();
  runtimes.push(runtime);
  return runtime;
};
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.dispose()));
});

async function start(runtime: ProcessRuntime, container: Container): Promise<ContainerRef> {
  const p = pod();
  const { id } = await runtime.startContainer(p, container, { signal: signal() });
  return { id, name: container.name, podName: p.metadata?.name ?? '', podNamespace: 'default', podUID: '' };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Exec a command that backgrounds `sleep 1000` and prints its pid. */
async function backgroundSleep(runtime: ProcessRuntime, ref: ContainerRef): Promise<number> {
  const result = await runtime.exec(ref, ['sh', '-c', 'sleep 1000 >/dev/null 2>&1 & echo $!'], { signal: signal() });
  const pid = Number(result.stdout?.trim());
  expect(result.exitCode).toBe(0);
  expect(isAlive(pid)).toBe(true);
  return pid;
}

describe('ProcessRuntime.waitContainer (DESIGN §10)', () => {
  it('reports the exit code of a process exiting by itself, and 128+n with the signal name when killed', async () => {
    const runtime = newRuntime();
    const exiting = await start(runtime, { name: 'a', command: ['sh', '-c', 'exit 7'] });
    expect(await runtime.waitContainer(exiting, { signal: signal() })).toEqual({ exitCode: 7 });
    const termed = await start(runtime, { name: 'b', command: ['sleep', '1000'] });
    const wait = runtime.waitContainer(termed, { signal: signal() });
    await runtime.stopContainer(termed, { timeoutSeconds: 10, signal: signal() });
    expect(await wait).toEqual({ exitCode: 143, signal: 'SIGTERM' });
  });

  it('rejects for a container it never started, and once the exit was reported', async () => {
    const runtime = newRuntime();
    const ref = await start(runtime, { name: 'a', command: ['true'] });
    await runtime.waitContainer(ref, { signal: signal() });
    await expect(runtime.waitContainer(ref, { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_FOUND',
      message: expect.stringContaining('already reported'),
    });
    await expect(runtime.waitContainer({ ...ref, id: 'nope' }, { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_FOUND',
    });
  });
});

describe('ProcessRuntime hardening (issue 18)', () => {
  it("an exec hook's background process does not survive stopContainer", async () => {
    const runtime = newRuntime();
    const ref = await start(runtime, { name: 'main', command: ['sleep', '1000'] });
    const pid = await backgroundSleep(runtime, ref);
    await runtime.stopContainer(ref, { timeoutSeconds: 10, signal: signal() });
    await expect.poll(() => isAlive(pid), { timeout: 2000 }).toBe(false);
  });

  it("an exec hook's background process does not survive dispose; dispose is idempotent", async () => {
    const runtime = newRuntime();
    const ref = await start(runtime, { name: 'main', command: ['sleep', '1000'] });
    const pid = await backgroundSleep(runtime, ref);
    const first = runtime.dispose();
    expect(runtime.dispose()).toBe(first);
    await first;
    await expect.poll(() => isAlive(pid), { timeout: 2000 }).toBe(false);
    expect(runtime.runningContainerIds()).toEqual([]);
    await runtime.dispose();
    await expect(start(runtime, { name: 'late', command: ['true'] })).rejects.toMatchObject({ code: 'ERR_DISPOSED' });
  });

  it('keeps nothing of an exited container once waitContainer has reported it', async () => {
    const runtime = newRuntime();
    const internals = runtime as unknown as { containers: Map<string, unknown>; exits: ExitBook };
    const refs = await Promise.all(Array.from({ length: 20 }, () => start(runtime, { name: 'm', command: ['true'] })));
    for (const ref of refs) expect(await runtime.waitContainer(ref, { signal: signal() })).toEqual({ exitCode: 0 });
    expect(internals.containers.size).toBe(0);
    expect(internals.exits.size).toBe(0);
    // Exec into a reported container: it is unknown now, not "not running".
    await expect(runtime.exec(refs[0] as ContainerRef, ['true'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_FOUND',
    });
  });

  it('an exit nobody waited for is kept (exec says "not running") until reported', async () => {
    const runtime = newRuntime();
    const ref = await start(runtime, { name: 'm', command: ['sh', '-c', 'exit 4'] });
    await expect.poll(() => runtime.runningContainerIds(), { timeout: 2000 }).toEqual([]);
    await expect(runtime.exec(ref, ['true'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_RUNNING',
      message: expect.stringContaining('exited with 4'),
    });
    expect(await runtime.waitContainer(ref, { signal: signal() })).toEqual({ exitCode: 4 });
  });
});

describe('the bounded records of the node runtimes', () => {
  it('ExitBook keeps at most its capacity of unreported exits, forgetting the oldest', () => {
    const book = new ExitBook(3);
    for (const id of ['a', 'b', 'c', 'd']) book.record(id, { exitCode: 1, signal: null });
    expect(book.size).toBe(3);
    expect(book.peek('a')).toBeUndefined();
    expect(book.take('d')).toEqual({ exitCode: 1, signal: null });
    expect(book.take('d')).toBeUndefined();
  });

  it('AttemptCounter counts starts per key and forgets the oldest key whose container is not running', () => {
    const counter = new AttemptCounter(2);
    const running = new Set(['a']);
    const next = (key: string): number => counter.next(key, (k) => running.has(k));
    expect([next('a'), next('a'), next('b'), next('c')]).toEqual([0, 1, 0, 0]);
    expect(counter.size).toBe(2); // b forgotten: a is running
    expect([next('a'), next('b')]).toEqual([2, 0]);
  });
});

/**
 * Black-box round 2: the real Node adapters as docs/adapters.md describes them — ProcessRuntime called directly as a Runtime.
 * Short graces only; every test removes its processes, servers and temp dirs
 * (node-adapters-harness.ts).
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Container, ContainerRef, Pod } from '../../src/index.js';
import {
  type ContainerExitStatus,
  DEFAULT_OUTPUT_CAP_BYTES,
  NodeAdapterError,
  ProcessRuntime,
  truncationMarker,
} from '../../src/node/index.js';
import { exitsRecorded, recordExits } from '../node/exit-recorder.js';
import { cleanups, lines, pod, shMain, tempDir, until } from './node-adapters-harness.js';

// ---------------------------------------------------------------- ProcessRuntime directly

describe('ProcessRuntime as a Runtime (docs/adapters.md "Common to both runtimes", "ProcessRuntime")', () => {
  async function started(container: Container, p: Pod, runtime: ProcessRuntime): Promise<ContainerRef> {
    const { id } = await runtime.startContainer(p, container, { signal: new AbortController().signal });
    return { id, name: container.name, podName: p.metadata!.name!, podNamespace: 'default', podUID: 'u1' };
  }
  const never = () => new AbortController().signal;

  it('exec output is capped per stream with the documented marker; the default cap is 1 MiB', async () => {
    expect(DEFAULT_OUTPUT_CAP_BYTES).toBe(1_048_576);
    expect(truncationMarker(100)).toBe('\n[kube-lifecycle: output truncated after 100 bytes]');
    const dir = tempDir();
    const c: Container = { name: 'main', ...shMain('', dir) };
    const p = pod([c]);
    const runtime = new ProcessRuntime({ outputCapBytes: 100 });
    cleanups.push(() => runtime.dispose());
    const ref = await started(c, p, runtime);
    const res = await runtime.exec(
      ref,
      ['sh', '-c', 'head -c 5000 /dev/zero | tr "\\0" a; head -c 40 /dev/zero | tr "\\0" b >&2; exit 4'],
      { signal: never() },
    );
    expect(res.exitCode).toBe(4);
    expect(res.stdout).toBe(`${'a'.repeat(100)}\n[kube-lifecycle: output truncated after 100 bytes]`);
    expect(res.stderr).toBe('b'.repeat(40));
  });

  it("exec: killed by signal n → 128 + n; a missing executable rejects ERR_EXEC_FAILED with runc's wording", async () => {
    const dir = tempDir();
    const c: Container = { name: 'main', ...shMain('', dir) };
    const p = pod([c]);
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    const ref = await started(c, p, runtime);
    expect((await runtime.exec(ref, ['sh', '-c', 'kill -9 $$'], { signal: never() })).exitCode).toBe(137);
    expect((await runtime.exec(ref, ['sh', '-c', 'kill -15 $$'], { signal: never() })).exitCode).toBe(143);
    const err = await runtime.exec(ref, ['no-such-binary-xyz'], { signal: never() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeAdapterError);
    expect((err as NodeAdapterError).code).toBe('ERR_EXEC_FAILED');
    expect((err as Error).message).toContain('exec: "no-such-binary-xyz": executable file not found in $PATH');
  });

  it("exec abort kills the exec'd process group and rejects with signal.reason", async () => {
    const dir = tempDir();
    const c: Container = { name: 'main', ...shMain('', dir) };
    const p = pod([c]);
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    const ref = await started(c, p, runtime);
    const ac = new AbortController();
    const reason = new Error('enough');
    const pending = runtime.exec(ref, ['sh', '-c', 'echo $$ > "$DIR/execpid"; sleep 30 & wait'], { signal: ac.signal });
    await until(() => existsSync(join(dir, 'execpid')));
    const pid = Number(readFileSync(join(dir, 'execpid'), 'utf8'));
    ac.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await until(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });

  it('argv: $(VAR) expanded from env, $$(VAR) literal, undefined kept; env values expanded in order; HOSTNAME = pod name; minimal base env', async () => {
    const dir = tempDir();
    const c: Container = {
      name: 'main',
      command: [
        'sh',
        '-c',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template.
        'printf "%s\\n" "$@" "$B" "$HOSTNAME" "${SECRET_FROM_PARENT:-unset}" > "$DIR/out"; while :; do sleep 0.05; done',
        'sh',
      ],
      args: ['$(GREETING)', '$$(GREETING)', '$(UNDEFINED_VAR)'],
      env: [
        { name: 'DIR', value: dir },
        { name: 'GREETING', value: 'hi' },
        { name: 'B', value: '$(GREETING)-x' },
      ],
    };
    const p = pod([c], { name: 'envpod' });
    process.env.SECRET_FROM_PARENT = 'leak';
    cleanups.push(() => {
      delete process.env.SECRET_FROM_PARENT;
    });
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    const ref = await started(c, p, runtime);
    expect(ref.id).toBe('k8s_main_envpod_default_u1_0');
    await until(() => lines(join(dir, 'out')).length >= 6);
    expect(lines(join(dir, 'out'))).toEqual(['hi', '$(GREETING)', '$(UNDEFINED_VAR)', 'hi-x', 'envpod', 'unset']);
  });

  it('stopContainer: an unknown signal name rejects ERR_UNKNOWN_SIGNAL before anything is sent; an unknown container resolves at once', async () => {
    const dir = tempDir();
    const c: Container = { name: 'main', ...shMain('trap \'echo SIGTERM >> "$DIR/log"; exit 0\' TERM;', dir) };
    const p = pod([c]);
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    const ref = await started(c, p, runtime);
    await until(() => existsSync(join(dir, 'ready')));
    await expect(
      runtime.stopContainer(ref, { stopSignal: 'SIGNOPE', timeoutSeconds: 1, signal: never() }),
    ).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SIGNAL' });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines(join(dir, 'log'))).toEqual([]);
    expect(runtime.runningContainerIds()).toEqual([ref.id]);
    await runtime.stopContainer({ ...ref, id: 'nope' }, { timeoutSeconds: 1, signal: never() }); // resolves
    // "TERM" without the SIG prefix is accepted
    await runtime.stopContainer(ref, { stopSignal: 'TERM', timeoutSeconds: 2, signal: never() });
    expect(lines(join(dir, 'log'))).toEqual(['SIGTERM']);
    // already exited: resolves at once
    await runtime.stopContainer(ref, { timeoutSeconds: 2, signal: never() });
  });

  it('dispose() kills what still runs and refuses new starts with ERR_DISPOSED; attempts count per container', async () => {
    const dir = tempDir();
    const c: Container = { name: 'main', ...shMain('trap "" TERM;', dir) };
    const p = pod([c]);
    const exits: ContainerExitStatus[] = [];
    const runtime = recordExits(new ProcessRuntime(), (_r, s) => exits.push(s));
    const a = await started(c, p, runtime);
    const b = await started(c, p, runtime);
    expect(a.id).toBe('k8s_main_web_default_u1_0');
    expect(b.id).toBe('k8s_main_web_default_u1_1');
    expect(runtime.runningContainerIds().sort()).toEqual([a.id, b.id].sort());
    await runtime.dispose();
    expect(runtime.runningContainerIds()).toEqual([]);
    await exitsRecorded();
    expect(exits).toEqual([
      { exitCode: 137, signal: 'SIGKILL' },
      { exitCode: 137, signal: 'SIGKILL' },
    ]);
    await expect(runtime.startContainer(p, c, { signal: never() })).rejects.toMatchObject({ code: 'ERR_DISPOSED' });
  });

  it('a workingDir that does not exist rejects ERR_START_FAILED', async () => {
    const c: Container = { name: 'main', command: ['true'], workingDir: '/definitely/not/here' } as Container;
    const p = pod([c]);
    const runtime = new ProcessRuntime();
    cleanups.push(() => runtime.dispose());
    await expect(runtime.startContainer(p, c, { signal: never() })).rejects.toMatchObject({ code: 'ERR_START_FAILED' });
  });
});

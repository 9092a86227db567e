/**
 * Black-box round 2: the real Node adapters (ProcessRuntime, NodeHttpClient) driven through
 * LifecycleManager on the system clock, as docs/adapters.md describes them. Short graces only;
 * every test removes its processes, servers and temp dirs.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Container,
  type ContainerRef,
  type KubeEvent,
  LifecycleManager,
  type LifecyclePolicy,
  type LifecycleStep,
  type Pod,
} from '../../src/index.js';
import {
  type ContainerExitStatus,
  DEFAULT_OUTPUT_CAP_BYTES,
  HttpRequestError,
  MAX_RESPONSE_BODY_BYTES,
  NodeAdapterError,
  NodeHttpClient,
  ProcessRuntime,
  truncationMarker,
} from '../../src/node/index.js';
import { exitsRecorded, recordExits } from '../node/exit-recorder.js';

// ---------------------------------------------------------------- fixtures and cleanup

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kl-contract-node-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A shell main process: `trap` lines for TERM etc., writes "ready", loops. */
function shMain(traps: string, dir: string): Pick<Container, 'command' | 'env'> {
  return {
    command: ['sh', '-c', `${traps} echo ready > "$DIR/ready"; while :; do sleep 0.05; done`],
    env: [{ name: 'DIR', value: dir }],
  };
}

interface Rig {
  runtime: ProcessRuntime;
  manager: LifecycleManager;
  events: KubeEvent[];
  steps: LifecycleStep[];
  exits: Array<{ ref: ContainerRef; status: ContainerExitStatus; at: number }>;
}

/** Wired as docs/adapters.md shows: the manager watches waitContainer; the rig records the exits too. */
function rig(_pod: Pod, opts: { policy?: LifecyclePolicy; outputCapBytes?: number } = {}): Rig {
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  const exits: Rig['exits'] = [];
  const runtime = recordExits(
    new ProcessRuntime(opts.outputCapBytes !== undefined ? { outputCapBytes: opts.outputCapBytes } : {}),
    (ref, status) => exits.push({ ref, status, at: Date.now() }),
  );
  cleanups.push(() => runtime.dispose());
  const manager = new LifecycleManager({
    runtime,
    httpClient: new NodeHttpClient(),
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  return { runtime, manager, events, steps, exits };
}

function pod(containers: Container[], extra: { tgps?: number; name?: string; os?: string } = {}): Pod {
  return {
    metadata: { name: extra.name ?? 'web', namespace: 'default', uid: 'u1' },
    spec: {
      terminationGracePeriodSeconds: extra.tgps ?? 3,
      ...(extra.os !== undefined ? { os: { name: extra.os } } : {}),
      containers,
    },
    status: { podIP: '127.0.0.1' },
  } as Pod;
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

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

// ---------------------------------------------------------------- NodeHttpClient through the manager

describe('httpGet hooks with NodeHttpClient against real servers (spec §5.2, docs/adapters.md "NodeHttpClient")', () => {
  async function httpPod(port: number, extra: Record<string, unknown> = {}, policy?: LifecyclePolicy) {
    const dir = tempDir();
    const p = pod([
      {
        name: 'main',
        ...shMain('trap \'echo SIGTERM >> "$DIR/log"; exit 0\' TERM;', dir),
        lifecycle: { preStop: { httpGet: { port, path: '/drain', ...extra } } },
      },
    ]);
    const r = rig(p, policy ? { policy } : {});
    await r.manager.startContainer(p, 'main');
    await until(() => existsSync(join(dir, 'ready')));
    return { p, r, dir };
  }

  it('a 500 from the drain endpoint still succeeds by default; the GET arrives before SIGTERM (k/k#56963)', async () => {
    const seen: Array<{ url: string | undefined; headers: http.IncomingHttpHeaders; sigtermBefore: boolean }> = [];
    let dirRef = '';
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers, sigtermBefore: lines(join(dirRef, 'log')).length > 0 });
      res.writeHead(500).end('nope');
    });
    const port = await listen(server);
    const { p, r, dir } = await httpPod(port);
    dirRef = dir;
    const res = await r.manager.deletePod(p);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/drain');
    expect(seen[0]?.sigtermBefore).toBe(false);
    expect(seen[0]?.headers['user-agent']).toBe('kube-lifecycle/1.35');
    expect(seen[0]?.headers.host).toBe(`127.0.0.1:${port}`);
    expect(res.containers[0]?.preStop.outcome).toBe('succeeded');
    expect(r.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
    expect(lines(join(dir, 'log'))).toEqual(['SIGTERM']);
  });

  it('policy httpStatus "probe": the 500 fails the hook (FailedPreStopHook) and the kill still proceeds', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(500).end();
    });
    const port = await listen(server);
    const { p, r, dir } = await httpPod(port, {}, { httpStatus: 'probe' });
    const res = await r.manager.deletePod(p);
    expect(res.containers[0]?.preStop.outcome).toBe('failed');
    const failed = r.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: 'Warning', message: 'PreStopHook failed' });
    expect(failed[0]?.detail).toMatch(
      /^HTTP lifecycle hook \(\/drain\) for Container "main" in Pod "web_default\(u1\)" failed - error: /,
    );
    expect(res.containers[0]?.outcome).toBe('stopped');
    expect(lines(join(dir, 'log'))).toEqual(['SIGTERM']);
  });

  it("connection refused: the detail carries Go's url.Error text exactly once", async () => {
    const port = await freePort();
    const { p, r } = await httpPod(port);
    const res = await r.manager.deletePod(p);
    const failed = r.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toHaveLength(1);
    const goErr = `Get "http://127.0.0.1:${port}/drain": dial tcp 127.0.0.1:${port}: connect: connection refused`;
    expect(failed[0]?.detail).toBe(
      `HTTP lifecycle hook (/drain) for Container "main" in Pod "web_default(u1)" failed - error: ${goErr}`,
    );
    expect(failed[0]!.detail!.split('connection refused')).toHaveLength(2);
    expect(failed[0]!.detail!.split('Get "')).toHaveLength(2);
    expect(res.containers[0]?.preStop.message).toBe(failed[0]?.detail);
    // directly
    const err = await new NodeHttpClient()
      .request(
        { method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: [] },
        { signal: new AbortController().signal },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', url: `http://127.0.0.1:${port}/x` });
    expect((err as Error).message).toBe(
      `Get "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it('a drain endpoint that never answers: preStop timedOut at the grace; the request is aborted once the container exited', async () => {
    let closed = false;
    const server = http.createServer((req) => {
      req.socket.on('close', () => {
        closed = true;
      });
    });
    const port = await listen(server);
    const { p, r } = await httpPod(port);
    const t0 = Date.now();
    const res = await r.manager.deletePod(p, { gracePeriodSeconds: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(res.containers[0]?.preStop.outcome).toBe('timedOut');
    expect(res.containers[0]?.stopTimeoutSeconds).toBe(2);
    await until(() => closed, 2000);
  });

  describe('HTTPS', () => {
    let key = '';
    let cert = '';
    beforeAll(() => {
      const dir = mkdtempSync(join(tmpdir(), 'kl-contract-tls-'));
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-subj',
            '/CN=localhost',
            '-days',
            '1',
            '-keyout',
            join(dir, 'k'),
            '-out',
            join(dir, 'c'),
          ],
          { stdio: 'ignore' },
        );
        key = readFileSync(join(dir, 'k'), 'utf8');
        cert = readFileSync(join(dir, 'c'), 'utf8');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('an HTTPS hook against a self-signed certificate succeeds (no TLS verification); no fallback event', async () => {
      const seen: string[] = [];
      const server = https.createServer({ key, cert }, (req, res) => {
        seen.push(String(req.url));
        res.writeHead(204).end();
      });
      const port = await listen(server);
      const { p, r } = await httpPod(port, { scheme: 'HTTPS' });
      const res = await r.manager.deletePod(p);
      expect(res.containers[0]?.preStop.outcome).toBe('succeeded');
      expect(seen).toEqual(['/drain']);
      expect(r.events.map((e) => e.reason)).toEqual(['Started', 'Killing']);
      // directly
      const resp = await new NodeHttpClient().request(
        { method: 'GET', url: `https://localhost:${port}/x`, headers: [] },
        { signal: new AbortController().signal },
      );
      expect(resp.status).toBe(204);
    });

    it('HTTPS hook on a plain-HTTP server: one retry over http without Authorization, Warning LifecycleHTTPFallback on the Pod (spec §5.2)', async () => {
      const seen: Array<{ url: string | undefined; auth: string | undefined; other: string | undefined }> = [];
      const server = http.createServer((req, res) => {
        seen.push({
          url: req.url,
          auth: req.headers.authorization,
          other: req.headers['x-drain'] as string | undefined,
        });
        res.writeHead(200).end('ok');
      });
      const port = await listen(server);
      const { p, r } = await httpPod(port, {
        scheme: 'HTTPS',
        httpHeaders: [
          { name: 'Authorization', value: 'Bearer s3cret' },
          { name: 'X-Drain', value: 'yes' },
        ],
      });
      const res = await r.manager.deletePod(p);
      expect(res.containers[0]?.preStop.outcome).toBe('succeeded');
      expect(seen).toEqual([{ url: '/drain', auth: undefined, other: 'yes' }]);
      const fb = r.events.filter((e) => e.reason === 'LifecycleHTTPFallback');
      expect(fb).toHaveLength(1);
      expect(fb[0]).toMatchObject({
        type: 'Warning',
        message: `request to HTTPS lifecycle hook 127.0.0.1:${port} got HTTP response, retry with HTTP succeeded`,
        object: { kind: 'Pod', name: 'web', namespace: 'default' },
      });
      expect(r.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
      // directly: the client's own error
      const err = await new NodeHttpClient()
        .request(
          { method: 'GET', url: `https://127.0.0.1:${port}/x`, headers: [] },
          { signal: new AbortController().signal },
        )
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT',
        message: `Get "https://127.0.0.1:${port}/x": server gave HTTP response to HTTPS client`,
      });
    });
  });
});

// ---------------------------------------------------------------- NodeHttpClient directly

describe('NodeHttpClient directly (docs/adapters.md "NodeHttpClient")', () => {
  const sig = () => new AbortController().signal;

  it('no redirect following; any status resolves; header names lower-cased, repeats joined with ", "', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/r') {
        res.writeHead(302, { Location: '/elsewhere' }).end();
        return;
      }
      res.setHeader('X-Multi', ['a', 'b']);
      res.writeHead(404).end();
    });
    const port = await listen(server);
    const c = new NodeHttpClient();
    const r1 = await c.request({ method: 'GET', url: `http://127.0.0.1:${port}/r`, headers: [] }, { signal: sig() });
    expect(r1.status).toBe(302);
    expect(r1.headers?.location).toBe('/elsewhere');
    const r2 = await c.request({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: [] }, { signal: sig() });
    expect(r2.status).toBe(404);
    expect(r2.headers?.['x-multi']).toBe('a, b');
  });

  it('headers are sent in order with repeats kept; a Host header sets the virtual host', async () => {
    let raw: string[] = [];
    const server = http.createServer((req, res) => {
      raw = req.rawHeaders;
      res.end();
    });
    const port = await listen(server);
    await new NodeHttpClient().request(
      {
        method: 'GET',
        url: `http://127.0.0.1:${port}/`,
        headers: [
          ['X-A', '1'],
          ['Host', 'example.test'],
          ['X-A', '2'],
        ],
      },
      { signal: sig() },
    );
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
    expect(pairs.filter(([n]) => n === 'x-a').map(([, v]) => v)).toEqual(['1', '2']);
    expect(pairs.filter(([n]) => n === 'host').map(([, v]) => v)).toEqual(['example.test']);
  });

  it('environment proxies are ignored (HTTP_PROXY pointing to a dead port)', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(201).end();
    });
    const port = await listen(server);
    const dead = await freePort();
    const saved = { a: process.env.HTTP_PROXY, b: process.env.http_proxy };
    process.env.HTTP_PROXY = `http://127.0.0.1:${dead}`;
    process.env.http_proxy = `http://127.0.0.1:${dead}`;
    try {
      const r = await new NodeHttpClient().request(
        { method: 'GET', url: `http://127.0.0.1:${port}/`, headers: [] },
        { signal: sig() },
      );
      expect(r.status).toBe(201);
    } finally {
      if (saved.a === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved.a;
      if (saved.b === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved.b;
    }
  });

  it('a body over 10 KiB does not make the request fail or hang (read up to the cap, then dropped)', async () => {
    expect(MAX_RESPONSE_BODY_BYTES).toBe(10 * 1024);
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let n = 0;
      const pump = () => {
        while (n < 200 && res.write(chunk)) n++;
        if (n < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const port = await listen(server);
    const r = await new NodeHttpClient().request(
      { method: 'GET', url: `http://127.0.0.1:${port}/`, headers: [] },
      { signal: sig() },
    );
    expect(r.status).toBe(200);
  });

  it('abort: rejects with ABORT_ERR, message `Get "…": context canceled`, cause = signal.reason', async () => {
    const server = http.createServer(() => {
      /* never answers */
    });
    const port = await listen(server);
    const ac = new AbortController();
    const reason = new Error('grace over');
    const url = `http://127.0.0.1:${port}/slow`;
    const pending = new NodeHttpClient().request({ method: 'GET', url, headers: [] }, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect(err).toMatchObject({ code: 'ABORT_ERR', message: `Get "${url}": context canceled` });
    expect((err as Error).cause).toBe(reason);
  });

  it("unsupported scheme: ERR_UNSUPPORTED_PROTOCOL with Go's text", async () => {
    const err = await new NodeHttpClient()
      .request({ method: 'GET', url: 'baz://h:80/', headers: [] }, { signal: sig() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_UNSUPPORTED_PROTOCOL',
      message: 'Get "baz://h:80/": unsupported protocol scheme "baz"',
    });
  });

  it('closed without a response: ECONNRESET, `Get "…": EOF`', async () => {
    const server = http.createServer((req) => {
      req.socket.destroy();
    });
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/x`;
    const err = await new NodeHttpClient()
      .request({ method: 'GET', url, headers: [] }, { signal: sig() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNRESET', message: `Get "${url}": EOF` });
  });
});

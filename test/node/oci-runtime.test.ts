import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { truncationMarker } from '../../src/node/child.js';
import { OciRuntime } from '../../src/node/oci-runtime.js';
import type { ContainerExitStatus } from '../../src/node/process-runtime.js';
import type { ContainerRef } from '../../src/ports/runtime.js';
import { exitsRecorded, recordExits } from './exit-recorder.js';
import { buildBusyboxRootfs, removeRootfs } from './helpers/busybox-rootfs.js';
import { checkOciPrerequisites, ociSkipReason } from './helpers/oci-prerequisites.js';
import { startHttpServer } from './helpers/servers.js';

const prerequisites = checkOciPrerequisites();
const skipReason = ociSkipReason(prerequisites);
const signal = (): AbortSignal => new AbortController().signal;
const pod = (name = 'web'): Pod => ({
  metadata: { name, namespace: 'default', uid: 'uid-oci' },
  spec: { containers: [] },
});

describe.skipIf(skipReason !== undefined)('OciRuntime (real runc)', () => {
  let rootfs: string;
  let runtimeRoot: string;
  let stateDir: string;
  let runtime: OciRuntime;
  let exits: Array<[ContainerRef, ContainerExitStatus]>;

  beforeAll(() => {
    if (prerequisites.isAvailable) rootfs = buildBusyboxRootfs(prerequisites.busybox);
  });
  afterAll(() => removeRootfs(rootfs));

  beforeEach(() => {
    runtimeRoot = mkdtempSync(join(tmpdir(), 'kl-runc-root-'));
    stateDir = join(mkdtempSync(join(tmpdir(), 'kl-oci-state-')), 'bundles');
    exits = [];
    runtime = recordExits(new OciRuntime({ rootfs, runtimeRoot, stateDir }), (ref, status) =>
      exits.push([ref, status]),
    );
    for (const f of readdirSync(join(rootfs, 'tmp'))) rmSync(join(rootfs, 'tmp', f), { recursive: true, force: true });
  });

  afterEach(async () => {
    await runtime.dispose();
    expect(execFileSync('runc', ['--root', runtimeRoot, 'list', '-q'], { encoding: 'utf8' }).trim()).toBe('');
    expect(existsSync(stateDir)).toBe(false);
    rmSync(runtimeRoot, { recursive: true, force: true });
    rmSync(join(stateDir, '..'), { recursive: true, force: true });
  });

  async function start(container: Container, p = pod()): Promise<ContainerRef> {
    const { id } = await runtime.startContainer(p, container, { signal: signal() });
    return { id, name: container.name, podName: p.metadata?.name ?? '', podNamespace: 'default', podUID: 'uid-oci' };
  }
  const inRootfs = (path: string): string => {
    try {
      return readFileSync(join(rootfs, path), 'utf8');
    } catch {
      return '';
    }
  };
  /** A shell as PID 1 that writes /tmp/ready once its traps are installed. */
  const shell = (script: string): Container => ({
    name: 'main',
    command: ['sh', '-c', `${script}; echo ready > /tmp/ready; while :; do sleep 0.05; done`],
  });
  const waitReady = () => expect.poll(() => inRootfs('tmp/ready'), { timeout: 5000 }).toBe('ready\n');

  it(`runs command + args with env, workingDir and the pod name as hostname (${prerequisites.isAvailable ? prerequisites.runcVersion : 'n/a'})`, async () => {
    const ref = await start({
      name: 'main',
      command: ['sh', '-c'],
      args: ['echo "$GREETING $(hostname) $PWD" > /tmp/out; exec sleep 30'],
      env: [{ name: 'GREETING', value: 'hi' }],
      workingDir: '/tmp',
    });
    expect(ref.id).toBe('k8s_main_web_default_uid-oci_0');
    await expect.poll(() => inRootfs('tmp/out'), { timeout: 5000 }).toBe('hi web /tmp\n');
    const config = JSON.parse(readFileSync(join(stateDir, ref.id, 'config.json'), 'utf8')) as {
      linux: { namespaces: Array<{ type: string }> };
    };
    expect(config.linux.namespaces.map((n) => n.type)).not.toContain('network');
    expect(runtime.podIP).toBe('127.0.0.1');
  });

  it('exec runs argv in the container and captures stdout, stderr and the exit code', async () => {
    const ref = await start({
      name: 'main',
      command: ['sleep', '30'],
      env: [{ name: 'X', value: 'from-env' }],
      workingDir: '/tmp',
    });
    const result = await runtime.exec(ref, ['sh', '-c', 'echo "$X $PWD"; echo oops >&2; exit 3'], { signal: signal() });
    expect(result).toEqual({ exitCode: 3, stdout: 'from-env /tmp\n', stderr: 'oops\n' });
  });

  it('shares the host network: the pod reaches a server on the host loopback', async () => {
    const server = await startHttpServer((_q, res) => res.end('hello from the host'));
    try {
      const ref = await start({ name: 'main', command: ['sleep', '30'] });
      const result = await runtime.exec(ref, ['wget', '-q', '-O', '-', `http://127.0.0.1:${server.port}/`], {
        signal: signal(),
      });
      expect(result.stdout).toBe('hello from the host');
    } finally {
      await server.close();
    }
  });

  it("caps exec output and rejects a missing executable with runc's message", async () => {
    runtime = new OciRuntime({ rootfs, runtimeRoot, stateDir, outputCapBytes: 64 });
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    const big = await runtime.exec(ref, ['sh', '-c', 'yes | head -c 100000'], { signal: signal() });
    expect(big.stdout).toBe('y\n'.repeat(32) + truncationMarker(64));
    await expect(runtime.exec(ref, ['no-such-binary'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_EXEC_FAILED',
      message: expect.stringContaining('exec: "no-such-binary": executable file not found in $PATH'),
    });
  });

  it("aborting exec kills the exec'd process inside the container", async () => {
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    const controller = new AbortController();
    const pending = runtime.exec(ref, ['sleep', '31'], { signal: controller.signal });
    await expect
      .poll(async () => (await runtime.exec(ref, ['ps'], { signal: signal() })).stdout, { timeout: 5000 })
      .toContain('sleep 31');
    controller.abort(new Error('hook deadline'));
    await expect(pending).rejects.toThrow('hook deadline');
    await expect
      .poll(async () => (await runtime.exec(ref, ['ps'], { signal: signal() })).stdout)
      .not.toContain('sleep 31');
  });

  it('stopContainer: the stop signal reaches a PID 1 that handles it; container deleted, bundle removed', async () => {
    const ref = await start(shell('trap "echo term > /tmp/term; exit 0" TERM'));
    await waitReady();
    await runtime.stopContainer(ref, { timeoutSeconds: 5, signal: signal() });
    expect(inRootfs('tmp/term')).toBe('term\n');
    await exitsRecorded();
    expect(exits).toEqual([[ref, { exitCode: 0, signal: null }]]);
    expect(existsSync(join(stateDir, ref.id))).toBe(false);
  });

  it('honours a custom stop signal (SIGQUIT)', async () => {
    const ref = await start(shell('trap "echo quit > /tmp/quit; exit 0" QUIT'));
    await waitReady();
    await runtime.stopContainer(ref, { stopSignal: 'SIGQUIT', timeoutSeconds: 5, signal: signal() });
    expect(inRootfs('tmp/quit')).toBe('quit\n');
  });

  it('SIGKILLs a container ignoring SIGTERM once the timeout passes', async () => {
    const ref = await start(shell('trap "" TERM'));
    await waitReady();
    const started = performance.now();
    await runtime.stopContainer(ref, { timeoutSeconds: 1, signal: signal() });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(4000);
    await exitsRecorded();
    expect(exits[0]?.[1]).toEqual({ exitCode: 137, signal: 'SIGKILL' });
  });

  it('a container that exits by itself is reported; stop and exec afterwards behave', async () => {
    const ref = await start({ name: 'main', command: ['sh', '-c', 'exit 4'] });
    await expect.poll(() => exits.length, { timeout: 5000 }).toBe(1);
    expect(exits[0]).toEqual([ref, { exitCode: 4, signal: null }]);
    await runtime.stopContainer(ref, { timeoutSeconds: 30, signal: signal() });
    await expect(runtime.exec(ref, ['true'], { signal: signal() })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_FOUND', // its exit was reported (waitContainer), hence forgotten
    });
  });

  it('clear errors: runc missing, rootfs missing, id taken, unknown signal', async () => {
    const noRunc = new OciRuntime({ rootfs, runtimeRoot, stateDir, runtimeBinary: '/nonexistent/runc' });
    await expect(
      noRunc.startContainer(pod(), { name: 'a', command: ['true'] }, { signal: signal() }),
    ).rejects.toMatchObject({
      code: 'ERR_RUNTIME_BINARY_NOT_FOUND',
      message: expect.stringContaining('apt-get install -y runc'),
    });
    const noRootfs = new OciRuntime({ rootfs: join(rootfs, 'missing'), runtimeRoot, stateDir });
    await expect(
      noRootfs.startContainer(pod(), { name: 'a', command: ['true'] }, { signal: signal() }),
    ).rejects.toMatchObject({ code: 'ERR_ROOTFS_NOT_FOUND' });
    const ref = await start({ name: 'main', command: ['sleep', '30'] });
    const other = new OciRuntime({ rootfs, runtimeRoot, stateDir });
    const taken = await other
      .startContainer(pod(), { name: 'main', command: ['sleep', '30'] }, { signal: signal() })
      .catch((e: unknown) => e);
    expect(taken).toMatchObject({
      code: 'ERR_CONTAINER_ID_TAKEN',
      message: expect.stringContaining(`runc delete --force ${ref.id}`),
    });
    await expect(
      runtime.stopContainer(ref, { stopSignal: 'SIGNOPE', timeoutSeconds: 1, signal: signal() }),
    ).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SIGNAL' });
  });

  it('exec of a command that backgrounds a process resolves when the command exits, not the background (issue 18)', async () => {
    const ref = await start(shell('true'));
    await waitReady();
    const t0 = performance.now();
    const result = await runtime.exec(ref, ['sh', '-c', 'sleep 30 & echo started; exit 5'], { signal: signal() });
    expect(result).toEqual({ exitCode: 5, stdout: 'started\n', stderr: '' });
    expect(performance.now() - t0).toBeLessThan(5000); // before the fix: 30 s, until the sleep exited
    // The background process keeps running in the container, as in a real pod.
    const ps = await runtime.exec(ref, ['ps'], { signal: signal() });
    expect(ps.stdout).toContain('sleep 30');
  });

  it('waitContainer reports the exit code; dispose is idempotent and leaves no runc process', async () => {
    const ref = await start({ name: 'main', command: ['sh', '-c', 'exit 4'] });
    await expect.poll(() => exits.length, { timeout: 5000 }).toBe(1); // recordExits: waitContainer
    expect(exits[0]).toEqual([ref, { exitCode: 4, signal: null }]);
    const lingering = await start(shell('true'), pod('other'));
    await waitReady();
    await runtime.exec(lingering, ['sh', '-c', 'sleep 30 & exit 0'], { signal: signal() });
    const first = runtime.dispose();
    expect(runtime.dispose()).toBe(first);
    await first;
    const left = (() => {
      try {
        return execFileSync('pgrep', ['-f', `--root ${runtimeRoot} `], { encoding: 'utf8' }).trim();
      } catch {
        return ''; // pgrep exits 1 when nothing matches
      }
    })();
    expect(left).toBe('');
  });
});

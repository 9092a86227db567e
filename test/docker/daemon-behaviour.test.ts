/**
 * DockerRuntime on a real daemon beyond the conformance suite: typed errors (each naming what to
 * do, never a dockerode stack), image pull policies and the kubelet's pull lines, network modes,
 * unique names across runs, and the sweep of a crashed run's leftovers.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { type DockerPullEvent, DockerRuntime, DockerRuntimeError } from '../../src/docker/index.js';
import type { ContainerRef } from '../../src/ports/runtime.js';
import { acquireDaemon, type TestDaemon } from './helpers/daemon.js';
import { ensureTestImage, TEST_IMAGE, TEST_SANDBOX_COMMAND } from './helpers/test-image.js';

const availability = await acquireDaemon();
const daemon: TestDaemon | undefined = availability.isAvailable ? availability.daemon : undefined;
const runtimes: DockerRuntime[] = [];

beforeAll(async () => {
  if (daemon !== undefined) await ensureTestImage(daemon.docker);
}, 120_000);
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.dispose()));
  await daemon?.stop();
}, 60_000);

const signal = new AbortController().signal;
let podNumber = 0;

function makeRuntime(options: ConstructorParameters<typeof DockerRuntime>[0] = {}): DockerRuntime {
  const runtime = new DockerRuntime({
    docker: { socketPath: (daemon as TestDaemon).socketPath },
    network: 'host',
    sandboxImage: TEST_IMAGE,
    sandboxCommand: TEST_SANDBOX_COMMAND,
    ...options,
  });
  runtimes.push(runtime);
  return runtime;
}

function makePod(
  container: Partial<Container> = {},
  name = `behaviour-${++podNumber}`,
): { pod: Pod; container: Container } {
  const c: Container = { name: 'main', image: TEST_IMAGE, command: ['sleep', '1000'], ...container };
  return {
    pod: { metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: [c] } },
    container: c,
  };
}

function refOf(pod: Pod, container: Container, id: string): ContainerRef {
  return {
    id,
    name: container.name,
    podName: pod.metadata?.name ?? '',
    podNamespace: 'default',
    podUID: pod.metadata?.uid ?? '',
  };
}

async function rejection(promise: Promise<unknown>): Promise<DockerRuntimeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DockerRuntimeError);
  // plain data as cause: logging the error never prints the HTTP client's stack
  expect((error as Error).cause instanceof Error).toBe(false);
  return error as DockerRuntimeError;
}

describe('errors without a daemon', () => {
  it('a socket where no daemon listens: ERR_DOCKER_UNREACHABLE naming the socket and what to do', async () => {
    const runtime = new DockerRuntime({ docker: { socketPath: '/tmp/kube-lifecycle-no-daemon.sock' } });
    const { pod, container } = makePod();
    const error = await rejection(runtime.startContainer(pod, container, { signal }));
    expect(error.code).toBe('ERR_DOCKER_UNREACHABLE');
    expect(error.message).toContain('unix:///tmp/kube-lifecycle-no-daemon.sock');
    expect(error.message).toContain('DOCKER_HOST');
    expect(error.cause).toMatchObject({ code: 'ENOENT' });
  });

  it('options are checked at construction: ERR_INVALID_OPTION', () => {
    expect(() => new DockerRuntime({ network: 'overlay' as 'host' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
    expect(() => new DockerRuntime({ pullPolicy: 'Sometimes' as 'Never' })).toThrow(/pullPolicy/);
  });
});

describe.skipIf(daemon === undefined)('DockerRuntime on a real daemon', () => {
  it('imagePullPolicy Never with the image absent: ERR_IMAGE_NEVER_PULL and the kubelet ErrImageNeverPull line', async () => {
    const pulls: DockerPullEvent[] = [];
    const runtime = makeRuntime({ onPull: (e) => pulls.push(e) });
    const image = 'kube-lifecycle-test/absent:1';
    const { pod, container } = makePod({ image, imagePullPolicy: 'Never' } as Partial<Container>);
    const error = await rejection(runtime.startContainer(pod, container, { signal }));
    expect(error.code).toBe('ERR_IMAGE_NEVER_PULL');
    expect(error.message).toMatch(/docker load|IfNotPresent/);
    expect(pulls.filter((e) => e.image === image).map((e) => [e.reason, e.type, e.message])).toEqual([
      ['ErrImageNeverPull', 'Warning', `Container image "${image}" is not present with pull policy of Never`],
    ]);
  });

  it('a pull that fails: ERR_IMAGE_PULL, after the Pulling and Failed lines', async () => {
    const pulls: DockerPullEvent[] = [];
    const runtime = makeRuntime({ onPull: (e) => pulls.push(e) });
    const image = '127.0.0.1:9/kube-lifecycle-test/absent:1'; // a registry that refuses connections
    const { pod, container } = makePod({ image });
    const error = await rejection(runtime.startContainer(pod, container, { signal }));
    expect(error.code).toBe('ERR_IMAGE_PULL');
    expect(error.message).toContain(`Failed to pull image "${image}"`);
    expect(error.message).toContain('docker login');
    const lines = pulls.filter((e) => e.image === image);
    expect(lines.map((e) => e.reason)).toEqual(['Pulling', 'Failed']);
    expect(lines[0]?.message).toBe(`Pulling image "${image}"`);
  });

  it('an image present under IfNotPresent (tagged, the API default): the kubelet "already present" line', async () => {
    const pulls: DockerPullEvent[] = [];
    const runtime = makeRuntime({ onPull: (e) => pulls.push(e) });
    const { pod, container } = makePod();
    await runtime.startContainer(pod, container, { signal });
    expect(pulls.filter((e) => e.container === 'main').map((e) => [e.reason, e.message])).toEqual([
      ['Pulled', `Container image "${TEST_IMAGE}" already present on machine`],
    ]);
  });

  it('an executable that does not exist: ERR_START_FAILED, and the container is removed', async () => {
    const runtime = makeRuntime();
    const { pod, container } = makePod({ command: ['/no/such/program'] });
    const error = await rejection(runtime.startContainer(pod, container, { signal }));
    expect(error.code).toBe('ERR_START_FAILED');
    expect(error.message).toContain('/no/such/program');
    await expect((daemon as TestDaemon).docker.getContainer(error.containerId as string).inspect()).rejects.toThrow();
  });

  it('command/args map to Entrypoint/Cmd with $(VAR) expansion; env and workingDir are set', async () => {
    const runtime = makeRuntime();
    const { pod, container } = makePod({
      command: ['sh', '-c'],
      args: ['echo "$GREETING $(NAME)" > out; sleep 1000', 'ignored-$0'],
      env: [
        { name: 'NAME', value: 'pod' },
        { name: 'GREETING', value: 'hello $(NAME)' },
      ],
      workingDir: '/tmp',
    });
    const { id } = await runtime.startContainer(pod, container, { signal });
    const info = await (daemon as TestDaemon).docker.getContainer(id).inspect();
    expect(info.Config.Entrypoint).toEqual(['sh', '-c']);
    expect(info.Config.Cmd).toEqual(['echo "$GREETING pod" > out; sleep 1000', 'ignored-$0']);
    const ref = refOf(pod, container, id);
    await expect
      .poll(async () => (await runtime.exec(ref, ['cat', '/tmp/out'], { signal })).stdout, { timeout: 5_000 })
      .toBe('hello pod pod\n');
  });

  it('exec in a stopped container: ERR_CONTAINER_NOT_RUNNING; waitContainer of an unknown id: ERR_CONTAINER_NOT_FOUND', async () => {
    const runtime = makeRuntime();
    const { pod, container } = makePod({ command: ['true'] });
    const { id } = await runtime.startContainer(pod, container, { signal });
    const ref = refOf(pod, container, id);
    expect(await runtime.waitContainer(ref, { signal })).toEqual({ exitCode: 0 });
    expect((await rejection(runtime.exec(ref, ['true'], { signal }))).code).toBe('ERR_CONTAINER_NOT_RUNNING');
    const unknown = { ...ref, id: 'f'.repeat(64) };
    expect((await rejection(runtime.waitContainer(unknown, { signal }))).code).toBe('ERR_CONTAINER_NOT_FOUND');
    await runtime.stopContainer(unknown, { timeoutSeconds: 1, signal }); // nothing to stop: resolves
  });

  it('two runs of the same manifest do not collide: distinct names, each disposes only its own', async () => {
    const a = makeRuntime();
    const b = makeRuntime();
    const { pod, container } = makePod({}, 'same-manifest');
    const [first, second] = await Promise.all([
      a.startContainer(pod, container, { signal }),
      b.startContainer(pod, container, { signal }),
    ]);
    const docker = (daemon as TestDaemon).docker;
    const names = await Promise.all([first, second].map(async (s) => (await docker.getContainer(s.id).inspect()).Name));
    expect(names).toEqual([
      `/k8s_main_same-manifest_default_uid-same-manifest_0_${a.runId}`,
      `/k8s_main_same-manifest_default_uid-same-manifest_0_${b.runId}`,
    ]);
    await a.dispose();
    expect((await docker.getContainer(second.id).inspect()).State.Running).toBe(true);
    await expect(a.startContainer(pod, container, { signal })).rejects.toMatchObject({ code: 'ERR_DISPOSED' });
  });

  it("sweep removes a crashed run's containers (owner process gone) and keeps a live run's", async () => {
    const docker = (daemon as TestDaemon).docker;
    const live = makeRuntime();
    const { pod, container } = makePod();
    const { id: liveId } = await live.startContainer(pod, container, { signal });
    const dead = spawnSync('true').pid as number; // a pid that has exited
    const crashed = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '1000'],
      Labels: {
        'dev.kube-lifecycle.managed': 'true',
        'dev.kube-lifecycle.run': 'crashed1',
        'dev.kube-lifecycle.owner-pid': String(dead),
        'dev.kube-lifecycle.owner-host': hostname(),
      },
    });
    await crashed.start();
    const swept = await DockerRuntime.sweep({ docker: { socketPath: (daemon as TestDaemon).socketPath } });
    expect(swept.removed).toContain(crashed.id);
    expect(swept.removed).not.toContain(liveId);
    expect(swept.kept).toContain(liveId);
    await expect(crashed.inspect()).rejects.toThrow();
    const mine = await DockerRuntime.sweep({
      docker: { socketPath: (daemon as TestDaemon).socketPath },
      runId: live.runId,
      includeLive: true,
    });
    expect(mine.removed).toContain(liveId);
  });

  it("network 'bridge': the sandbox's own IP where the daemon has a bridge, else ERR_NETWORK_UNAVAILABLE", async () => {
    const networks = await (daemon as TestDaemon).docker.listNetworks();
    const runtime = makeRuntime({ network: 'bridge' });
    const { pod } = makePod();
    if (networks.some((n) => n.Name === 'bridge')) {
      const sandbox = await runtime.runPodSandbox(pod, { signal });
      expect(sandbox.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(sandbox.podIP).not.toBe('127.0.0.1');
    } else {
      const error = await rejection(runtime.runPodSandbox(pod, { signal }));
      expect(error.code).toBe('ERR_NETWORK_UNAVAILABLE');
      expect(error.message).toContain("network: 'host'");
    }
  });
});

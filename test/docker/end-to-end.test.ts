/**
 * The seed's pod on Docker through LifecycleManager (startContainer / deletePod): postStart writes
 * /usr/share/message, `exec` reads it back, preStop ends the main process within the grace (an
 * exec quit command, and an httpGet served by busybox httpd standing in for nginx), SIGKILL when
 * the grace runs out, exits learnt from `waitContainer`, and nothing left behind.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Lifecycle, Pod } from '../../src/api/types.js';
import { DockerRuntime } from '../../src/docker/index.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import type { ContainerRef } from '../../src/ports/runtime.js';
import { acquireDaemon, type TestDaemon } from './helpers/daemon.js';
import { ensureTestImage, TEST_IMAGE, TEST_SANDBOX_COMMAND } from './helpers/test-image.js';

const availability = await acquireDaemon();
const daemon: TestDaemon | undefined = availability.isAvailable ? availability.daemon : undefined;

beforeAll(async () => {
  if (daemon !== undefined) await ensureTestImage(daemon.docker);
}, 120_000);
afterAll(async () => daemon?.stop(), 60_000);

/** A free TCP port on the host (pods share the host network under `network: 'host'`). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Does something accept connections on 127.0.0.1:port? */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('connect', () => socket.destroy());
  });
}

const sh = (script: string) => ({ exec: { command: ['sh', '-c', script] } });

describe.skipIf(daemon === undefined)('end to end through LifecycleManager on DockerRuntime', () => {
  let runtime: DockerRuntime;
  let manager: LifecycleManager;
  let events: KubeEvent[];
  let refs: Map<string, ContainerRef>;
  const controller = new AbortController();

  /** The manager as the pod worker will run it: sandbox first, then exits from waitContainer. */
  async function setUp(pod: Pod): Promise<Pod> {
    const d = daemon as TestDaemon;
    events = [];
    refs = new Map();
    runtime = new DockerRuntime({
      docker: { socketPath: d.socketPath },
      network: 'host',
      sandboxImage: TEST_IMAGE,
      sandboxCommand: TEST_SANDBOX_COMMAND,
    });
    const sandbox = await runtime.runPodSandbox(pod, { signal: controller.signal });
    expect(sandbox.podIP).toBe('127.0.0.1');
    const withIP: Pod = { ...pod, status: { podIP: sandbox.podIP as string } };
    const startContainer = runtime.startContainer.bind(runtime);
    runtime.startContainer = async (p, container, options) => {
      const started = await startContainer(p, container, options);
      const meta = p.metadata ?? {};
      const ref: ContainerRef = {
        id: started.id,
        name: container.name,
        podName: meta.name ?? '',
        podNamespace: meta.namespace ?? 'default',
        podUID: meta.uid ?? '',
      };
      refs.set(container.name, ref);
      runtime.waitContainer(ref, { signal: controller.signal }).then(
        (exit) => manager.notifyExited(withIP, container.name, { exitCode: exit.exitCode }),
        () => undefined,
      );
      return started;
    };
    manager = new LifecycleManager({ runtime, httpClient: new NodeHttpClient() });
    manager.on('event', (event) => events.push(event));
    return withIP;
  }

  afterEach(async () => {
    const run = runtime.runId;
    await runtime.dispose();
    const left = await (daemon as TestDaemon).docker.listContainers({
      all: true,
      filters: { label: [`dev.kube-lifecycle.run=${run}`] },
    });
    expect(left.map((c) => c.Names)).toEqual([]);
  }, 60_000);
  afterAll(() => controller.abort());

  function makePod(name: string, script: string, lifecycle: Lifecycle, terminationGracePeriodSeconds: number): Pod {
    const container: Container = { name: 'web', image: TEST_IMAGE, command: ['sh', '-c', script], lifecycle };
    return {
      metadata: { name, namespace: 'default', uid: `uid-${name}` },
      spec: { containers: [container], terminationGracePeriodSeconds },
    };
  }

  /** Ignores SIGTERM (as nginx waits for `nginx -s quit` here): only the quit file ends it, with 0. */
  const QUITS_ON_FILE = 'trap "" TERM; while [ ! -f /tmp/quit ]; do sleep 0.05; done; exit 0';

  it('seed: postStart writes the message, exec reads it back, preStop quits within the grace', async () => {
    const pod = await setUp(
      makePod(
        'lifecycle-demo',
        QUITS_ON_FILE,
        {
          postStart: sh('mkdir -p /usr/share && echo Hello from the postStart handler > /usr/share/message'),
          preStop: sh('touch /tmp/quit'), // as `nginx -s quit`: asks, returns at once
        },
        10,
      ),
    );
    const started = await manager.startContainer(pod, 'web');
    expect(started.outcome).toBe('running');
    const ref = refs.get('web') as ContainerRef;
    const read = await runtime.exec(ref, ['cat', '/usr/share/message'], { signal: controller.signal });
    expect(read).toEqual({ exitCode: 0, stdout: 'Hello from the postStart handler\n', stderr: '' });

    const t0 = performance.now();
    const result = await manager.deletePod(pod);
    // The preStop exec ends with the container (its main process exits once /tmp/quit exists).
    expect(performance.now() - t0).toBeLessThan(8_000);
    expect(result.containers[0]?.outcome).toBe('stopped');
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', exitCode: 0, containerID: ref.id });
    // Pulled: the image event through startContainer's onEvent, the kubelet's message (spec pod §4.6).
    expect(events.map((e) => e.reason)).toEqual(['Pulled', 'Started', 'Killing']);
    expect(events[0]?.message).toBe(`Container image "${TEST_IMAGE}" already present on machine`);
    const info = await (daemon as TestDaemon).docker.getContainer(ref.id).inspect();
    expect(info.Name).toBe(`/k8s_web_lifecycle-demo_default_uid-lifecycle-demo_0_${runtime.runId}`);
    expect(info.Config.Labels).toMatchObject({
      'io.kubernetes.pod.name': 'lifecycle-demo',
      'io.kubernetes.pod.namespace': 'default',
      'io.kubernetes.pod.uid': 'uid-lifecycle-demo',
      'io.kubernetes.container.name': 'web',
    });
  });

  it('httpGet preStop reaches busybox httpd on the pod IP (nginx stand-in), then the container exits 0', async () => {
    const port = await freePort();
    // A CGI script: answers 200 (CRLF headers, as Node's parser requires) and asks the main process to quit.
    const cgi = `echo '#!/bin/sh' > /www/cgi-bin/quit && echo 'printf "Content-Type: text/plain\\r\\n\\r\\nbye\\n"; touch /tmp/quit' >> /www/cgi-bin/quit`;
    const pod = await setUp(
      makePod(
        'httpd',
        `mkdir -p /www/cgi-bin && ${cgi} && chmod +x /www/cgi-bin/quit && ` +
          `httpd -p 127.0.0.1:${port} -h /www && ${QUITS_ON_FILE}`,
        { preStop: { httpGet: { path: '/cgi-bin/quit', port } } },
        10,
      ),
    );
    await manager.startContainer(pod, 'web');
    await expect.poll(() => accepts(port), { timeout: 10_000 }).toBe(true); // httpd is up
    const result = await manager.deletePod(pod);
    expect(events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect(result.containers[0]?.preStop.outcome).toBe('succeeded');
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(events.filter((e) => e.type === 'Warning')).toEqual([]);
  });

  it('SIGKILL when the grace runs out: exit code 137 from waitContainer (spec §4.2-C.7)', async () => {
    const pod = await setUp(makePod('stubborn', 'trap "" TERM; while :; do sleep 0.05; done', {}, 1));
    await manager.startContainer(pod, 'web');
    const t0 = performance.now();
    const result = await manager.stopContainer(pod, 'web');
    expect(result.stopTimeoutSeconds).toBe(2); // grace 1, minimum 2 (spec §4.2-C.7)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_900);
    await expect.poll(() => manager.status(pod, 'web').exitCode, { timeout: 5_000 }).toBe(137);
  });

  it('a container exiting by itself is reported through waitContainer → notifyExited', async () => {
    const pod = await setUp(makePod('exits', 'sleep 0.3; exit 3', {}, 2));
    await manager.startContainer(pod, 'web');
    await expect.poll(() => manager.status(pod, 'web').state, { timeout: 10_000 }).toBe('Terminated');
    expect(manager.status(pod, 'web').exitCode).toBe(3);
    const exit = await runtime.waitContainer(refs.get('web') as ContainerRef, { signal: controller.signal });
    expect(exit).toEqual({ exitCode: 3 });
  });

  it('stopPodSandbox removes the pod: its containers and the sandbox', async () => {
    const pod = await setUp(makePod('sandboxed', 'trap "exit 0" TERM; while :; do sleep 0.05; done', {}, 5));
    const sandbox = await runtime.runPodSandbox(pod, { signal: controller.signal }); // the same sandbox
    await manager.startContainer(pod, 'web');
    const ref = refs.get('web') as ContainerRef;
    const info = await (daemon as TestDaemon).docker.getContainer(ref.id).inspect();
    expect(info.HostConfig.NetworkMode).toBe(`container:${sandbox.id}`);
    await manager.deletePod(pod);
    await runtime.stopPodSandbox(sandbox.id, { signal: controller.signal });
    const left = await (daemon as TestDaemon).docker.listContainers({
      all: true,
      filters: { label: [`io.kubernetes.pod.uid=uid-sandboxed`] },
    });
    expect(left).toEqual([]);
  });
});

/**
 * The seed example (issue 6 "End-to-end") through LifecycleManager on real adapters: a postStart
 * that writes a file, a preStop that runs a quit command, SIGKILL when the grace runs out, and
 * httpGet preStop hooks against real loopback servers over HTTP, HTTPS and the HTTPS→HTTP fallback.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Lifecycle, Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { OciRuntime } from '../../src/node/oci-runtime.js';
import { ProcessRuntime } from '../../src/node/process-runtime.js';
import { buildBusyboxRootfs, removeRootfs } from './helpers/busybox-rootfs.js';
import { checkOciPrerequisites, ociSkipReason } from './helpers/oci-prerequisites.js';
import { startHttpServer, startHttpsServer, type TestServer } from './helpers/servers.js';

/** A runtime under test: where the container's `$DIR` is, seen from inside and from the host. */
interface Harness {
  readonly runtime: ProcessRuntime | OciRuntime;
  /** `$DIR` as the container sees it. */
  readonly dir: string;
  /** The same directory on the host. */
  readonly hostDir: string;
  dispose(): Promise<void>;
}

const oci = checkOciPrerequisites();
const ociSkip = ociSkipReason(oci);
let rootfs = '';

beforeAll(() => {
  if (oci.isAvailable) rootfs = buildBusyboxRootfs(oci.busybox);
});
afterAll(() => {
  if (rootfs !== '') removeRootfs(rootfs);
});

const harnesses: Record<string, () => Harness> = {
  ProcessRuntime: () => {
    const hostDir = mkdtempSync(join(tmpdir(), 'kl-e2e-'));
    const runtime = new ProcessRuntime();
    return {
      runtime,
      dir: hostDir,
      hostDir,
      dispose: async () => {
        await runtime.dispose();
        expect(runtime.runningContainerIds()).toEqual([]);
        rmSync(hostDir, { recursive: true, force: true });
      },
    };
  },
  OciRuntime: () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kl-e2e-oci-'));
    const runtimeRoot = join(stateDir, 'runc-root');
    const runtime = new OciRuntime({ rootfs, stateDir: join(stateDir, 'bundles'), runtimeRoot });
    const hostDir = join(rootfs, 'tmp');
    for (const f of readdirSync(hostDir)) rmSync(join(hostDir, f), { recursive: true, force: true });
    return {
      runtime,
      dir: '/tmp',
      hostDir,
      dispose: async () => {
        await runtime.dispose();
        expect(execFileSync('runc', ['--root', runtimeRoot, 'list', '-q'], { encoding: 'utf8' }).trim()).toBe('');
        expect(existsSync(join(stateDir, 'bundles'))).toBe(false);
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  },
};

describe.each(Object.keys(harnesses))('end to end through LifecycleManager on %s', (name) => {
  const isSkipped = name === 'OciRuntime' && ociSkip !== undefined;
  let harness: Harness;
  let manager: LifecycleManager;
  let events: KubeEvent[];
  const pods = new Map<string, Pod>();
  const servers: TestServer[] = [];

  function setUp(): void {
    events = [];
    harness = (harnesses[name] as () => Harness)(); // exits reach the manager through waitContainer
    manager = new LifecycleManager({ runtime: harness.runtime, httpClient: new NodeHttpClient() });
    manager.on('event', (event) => events.push(event));
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await harness?.dispose();
    pods.clear();
  });

  const read = (file: string): string => {
    try {
      return readFileSync(join(harness.hostDir, file), 'utf8');
    } catch {
      return '';
    }
  };

  /** A pod whose main container is a shell script; `$DIR` is the shared directory. */
  function makePod(podName: string, script: string, lifecycle: Lifecycle, terminationGracePeriodSeconds: number): Pod {
    const container: Container = {
      name: 'main',
      command: ['sh', '-c', script],
      env: [{ name: 'DIR', value: harness.dir }],
      lifecycle,
    };
    const pod: Pod = {
      metadata: { name: podName, namespace: 'default', uid: `uid-${podName}` },
      spec: { containers: [container], terminationGracePeriodSeconds },
      status: { podIP: harness.runtime.podIP },
    };
    pods.set(podName, pod);
    return pod;
  }
  const sh = (script: string) => ({ exec: { command: ['sh', '-c', script] } });
  /** Main process: logs "term" and exits on SIGTERM, otherwise loops. */
  const GRACEFUL = 'trap "echo term >> $DIR/log; exit 0" TERM; while :; do sleep 0.05; done';

  it.skipIf(isSkipped)("seed: postStart writes the message, preStop's quit command ends the main process", async () => {
    setUp();
    // The main process ignores SIGTERM: only the quit command (as `nginx -s quit`) ends it quickly.
    const pod = makePod(
      'seed',
      'trap "" TERM; while [ ! -f $DIR/quit ]; do sleep 0.05; done; echo quitting >> $DIR/log',
      {
        postStart: sh('echo Hello from the postStart handler > $DIR/message'),
        preStop: sh('echo prestop >> $DIR/log; touch $DIR/quit'),
      },
      3,
    );
    const started = await manager.startContainer(pod, 'main');
    expect(started.outcome).toBe('running');
    expect(manager.status(pod, 'main').state).toBe('Running');
    expect(read('message')).toBe('Hello from the postStart handler\n');

    const t0 = performance.now();
    const result = await manager.deletePod(pod);
    expect(performance.now() - t0).toBeLessThan(2000); // well inside the 3 s grace: no SIGKILL needed
    expect(result.containers[0]).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'succeeded' } });
    expect(read('log')).toBe('prestop\nquitting\n');
    expect(manager.status(pod, 'main')).toMatchObject({ state: 'Terminated', exitCode: 0 });
  });

  it.skipIf(isSkipped)('preStop runs to completion before the stop signal', async () => {
    setUp();
    const pod = makePod('order', GRACEFUL, { preStop: sh('sleep 0.3; echo prestop >> $DIR/log') }, 3);
    await manager.startContainer(pod, 'main');
    const result = await manager.stopContainer(pod, 'main');
    expect(result.preStop.outcome).toBe('succeeded');
    expect(read('log')).toBe('prestop\nterm\n');
    expect(events.map((e) => e.reason)).toEqual(['Started', 'Killing']);
  });

  it.skipIf(isSkipped)('a main process ignoring SIGTERM is SIGKILLed when the grace runs out', async () => {
    setUp();
    const pod = makePod('stubborn', 'trap "" TERM; echo ready > $DIR/ready; while :; do sleep 0.05; done', {}, 1);
    await manager.startContainer(pod, 'main');
    await expect.poll(() => read('ready'), { timeout: 5000 }).toBe('ready\n');
    const t0 = performance.now();
    const result = await manager.stopContainer(pod, 'main');
    const elapsedMs = performance.now() - t0;
    expect(result.stopTimeoutSeconds).toBe(2); // grace 1, minimum 2 (spec §4.2-C.7)
    expect(elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(elapsedMs).toBeLessThan(5000);
    expect(manager.status(pod, 'main')).toMatchObject({ state: 'Terminated', exitCode: 137 });
  });

  it.skipIf(isSkipped)('a container exiting by itself is reported through waitContainer', async () => {
    setUp();
    const pod = makePod('exits', 'sleep 0.3; exit 3', {}, 2);
    await manager.startContainer(pod, 'main');
    await expect.poll(() => manager.status(pod, 'main').state, { timeout: 5000 }).toBe('Terminated');
    expect(manager.status(pod, 'main').exitCode).toBe(3);
  });

  it.skipIf(isSkipped)(
    'httpGet preStop reaches loopback servers over HTTP, HTTPS and the HTTPS→HTTP fallback',
    async () => {
      setUp();
      const plain = await startHttpServer();
      const secure = await startHttpsServer();
      servers.push(plain, secure);
      const cases: Array<[string, TestServer, string]> = [
        ['http', plain, 'HTTP'],
        ['https', secure, 'HTTPS'],
        ['fallback', plain, 'HTTPS'],
      ];
      for (const [podName, server, scheme] of cases) {
        const pod = makePod(
          podName,
          GRACEFUL,
          { preStop: { httpGet: { path: `/quit-${podName}`, port: server.port, scheme } } },
          3,
        );
        await manager.startContainer(pod, 'main');
        const result = await manager.deletePod(pod);
        expect(result.containers[0]?.preStop.outcome).toBe('succeeded');
      }
      expect(plain.seen.map((s) => s.url)).toEqual(['/quit-http', '/quit-fallback']);
      expect(secure.seen.map((s) => s.url)).toEqual(['/quit-https']);
      const fallback = events.filter((e) => e.reason === 'LifecycleHTTPFallback');
      expect(fallback).toHaveLength(1);
      expect(fallback[0]?.message).toBe(
        `request to HTTPS lifecycle hook 127.0.0.1:${plain.port} got HTTP response, retry with HTTP succeeded`,
      );
      expect(events.filter((e) => e.reason === 'FailedPreStopHook')).toEqual([]);
    },
  );
});

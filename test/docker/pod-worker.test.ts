/**
 * The pod worker on Docker (DESIGN §10-§12): `startPod` with a liveness probe that starts failing
 * (spec pod §6: Unhealthy, Killing with the probe's message, restart), the image event as a
 * manager event (spec pod §4.6), exec output capped like the node adapters', and cleanup; and
 * `run` interrupted while the sandbox is being created leaves nothing behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { main } from '../../src/cli/cli.js';
import { EXEC_OUTPUT_CAP_BYTES } from '../../src/docker/container-ops.js';
import { DockerRuntime } from '../../src/docker/index.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { DEFAULT_OUTPUT_CAP_BYTES, truncationMarker } from '../../src/node/index.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { systemClock } from '../../src/ports/system-clock.js';
import { testIo } from '../cli/helpers.js';
import { acquireDaemon, type TestDaemon } from './helpers/daemon.js';
import { ensureTestImage, TEST_IMAGE, TEST_SANDBOX_COMMAND } from './helpers/test-image.js';

const availability = await acquireDaemon();
const daemon: TestDaemon | undefined = availability.isAvailable ? availability.daemon : undefined;
if (!availability.isAvailable) console.log(`docker pod-worker tests skipped: ${availability.reason}`);
const dir = mkdtempSync(join(tmpdir(), 'kl-docker-worker-'));
const savedHost = process.env['DOCKER_HOST'];

beforeAll(async () => {
  if (daemon === undefined) return;
  await ensureTestImage(daemon.docker);
  process.env['DOCKER_HOST'] = `unix://${daemon.socketPath}`;
}, 300_000);
afterAll(async () => {
  if (savedHost === undefined) delete process.env['DOCKER_HOST'];
  else process.env['DOCKER_HOST'] = savedHost;
  rmSync(dir, { recursive: true, force: true });
  await daemon?.stop();
}, 60_000);

async function until(predicate: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; so far:\n${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(daemon === undefined)('the pod worker on DockerRuntime (real daemon)', () => {
  it('liveness probe failing: Unhealthy, Killing, restart (spec pod §6); Pulled as an event; exec capped; nothing left', async () => {
    const d = daemon as TestDaemon;
    const runtime = new DockerRuntime({
      docker: { socketPath: d.socketPath },
      network: 'host',
      sandboxImage: TEST_IMAGE,
      sandboxCommand: TEST_SANDBOX_COMMAND,
    });
    const events: KubeEvent[] = [];
    const manager = new LifecycleManager({
      runtime,
      httpClient: new NodeHttpClient(),
      clock: systemClock,
      crashLoopBackOff: { initialSeconds: 1, maxSeconds: 2 },
    });
    manager.on('event', (e) => events.push(e));
    // Healthy for ~2 s (the marker exists), then the liveness exec fails and the kubelet kills
    // and restarts it (every instance has its own filesystem: healthy again, then not).
    const pod: Pod = {
      metadata: { name: 'liveness', namespace: 'default', uid: `uid-liveness-${runtime.runId}` },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: 'app',
            image: TEST_IMAGE,
            command: ['sh', '-c', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; while true; do sleep 0.2; done'],
            livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
      },
    };
    try {
      const status = await manager.startPod(pod);
      expect(status.phase).toBe('Running');
      const first = manager.podStatus(pod).containerStatuses[0];
      const ref = {
        id: first?.containerID as string,
        name: 'app',
        podName: 'liveness',
        podNamespace: 'default',
        podUID: pod.metadata?.uid as string,
      };
      // exec output is capped as the node adapters cap it (DEFAULT_OUTPUT_CAP_BYTES).
      expect(EXEC_OUTPUT_CAP_BYTES).toBe(DEFAULT_OUTPUT_CAP_BYTES);
      const big = await runtime.exec(
        ref,
        ['sh', '-c', `head -c ${EXEC_OUTPUT_CAP_BYTES + 5000} /dev/zero | tr '\\0' a`],
        {
          signal: AbortSignal.timeout(30_000),
        },
      );
      expect(big.exitCode).toBe(0);
      expect(big.stdout).toBe('a'.repeat(EXEC_OUTPUT_CAP_BYTES) + truncationMarker(EXEC_OUTPUT_CAP_BYTES));

      await manager.waitForPod(pod, (s) => (s.containerStatuses[0]?.restartCount ?? 0) >= 1, { timeoutMs: 30_000 });
      const reasons = events.map((e) => e.reason);
      expect(reasons.slice(0, 3)).toEqual(['Pulled', 'Created', 'Started']);
      const unhealthy = events.find((e) => e.reason === 'Unhealthy');
      expect(unhealthy?.type).toBe('Warning');
      expect(unhealthy?.message).toMatch(/^Liveness probe failed/);
      const killing = events.find((e) => e.reason === 'Killing');
      expect(killing?.message).toBe('Container app failed liveness probe, will be restarted');
      const after = manager.podStatus(pod).containerStatuses[0];
      expect(after?.lastState.terminated?.exitCode).toBeGreaterThan(0); // 137 or 143: killed
      expect(after?.containerID).not.toBe(ref.id); // a new Docker container
    } finally {
      await manager.deletePod(pod, { gracePeriodSeconds: 1 });
      await runtime.dispose();
    }
    const left = await d.docker.listContainers({
      all: true,
      filters: { label: [`dev.kube-lifecycle.run=${runtime.runId}`] },
    });
    expect(left).toEqual([]);
  }, 120_000);

  it('run: Ctrl-C while the sandbox is being created deletes the pod and leaves nothing behind (exit 0)', async () => {
    const file = join(dir, 'early.yaml');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Pod\nmetadata: { name: early }\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n  - { name: app, image: ${TEST_IMAGE}, command: ["sleep", "60"] }\n`,
    );
    const t = testIo();
    const done = main(
      [
        'run',
        file,
        '--runtime',
        'docker',
        '--network',
        'host',
        '--sandbox-image',
        TEST_IMAGE,
        '--sandbox-command',
        TEST_SANDBOX_COMMAND.join(' '),
      ],
      t.io,
    );
    // The banner is printed before the worker asks for the sandbox: interrupt right then.
    await until(
      () => t.output().stdout.includes('running pod early'),
      () => t.output().stdout,
    );
    t.interrupt();
    expect(await done, t.output().stdout + t.output().stderr).toBe(0);
    expect(t.output().stdout).not.toMatch(/container app is Running|Normal\s+Started/);
    const left = await (daemon as TestDaemon).docker.listContainers({
      all: true,
      filters: { label: ['io.kubernetes.pod.name=early'] },
    });
    expect(left).toEqual([]);
  }, 120_000);
});

describe.skipIf(daemon === undefined)('run interrupted during an image pull (real daemon)', () => {
  it('Ctrl-C while the daemon pulls from a registry that never answers: the pull is abandoned, exit 0, nothing left', async () => {
    // A "registry" on 127.0.0.1 (Docker talks plain HTTP to loopback registries) that accepts the
    // connection and never answers: the pull hangs until it is aborted.
    const held = new Set<import('node:net').Socket>();
    const { createServer } = await import('node:net');
    const registry = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const port = (registry.address() as import('node:net').AddressInfo).port;
    try {
      const file = join(dir, 'pulling.yaml');
      writeFileSync(
        file,
        `apiVersion: v1\nkind: Pod\nmetadata: { name: pulling }\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n  - { name: app, image: "127.0.0.1:${port}/hang/app:1", command: ["sleep", "60"] }\n`,
      );
      const t = testIo();
      const done = main(
        [
          'run',
          file,
          '--runtime',
          'docker',
          '--network',
          'host',
          '--sandbox-image',
          TEST_IMAGE,
          '--sandbox-command',
          TEST_SANDBOX_COMMAND.join(' '),
        ],
        t.io,
      );
      await until(
        () => /Normal\s+Pulling\s+app: Pulling image/.test(t.output().stdout) && held.size > 0,
        () => t.output().stdout,
      );
      const interruptedAt = Date.now();
      t.interrupt();
      expect(await done, t.output().stdout + t.output().stderr).toBe(0);
      expect(Date.now() - interruptedAt).toBeLessThan(15_000);
      expect(t.output().stdout).not.toMatch(/container app is Running/);
      const left = await (daemon as TestDaemon).docker.listContainers({
        all: true,
        filters: { label: ['io.kubernetes.pod.name=pulling'] },
      });
      expect(left).toEqual([]);
    } finally {
      for (const s of held) s.destroy();
      registry.close();
    }
  }, 120_000);
});

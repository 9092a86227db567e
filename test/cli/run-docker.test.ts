/**
 * `kube-lifecycle run --runtime docker` (issue 16 item 5) against a real daemon: the one
 * DOCKER_HOST names, else a private dockerd (test/docker/helpers). Skips with a printed reason
 * only when no daemon can be started at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { progressBar, pullReporter } from '../../src/cli/run-runtime.js';
import type { DockerPullEvent } from '../../src/docker/index.js';
import { acquireDaemon, type TestDaemon } from '../docker/helpers/daemon.js';
import { ensureTestImage, TEST_IMAGE, TEST_SANDBOX_COMMAND } from '../docker/helpers/test-image.js';
import { testIo } from './helpers.js';

const availability = await acquireDaemon();
const daemon: TestDaemon | undefined = availability.isAvailable ? availability.daemon : undefined;
const dir = mkdtempSync(join(tmpdir(), 'kl-cli-docker-'));
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

async function until(predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const FLAGS = ['--network', 'host', '--sandbox-image', TEST_IMAGE, '--sandbox-command', TEST_SANDBOX_COMMAND.join(' ')];

describe.skipIf(daemon === undefined)('kube-lifecycle run --runtime docker (real daemon)', () => {
  it('runs the pod in Docker: image present, postStart/preStop exec in the container, Ctrl-C deletes it (exit 0)', async () => {
    const file = join(dir, 'web.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  terminationGracePeriodSeconds: 10
  containers:
  - name: app
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]
    lifecycle:
      postStart: { exec: { command: ["sh", "-c", "echo started > /tmp/poststart"] } }
      preStop: { exec: { command: ["sh", "-c", "test -f /tmp/poststart && sleep 1"] } }
`,
    );
    for (const runtimeFlags of [['--runtime', 'docker'], []]) {
      const t = testIo();
      const done = main(['run', file, ...runtimeFlags, ...FLAGS], t.io);
      await until(() => t.output().stdout.includes('container app is Running') || t.output().stderr !== '');
      const out = t.output().stdout;
      // the default when a daemon answers on DOCKER_HOST and no runtime is named
      expect(out, t.output().stderr).toMatch(/running pod web \(uid [0-9a-f-]{36}\) on Docker \(DockerRuntime, /);
      expect(out).toMatch(
        /\+\d+\.\ds\s+Normal\s+Pulled\s+app: Container image "kube-lifecycle-test\/busybox:static" already present on machine/,
      );
      t.interrupt();
      expect(await done).toBe(0);
      const end = t.output().stdout;
      expect(end).toMatch(/Normal\s+Killing\s+app: Stopping container app/);
      expect(end).toMatch(/app: stopped, preStop succeeded after 1(\.\d)?s/);
      expect(end).toMatch(/container app exited with code 0/);
    }
    const left = await daemon?.docker.listContainers({ all: true, filters: { label: ['io.kubernetes.pod.name=web'] } });
    expect(left).toEqual([]);
  }, 180_000);

  it('the seed walkthrough in two terminals (README): postStart writes /usr/share/message, exec reads it, describe, Ctrl-C runs preStop', async () => {
    const file = join(dir, 'lifecycle-demo.yaml');
    // docs/examples/lifecycle-demo.yaml with the test image for nginx (no registry on CI machines):
    // the same hooks (busybox has no /usr/share: the postStart makes it first); the preStop's
    // "nginx -s quit" becomes a marker and a sleep.
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata: { name: lifecycle-demo }
spec:
  containers:
  - name: lifecycle-demo-container
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM QUIT; while true; do sleep 0.2; done"]
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "mkdir -p /usr/share && echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh", "-c", "echo stopping > /tmp/prestop; sleep 1"]
`,
    );
    const t = testIo();
    const done = main(['run', file, '--runtime', 'docker', ...FLAGS], t.io);
    await until(
      () => t.output().stdout.includes('container lifecycle-demo-container is Running') || t.output().stderr !== '',
    );
    const e = testIo();
    expect(await main(['exec', 'lifecycle-demo', '--', 'cat', '/usr/share/message'], e.io), e.output().stderr).toBe(0);
    expect(e.output().stdout).toBe('Hello from the postStart handler\n');
    const d = testIo();
    expect(await main(['describe', 'lifecycle-demo'], d.io)).toBe(0);
    const text = d.output().stdout;
    expect(text).toMatch(/^Runtime:\s+Docker \(DockerRuntime, /m);
    expect(text).toMatch(/^ {4}Container ID:\s+docker:\/\/[0-9a-f]{64}$/m);
    expect(text).toMatch(/^ {4}Image:\s+kube-lifecycle-test\/busybox:static$/m);
    expect(text).toMatch(/^ {4}State:\s+Running$/m);
    // spec pod §4.6: the image event is a manager event (RuntimeEvent through startContainer's onEvent).
    expect(text).toMatch(
      /Normal\s+Pulled\s+\S+\s+kubelet\s+spec\.containers\{lifecycle-demo-container\}: Container image "kube-lifecycle-test\/busybox:static" already present on machine/,
    );
    expect(t.output().stdout).toMatch(/\+\d+\.\ds\s+Normal\s+Pulled\s+lifecycle-demo-container: Container image/);
    expect(t.output().stdout).not.toMatch(/^pull\s+Normal\s+Pulled\s+lifecycle-demo-container/m);
    expect(text).toMatch(
      /Normal\s+Started\s+\S+\s+kubelet\s+spec\.containers\{lifecycle-demo-container\}: Container started/,
    );
    t.interrupt();
    expect(await done).toBe(0);
    expect(t.output().stdout).toMatch(/lifecycle-demo-container: stopped, preStop succeeded after 1(\.\d)?s/);
    if (process.env['KL_SHOW_WALKTHROUGH'] === '1') console.log(`${t.output().stdout}\n${e.output().stdout}\n${text}`);
    const left = await daemon?.docker.listContainers({
      all: true,
      filters: { label: ['io.kubernetes.pod.name=lifecycle-demo'] },
    });
    expect(left).toEqual([]);
  }, 180_000);

  it('restartPolicy Never: a container whose image is absent under --pull-policy Never fails the pod: exit 1, no hang', async () => {
    const file = join(dir, 'missing.yaml');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Pod\nmetadata: { name: missing }\nspec:\n  restartPolicy: Never\n  containers:\n  - { name: app, image: "kube-lifecycle-test/absent:1" }\n`,
    );
    const t = testIo();
    expect(await main(['run', file, '--runtime', 'docker', ...FLAGS, '--pull-policy', 'Never'], t.io)).toBe(1);
    expect(t.output().stdout).toMatch(/\+\d+\.\ds\s+Warning\s+ErrImageNeverPull\s+app: /);
    expect(t.output().stdout).toMatch(/container app did not become Running: RunContainerError/);
  }, 120_000);
});

describe('kube-lifecycle run --runtime docker without a daemon', () => {
  it('says no daemon answers (exit 2)', async () => {
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = `unix://${join(dir, 'no-such.sock')}`;
    try {
      const t = testIo();
      writeFileSync(
        join(dir, 'p.yaml'),
        'kind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n  - { name: a, image: b }\n',
      );
      expect(await main(['run', join(dir, 'p.yaml'), '--runtime', 'docker'], t.io)).toBe(2);
      expect(t.output().stderr).toMatch(
        /--runtime docker: no Docker daemon answers at .*no-such\.sock \(start one, or set DOCKER_HOST\)/,
      );
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });
});

describe('run --runtime docker: the pull progress line (onPull)', () => {
  const base = {
    type: 'Normal',
    image: 'nginx:1.27',
    pod: { name: 'p', namespace: 'default', uid: 'u' },
    container: 'web',
  } as const;
  const events: DockerPullEvent[] = [
    { ...base, reason: 'Pulling', message: 'Pulling image "nginx:1.27"' },
    {
      ...base,
      reason: 'Progress',
      message: 'Downloading',
      progress: { status: 'Downloading', layer: 'a1b2', currentBytes: 1_000_000, totalBytes: 4_000_000 },
    },
    {
      ...base,
      reason: 'Progress',
      message: 'Downloading',
      progress: { status: 'Downloading', layer: 'a1b2', currentBytes: 2_000_000, totalBytes: 4_000_000 },
    },
    { ...base, reason: 'Progress', message: 'Pull complete', progress: { status: 'Pull complete', layer: 'a1b2' } },
    { ...base, reason: 'Pulled', message: 'Successfully pulled image "nginx:1.27" in 2.1s' },
  ];

  it('on a terminal: one line rewritten in place with the percentage', () => {
    const t = testIo();
    const controls: string[] = [];
    const report = pullReporter({ ...t.io, isTTY: true, control: (c) => controls.push(c) });
    for (const e of events) report(e);
    const out = t.output().stdout;
    expect(out).toContain('pull  nginx:1.27: a1b2 Downloading 25% of 4.0 MB');
    expect(out).toContain(`pull  nginx:1.27: a1b2 Downloading 50% of 4.0 MB [${'█'.repeat(12)}${'░'.repeat(12)}]`);
    expect(out).toMatch(/pull {2}Normal {3}Pulled {4}web: Successfully pulled image "nginx:1.27" in 2.1s\n$/);
    expect(controls.length).toBe(4);
  });

  it('the progress bar: clamped, whole cells, 24 wide', () => {
    expect(progressBar(0)).toBe(`[${'░'.repeat(24)}]`);
    expect(progressBar(0.25)).toBe(`[${'█'.repeat(6)}${'░'.repeat(18)}]`);
    expect(progressBar(1.5)).toBe(`[${'█'.repeat(24)}]`);
    expect(progressBar(Number.NaN)).toBe(`[${'░'.repeat(24)}]`);
  });

  it('on a pipe: the kubelet lines and the layer status changes, no byte counts', () => {
    const t = testIo();
    const report = pullReporter(t.io);
    for (const e of events) report(e);
    expect(t.output().stdout).toBe(
      'pull  Normal   Pulling   web: Pulling image "nginx:1.27"\npull  nginx:1.27: a1b2 Pull complete\npull  Normal   Pulled    web: Successfully pulled image "nginx:1.27" in 2.1s\n',
    );
  });

  it("run's reporter (containerEvents: skip): a container's kubelet lines come as manager events, the sandbox's stay", () => {
    const t = testIo();
    const report = pullReporter(t.io, { containerEvents: 'skip' });
    for (const e of events) report(e);
    report({
      ...base,
      container: 'POD',
      reason: 'Pulled',
      message: 'Container image "pause" already present on machine',
    });
    expect(t.output().stdout).toBe(
      'pull  nginx:1.27: a1b2 Pull complete\npull  Normal   Pulled    POD: Container image "pause" already present on machine\n',
    );
  });
});

/**
 * The testing kit's runtime conformance suite against DockerRuntime on a real daemon (a private
 * dockerd when none answers; `network: 'host'` since such a daemon has no bridge), with the
 * busybox image built by `docker import`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { DockerRuntime } from '../../src/docker/index.js';
import type { ContainerRef, Runtime } from '../../src/ports/runtime.js';
import { systemClock } from '../../src/ports/system-clock.js';
import {
  type ConformanceProcessBehaviour,
  type RuntimeConformanceHarness,
  registerConformanceCases,
  runtimeConformanceCases,
} from '../../src/testing/index.js';
import { acquireDaemon, type TestDaemon } from './helpers/daemon.js';
import { findPodman } from './helpers/podman.js';
import { containerStdout, ensureTestImage, TEST_IMAGE, TEST_SANDBOX_COMMAND } from './helpers/test-image.js';

const availability = await acquireDaemon();
const daemon: TestDaemon | undefined = availability.isAvailable ? availability.daemon : undefined;
const podman = await findPodman();

beforeAll(async () => {
  if (daemon !== undefined) await ensureTestImage(daemon.docker);
  if (podman !== undefined) await ensureTestImage(podman.docker);
}, 120_000);
afterAll(async () => daemon?.stop(), 60_000);

/** The main process prints each signal it catches (and `ready` once its traps are set) to stdout. */
function script(behaviour: ConformanceProcessBehaviour): string {
  const then = behaviour === 'exits-on-signal' ? '; exit 0' : '';
  return `trap 'echo SIGTERM${then}' TERM; trap 'echo SIGINT${then}' INT; echo ready; while :; do sleep 0.05; done`;
}

const commands: RuntimeConformanceHarness['commands'] = {
  exit: (r) => [
    'sh',
    '-c',
    'printf %s "$1"; printf %s "$2" >&2; exit "$3"',
    'sh',
    r.stdout,
    r.stderr,
    String(r.exitCode),
  ],
  echoArgs: (args) => ['sh', '-c', 'for a in "$@"; do printf "%s\\n" "$a"; done', 'sh', ...args],
  hang: () => ['sleep', '1000'],
};

const lines = async (docker: TestDaemon['docker'], id: string): Promise<string[]> =>
  (await containerStdout(docker, id)).split('\n').filter((l) => l !== '');

/** Wait for the main process's `ready` line, so the suite's immediate stop finds its traps set. */
function waitingForReady(runtime: Runtime, d: TestDaemon): Runtime {
  return {
    startContainer: async (pod, container, options) => {
      const started = await runtime.startContainer(pod, container, options);
      const t0 = performance.now();
      while (!(await lines(d.docker, started.id)).includes('ready')) {
        if (performance.now() - t0 > 10_000) throw new Error(`container ${started.id} never printed ready`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return started;
    },
    exec: (ref, command, options) => runtime.exec(ref, command, options),
    stopContainer: (ref, options) => runtime.stopContainer(ref, options),
  };
}

let caseNumber = 0;

function registerSuite(d: TestDaemon): void {
  registerConformanceCases(
    runtimeConformanceCases(() => {
      const runtime = new DockerRuntime({
        docker: { socketPath: d.socketPath },
        network: 'host',
        sandboxImage: TEST_IMAGE,
        sandboxCommand: TEST_SANDBOX_COMMAND,
      });
      return {
        runtime: waitingForReady(runtime, d),
        clock: systemClock,
        commands,
        container: (behaviour) => {
          caseNumber++;
          const container: Container = { name: behaviour, image: TEST_IMAGE, command: ['sh', '-c', script(behaviour)] };
          const pod: Pod = {
            metadata: { name: `conformance-${caseNumber}`, namespace: 'default', uid: `uid-c${caseNumber}` },
            spec: { containers: [container] },
          };
          return { pod, container };
        },
        observedSignals: async (ref: ContainerRef) => (await lines(d.docker, ref.id)).filter((l) => l !== 'ready'),
        cleanup: async () => {
          await runtime.dispose();
          const left = await d.docker.listContainers({
            all: true,
            filters: { label: [`dev.kube-lifecycle.run=${runtime.runId}`] },
          });
          expect(left.map((c) => c.Names)).toEqual([]);
        },
      };
    }),
    test,
  );
}

describe.skipIf(daemon === undefined)('Runtime conformance: DockerRuntime on Docker (network host)', () => {
  registerSuite(daemon as TestDaemon);
});

// Podman's Docker-compatible socket: the same adapter, tested when Podman is present.
describe.skipIf(podman === undefined)('Runtime conformance: DockerRuntime on Podman (network host)', () => {
  registerSuite(podman as TestDaemon);
});

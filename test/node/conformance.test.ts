/**
 * The testing kit's conformance suites run against the real adapters: ProcessRuntime (child
 * processes), OciRuntime (runc, when available) and NodeHttpClient (a real loopback server).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { OciRuntime } from '../../src/node/oci-runtime.js';
import { ProcessRuntime } from '../../src/node/process-runtime.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { systemClock } from '../../src/ports/system-clock.js';
import {
  type ConformanceProcessBehaviour,
  EXITS_BY_ITSELF_AFTER_MS,
  HTTP_CONFORMANCE_ROUTES,
  type HttpConformanceHarness,
  httpClientConformanceCases,
  type RuntimeConformanceHarness,
  registerConformanceCases,
  runtimeConformanceCases,
} from '../../src/testing/index.js';
import { buildBusyboxRootfs, removeRootfs } from './helpers/busybox-rootfs.js';
import { checkOciPrerequisites, ociSkipReason } from './helpers/oci-prerequisites.js';

/** The main process: notes SIGTERM/SIGINT in `$DIR/signals`, exits on them or not; writes `$DIR/ready`. */
function script(behaviour: ConformanceProcessBehaviour): string {
  if (behaviour === 'exits-by-itself')
    return `echo ready > "$DIR/ready"; sleep ${EXITS_BY_ITSELF_AFTER_MS / 1000}; exit 3`;
  const then = behaviour === 'exits-on-signal' ? '; exit 0' : '';
  return (
    `trap 'echo SIGTERM >> "$DIR/signals"${then}' TERM; trap 'echo SIGINT >> "$DIR/signals"${then}' INT; ` +
    'echo ready > "$DIR/ready"; while :; do sleep 0.05; done'
  );
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

/**
 * A started container has not necessarily installed its signal traps yet (neither has a real
 * pod's). The harness waits for the container's ready file after each start, so the suite's
 * immediate stop finds the traps in place.
 */
function waitingForReady(runtime: Runtime, hostDirOf: (pod: Pod) => string): Runtime {
  return {
    startContainer: async (pod, container, options) => {
      const started = await runtime.startContainer(pod, container, options);
      const ready = join(hostDirOf(pod), 'ready');
      const t0 = performance.now();
      while (!existsSync(ready)) {
        if (performance.now() - t0 > 5000) throw new Error(`container ${started.id} never wrote ${ready}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return started;
    },
    exec: (ref, command, options) => runtime.exec(ref, command, options),
    stopContainer: (ref, options) => runtime.stopContainer(ref, options),
    ...(runtime.waitContainer === undefined
      ? {}
      : { waitContainer: (ref, options) => (runtime.waitContainer as Wait).call(runtime, ref, options) }),
  };
}

type Wait = NonNullable<Runtime['waitContainer']>;

let caseNumber = 0;
const conformancePod = (containers: Container[]): Pod => {
  caseNumber++;
  return {
    metadata: { name: `conformance-${caseNumber}`, namespace: 'default', uid: `uid-c${caseNumber}` },
    spec: { containers },
  };
};

describe('Runtime conformance: ProcessRuntime', () => {
  registerConformanceCases(
    runtimeConformanceCases(() => {
      const dir = mkdtempSync(join(tmpdir(), 'kl-conf-'));
      const runtime = new ProcessRuntime();
      return {
        runtime: waitingForReady(runtime, () => dir),
        clock: systemClock,
        commands,
        container: (behaviour) => {
          const container: Container = {
            name: behaviour,
            command: ['sh', '-c', script(behaviour)],
            env: [{ name: 'DIR', value: dir }],
          };
          return { pod: conformancePod([container]), container };
        },
        observedSignals: () => readLines(join(dir, 'signals')),
        cleanup: async () => {
          await runtime.dispose();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }),
    test,
  );
});

const oci = checkOciPrerequisites();
const ociSkip = ociSkipReason(oci);

describe.skipIf(ociSkip !== undefined)('Runtime conformance: OciRuntime (runc)', () => {
  let rootfs = '';
  beforeAll(() => {
    if (oci.isAvailable) rootfs = buildBusyboxRootfs(oci.busybox);
  });
  afterAll(() => removeRootfs(rootfs));

  registerConformanceCases(
    runtimeConformanceCases(() => {
      const state = mkdtempSync(join(tmpdir(), 'kl-conf-oci-'));
      const runtimeRoot = join(state, 'runc-root');
      const runtime = new OciRuntime({ rootfs, runtimeRoot, stateDir: join(state, 'bundles') });
      /** Each pod gets its own directory under the shared rootfs's /tmp. */
      const dirOf = (pod: Pod): string => `/tmp/${pod.metadata?.name ?? ''}`;
      let current: Pod | undefined;
      return {
        runtime: waitingForReady(runtime, (pod) => join(rootfs, dirOf(pod))),
        clock: systemClock,
        commands,
        container: (behaviour) => {
          const container: Container = {
            name: behaviour,
            command: ['sh', '-c', `mkdir -p "$DIR"; ${script(behaviour)}`],
            env: [{ name: 'DIR', value: '' }],
          };
          current = conformancePod([container]);
          (container.env as Array<{ name: string; value: string }>)[0] = { name: 'DIR', value: dirOf(current) };
          return { pod: current, container };
        },
        observedSignals: () => readLines(join(rootfs, dirOf(current as Pod), 'signals')),
        cleanup: async () => {
          await runtime.dispose();
          expect(execFileSync('runc', ['--root', runtimeRoot, 'list', '-q'], { encoding: 'utf8' }).trim()).toBe('');
          expect(existsSync(join(state, 'bundles'))).toBe(false);
          rmSync(state, { recursive: true, force: true });
          if (current !== undefined) rmSync(join(rootfs, dirOf(current)), { recursive: true, force: true });
        },
      };
    }),
    test,
  );
});

describe('HttpClient conformance: NodeHttpClient', () => {
  registerConformanceCases(
    httpClientConformanceCases(async (): Promise<HttpConformanceHarness> => {
      const server = http.createServer((req, res) => {
        const route = HTTP_CONFORMANCE_ROUTES.find((r) => r.path === req.url);
        if (route === undefined) {
          res.writeHead(404).end();
          return;
        }
        if (route.delayMs === Infinity) return; // never answers
        res.writeHead(route.status, { ...route.headers, 'Content-Length': String(route.bodyBytes) });
        res.end(Buffer.alloc(route.bodyBytes, 'x'));
      });
      const sockets = new Set<net.Socket>();
      server.on('connection', (s) => {
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
      });
      const port = await listen(server);
      const closed = await listen(net.createServer(), true);
      return {
        client: new NodeHttpClient(),
        clock: systemClock,
        server: {
          url: (p) => `http://127.0.0.1:${port}${p}`,
          httpsUrlSpeakingPlainHttp: (p) => `https://127.0.0.1:${port}${p}`,
          refusedUrl: (p) => `http://127.0.0.1:${closed}${p}`,
        },
        cleanup: () =>
          new Promise<void>((resolve) => {
            for (const s of sockets) s.destroy();
            server.close(() => resolve());
          }),
      };
    }),
    test,
  );
});

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

/** Listen on 127.0.0.1; with `close`, close again at once and return the now refused port. */
async function listen(server: net.Server, close = false): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  if (close) await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * The shipped conformance suites run exactly as docs/adapters.md tells an adapter author to run
 * them ("Writing your own Runtime or HttpClient, and running the conformance suite"), against
 * ProcessRuntime and NodeHttpClient, through the runner-independent registration.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { type Runtime, systemClock } from '../../src/index.js';
import { NodeHttpClient, ProcessRuntime } from '../../src/node/index.js';
import {
  type ConformanceCase,
  HTTP_CONFORMANCE_ROUTES,
  httpClientConformanceCases,
  registerConformanceCases,
  runtimeConformanceCases,
  TestingError,
} from '../../src/testing/index.js';

const script = (exits: boolean) =>
  `trap 'echo SIGTERM >> "$DIR/signals"${exits ? '; exit 0' : ''}' TERM; ` +
  `trap 'echo SIGINT >> "$DIR/signals"${exits ? '; exit 0' : ''}' INT; ` +
  'echo ready > "$DIR/ready"; while :; do sleep 0.05; done';

const processHarness = () => {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
  const inner = new ProcessRuntime();
  const runtime: Runtime = {
    startContainer: async (pod, container, options) => {
      const started = await inner.startContainer(pod, container, options);
      while (!existsSync(join(dir, 'ready'))) await new Promise((r) => setTimeout(r, 5));
      return started;
    },
    exec: (ref, argv, options) => inner.exec(ref, argv, options),
    stopContainer: (ref, options) => inner.stopContainer(ref, options),
  };
  return {
    runtime,
    clock: systemClock,
    container: (behaviour: 'exits-on-signal' | 'ignores-signals') => {
      const container = {
        name: behaviour,
        command: ['sh', '-c', script(behaviour === 'exits-on-signal')],
        env: [{ name: 'DIR', value: dir }],
      };
      return { pod: { metadata: { name: 'conformance' }, spec: { containers: [container] } }, container };
    },
    observedSignals: () => {
      try {
        return readFileSync(join(dir, 'signals'), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    commands: {
      exit: (r: { stdout: string; stderr: string; exitCode: number }) => [
        'sh',
        '-c',
        'printf %s "$1"; printf %s "$2" >&2; exit "$3"',
        'sh',
        r.stdout,
        r.stderr,
        String(r.exitCode),
      ],
      echoArgs: (args: readonly string[]) => ['sh', '-c', 'for a in "$@"; do printf "%s\\n" "$a"; done', 'sh', ...args],
      hang: () => ['sleep', '1000'],
    },
    cleanup: async () => {
      await inner.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const httpHarness = async () => {
  const server = http.createServer((req, res) => {
    const route = HTTP_CONFORMANCE_ROUTES.find((r) => r.path === req.url);
    if (route === undefined) return void res.writeHead(404).end();
    if (route.delayMs === Infinity) return; // never answers
    res.writeHead(route.status, { ...route.headers, 'Content-Length': String(route.bodyBytes) });
    res.end(Buffer.alloc(route.bodyBytes));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    client: new NodeHttpClient(),
    clock: systemClock,
    server: {
      url: (p: string) => `http://127.0.0.1:${port}${p}`,
      httpsUrlSpeakingPlainHttp: (p: string) => `https://127.0.0.1:${port}${p}`,
      refusedUrl: (p: string) => `http://127.0.0.1:1${p}`,
    },
    cleanup: () => {
      server.closeAllConnections();
      server.close();
    },
  };
};

describe('runtimeConformanceCases × ProcessRuntime (docs/adapters.md harness, verbatim)', () => {
  registerConformanceCases(runtimeConformanceCases(processHarness), test);
});

describe('httpClientConformanceCases × NodeHttpClient (docs/adapters.md harness, verbatim)', () => {
  registerConformanceCases(httpClientConformanceCases(httpHarness), test);
});

describe('conformance cases are runner-independent plain { name, run } lists (docs/adapters.md)', () => {
  it('registerConformanceCases hands every case to any test(name, fn) function; prefix is applied', () => {
    const cases: ConformanceCase[] = [
      { name: 'a', run: async () => {} },
      { name: 'b', run: async () => {} },
    ];
    const got: string[] = [];
    registerConformanceCases(
      cases,
      (name, fn) => {
        got.push(name);
        expect(typeof fn).toBe('function');
      },
      { prefix: 'X: ' },
    );
    expect(got).toHaveLength(2);
    expect(got[0]).toContain('a');
    expect(got[0]!.startsWith('X: ')).toBe(true);
  });

  it('both suites are non-empty lists of uniquely named cases; building them calls no factory', () => {
    let calls = 0;
    const rt = runtimeConformanceCases(() => {
      calls++;
      return processHarness();
    });
    const hc = httpClientConformanceCases(() => {
      calls++;
      return httpHarness();
    });
    expect(calls).toBe(0);
    for (const list of [rt, hc]) {
      expect(list.length).toBeGreaterThan(3);
      expect(new Set(list.map((c) => c.name)).size).toBe(list.length);
      for (const c of list) expect(typeof c.run).toBe('function');
    }
  });

  it('a broken HttpClient fails a case with TestingError ERR_CONFORMANCE naming suite and case; cleanup still runs', async () => {
    let cleaned = 0;
    const cases = httpClientConformanceCases(
      () => ({
        client: { request: async () => ({ status: 200 }) }, // ignores everything: wrong for most routes
        clock: systemClock,
        server: {
          url: (p: string) => `http://127.0.0.1:9${p}`,
          httpsUrlSpeakingPlainHttp: (p: string) => `https://127.0.0.1:9${p}`,
          refusedUrl: (p: string) => `http://127.0.0.1:1${p}`,
        },
        cleanup: () => {
          cleaned++;
        },
      }),
      { promptMs: 200 },
    );
    let failures = 0;
    for (const c of cases) {
      const err = await c.run().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (err === undefined) continue;
      failures++;
      expect(err).toBeInstanceOf(TestingError);
      expect((err as TestingError).code).toBe('ERR_CONFORMANCE');
      expect((err as Error).message).toContain(c.name.replace(/^.*?:\s*/, '').slice(0, 10));
    }
    expect(failures).toBeGreaterThan(0);
    expect(cleaned).toBe(cases.length);
  });
});

describe('registration with node:test (docs/adapters.md: "vitest, jest, mocha or node:test")', () => {
  it('the HttpClient suite registered with node:test runs and passes against NodeHttpClient', async () => {
    const { execFile } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { fileURLToPath, pathToFileURL } = await import('node:url');
    const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'kl-nodetest-'));
    try {
      const file = join(dir, 'http-conformance.test.mts');
      const src = (p: string) => JSON.stringify(pathToFileURL(join(root, p)).href);
      writeFileSync(
        file,
        `
import http from 'node:http';
import { test } from 'node:test';
import { systemClock } from ${src('src/index.ts')};
import { NodeHttpClient } from ${src('src/node/index.ts')};
import { HTTP_CONFORMANCE_ROUTES, httpClientConformanceCases, registerConformanceCases } from ${src('src/testing/index.ts')};
registerConformanceCases(httpClientConformanceCases(async () => {
  const server = http.createServer((req, res) => {
    const route = HTTP_CONFORMANCE_ROUTES.find((r) => r.path === req.url);
    if (route === undefined) return void res.writeHead(404).end();
    if (route.delayMs === Infinity) return;
    res.writeHead(route.status, { ...route.headers, 'Content-Length': String(route.bodyBytes) });
    res.end(Buffer.alloc(route.bodyBytes));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    client: new NodeHttpClient(), clock: systemClock,
    server: {
      url: (p) => \`http://127.0.0.1:\${port}\${p}\`,
      httpsUrlSpeakingPlainHttp: (p) => \`https://127.0.0.1:\${port}\${p}\`,
      refusedUrl: (p) => \`http://127.0.0.1:1\${p}\`,
    },
    cleanup: () => { server.closeAllConnections(); server.close(); },
  };
}), test);
`,
      );
      const tsx = join(root, 'node_modules', '.bin', 'tsx');
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        execFile(tsx, ['--test', '--test-reporter=tap', file], { cwd: root, timeout: 60_000 }, (err, stdout) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout });
        });
      });
      expect(out.stdout).toMatch(/# pass [1-9]/);
      expect(out.stdout).toMatch(/# fail 0/);
      expect(out.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

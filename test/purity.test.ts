import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');
const shell = [/^src\/node\//, /^src\/cli\//, /^src\/ports\/system-clock\.ts$/];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const forbidden: ReadonlyArray<[RegExp, string]> = [
  [/from\s+['"]node:|require\(\s*['"]node:|import\(\s*['"]node:/, 'a node:* import'],
  [/from\s+['"](fs|path|child_process|http|https|net|os|timers|process)['"]/, 'a Node built-in import'],
  [/(^|[^.\w])process\./, 'process'],
  [/(^|[^.\w#])(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\(/, 'a global timer'],
  [/globalThis\.(setTimeout|setInterval|setImmediate)/, 'a global timer'],
  [/Date\.now\(|new Date\(\)|performance\.now\(/, 'wall-clock time'],
];

describe('the core stays pure (DESIGN §2)', () => {
  it('no core file imports node:*, touches process, or uses global timers or wall-clock time', () => {
    const offences: string[] = [];
    for (const file of walk(src)) {
      const rel = relative(root, file);
      if (shell.some((re) => re.test(rel))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          if (/^\s*(\*|\/\*)/.test(code)) return;
          // Method signatures of the Clock port (`setTimeout(callback: …): unknown;`) are not calls.
          if (/^\s*(setTimeout|clearTimeout)\(\w+\s*:/.test(code)) return;
          for (const [re, what] of forbidden)
            if (re.test(code)) offences.push(`${rel}:${i + 1}: ${what}: ${line.trim()}`);
        });
    }
    expect(offences).toEqual([]);
  });

  it('runs a whole pod lifecycle with global timers and Date.now poisoned', async () => {
    const { LifecycleManager } = await import('../src/manager/lifecycle-manager.js');
    const { FakeRuntime } = await import('../src/testing/fake-runtime.js');
    const { VirtualClock } = await import('../src/testing/virtual-clock.js');
    const g = globalThis as Record<string, unknown>;
    const names = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'] as const;
    const saved = new Map(names.map((n) => [n, g[n]]));
    const savedNow = Date.now;
    const savedPerf = performance.now;
    const calls: string[] = [];
    const poison = (name: string) => () => {
      calls.push(name);
      throw new Error(`core used ${name}`);
    };
    const clock = new VirtualClock();
    const runtime = new FakeRuntime({ clock });
    runtime.onExec(['quit'], { exitCode: 0, delayMs: 3_000 });
    runtime.onStop('web', { exitsOn: [] });
    const manager = new LifecycleManager({
      runtime,
      httpClient: { request: async () => ({ status: 200 }) },
      clock,
    });
    const pod = {
      metadata: { name: 'p', uid: 'u' },
      spec: {
        terminationGracePeriodSeconds: 10,
        containers: [
          {
            name: 'web',
            lifecycle: { postStart: { sleep: { seconds: 1 } }, preStop: { exec: { command: ['quit'] } } },
          },
          { name: 'api', lifecycle: { preStop: { httpGet: { port: 8080, path: '/drain' } } } },
        ],
      },
      status: { podIP: '10.0.0.1' },
    };
    let result: Awaited<ReturnType<typeof manager.deletePod>> | undefined;
    try {
      for (const n of names) g[n] = poison(n);
      Date.now = poison('Date.now');
      performance.now = poison('performance.now');
      const web = manager.startContainer(pod, 'web');
      await clock.runAll();
      await web;
      const api = manager.startContainer(pod, 'api');
      await clock.runAll();
      await api;
      const deleted = manager.deletePod(pod);
      await clock.runAll();
      result = await deleted;
    } finally {
      for (const n of names) g[n] = saved.get(n);
      Date.now = savedNow;
      performance.now = savedPerf;
    }
    expect(calls).toEqual([]);
    expect(result?.containers.map((c) => c.outcome)).toEqual(['stopped', 'stopped']);
    expect(clock.pendingTimers).toBe(0);
  });
});

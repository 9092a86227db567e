/**
 * The harness of the black-box CLI tests (test/contract/cli*.test.ts): the `kube-lifecycle` command
 * run as a user runs it from the repository (`npx tsx src/cli/main.ts …`, docs/cli.md), temporary
 * manifests, the documented error shape, and the `simulate --json` trace.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
export const MAIN = join('src', 'cli', 'main.ts');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `tsx src/cli/main.ts …` (what `npx tsx src/cli/main.ts` resolves to), optional stdin. */
export function cli(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/** One test file's folder of manifests (see {@link manifestFolder}). */
export interface ManifestFolder {
  /** Write `text` to `name` in the folder; returns its path. */
  file(name: string, text: string): string;
  /** The path of `name` in the folder (written or not: for "missing file" cases). */
  pathOf(name: string): string;
}

/** A temporary folder for one test file's manifests, removed after the file's tests. */
export function manifestFolder(): ManifestFolder {
  const tmp = mkdtempSync(join(tmpdir(), 'kl-contract-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  return {
    file(name, text) {
      const p = join(tmp, name);
      writeFileSync(p, text);
      return p;
    },
    pathOf: (name) => join(tmp, name),
  };
}

/** docs/cli.md "Exit codes": one line starting with `kube-lifecycle:`, then a pointer to --help; no stack trace. */
export function expectUsageStyleError(r: Run, code: number, first: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const ls = r.stderr.trimEnd().split('\n');
  expect(ls[0]).toMatch(/^kube-lifecycle: /);
  expect(ls[0]).toMatch(first);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/\.ts:\d+/);
  expect(ls.length).toBeLessThanOrEqual(2);
}
export function expectHelpPointer(r: Run): void {
  const ls = r.stderr.trimEnd().split('\n');
  expect(ls).toHaveLength(2);
  expect(ls[1]).toMatch(/--help/);
}

export const POD = (name: string, lifecycle: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: web
    image: nginx
${lifecycle}`;

export const VALID = POD(
  'ok',
  `    lifecycle:
      preStop:
        exec:
          command: ["/bin/drain"]
`,
);
export const INVALID = POD(
  'bad',
  `    lifecycle:
      preStop:
        httpGet:
          port: 0
`,
);

export interface Trace {
  pod: { name: string; namespace: string; uid: string };
  containers: unknown[];
  deletes: Array<{ at: number; gracePeriodSeconds?: number }>;
  events: Array<{
    type: string;
    reason: string;
    message: string;
    detail?: string;
    timestamp: number;
    object: { kind: string; name: string };
  }>;
  steps: Array<{
    kind: string;
    time: number;
    container: string;
    seconds?: number;
    outcome?: string;
    stopSignal?: string;
  }>;
  runtime: Array<{ kind: string; at: number; signal?: string; container?: string }>;
  http: Array<{ url: string; outcome: unknown }>;
  starts: unknown;
  termination: {
    gracePeriodSeconds: number;
    containers: Array<{
      container: string;
      outcome: string;
      preStop: { outcome: string; elapsedMs?: number };
      stopTimeoutSeconds?: number;
      exitedAt?: number;
    }>;
  };
  podStatus: {
    phase: string;
    containerStatuses: Array<{
      name: string;
      restartCount: number;
      state: { running?: object; waiting?: { reason: string }; terminated?: { exitCode: number; reason: string } };
    }>;
  };
  notes: string[];
  endAt: number;
}

/** A container's state at the end of the run, from `podStatus` (the pod worker's, DESIGN §10). */
export function finalState(j: Trace, name: string): { state: string; exitCode?: number; reason?: string } {
  const s = j.podStatus.containerStatuses.find((c) => c.name === name)?.state;
  if (s?.terminated) return { state: 'Terminated', ...s.terminated };
  return { state: s?.running ? 'Running' : 'Waiting', ...(s?.waiting ? { reason: s.waiting.reason } : {}) };
}
export async function simJson(args: string[]): Promise<Trace> {
  const r = await cli(['simulate', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Trace;
}
